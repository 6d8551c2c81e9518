#!/usr/bin/env python3
"""Print the request botocore serialises for one Cognito Sync (or Cognito Identity) operation, as JSON.

Usage: botocore_requests.py OPERATION [SERVICE] < params.json

OPERATION is the model name (UpdateRecords) or the script name (updateRecords); SERVICE is cognito-sync (the
default) or cognito-identity. The params are a JSON object read with exact integers; timestamps may be epoch
seconds or ISO-8601 strings, as botocore accepts them. botocore's own model and the serialiser of the model's
protocol (rest-json, json; with its parameter validation) produce the request, with the query in botocore's own
order. Output:

  {"method": "POST", "path": "/identitypools/...", "query": [["maxResults", "5"], ...],
   "encodedQuery": "maxResults=5&...", "headers": [["Content-Type", "application/json"], ...],
   "body": "<body text>"}
"""

import json
import sys

import botocore.serialize
import botocore.session
from botocore.utils import percent_encode_sequence


def find_operation(service_model, name):
    for candidate in service_model.operation_names:
        if name in (candidate, candidate[:1].lower() + candidate[1:]):
            return service_model.operation_model(candidate)
    raise SystemExit("unknown operation: %s" % name)


def serialize(name, params, service="cognito-sync"):
    service_model = botocore.session.get_session().get_service_model(service)
    operation = find_operation(service_model, name)
    serializer = botocore.serialize.create_serializer(service_model.protocol, include_validation=True)
    request = serializer.serialize_to_request(params, operation)
    query = request["query_string"]
    pairs = [[key, str(value)] for key, value in query.items()] if isinstance(query, dict) else []
    body = request["body"]
    return {
        "method": request["method"],
        "path": request["url_path"],
        "query": pairs,
        "encodedQuery": percent_encode_sequence(query) if query else "",
        "headers": [[key, value] for key, value in request["headers"].items()],
        "body": body.decode("utf-8") if isinstance(body, bytes) else body,
    }


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: botocore_requests.py OPERATION [SERVICE] < params.json", file=sys.stderr)
        return 2
    params = json.load(sys.stdin)
    json.dump(serialize(argv[1], params, *argv[2:]), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
