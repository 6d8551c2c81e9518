#!/usr/bin/env python3
"""Signs the requests described in a JSON file with botocore's SigV4Auth and prints the results as JSON.

Usage: python3 sign_with_botocore.py requests.json > botocore-vectors.json

Each request gives the wire path (already percent-encoded once, as botocore's rest-json serializer builds it),
decoded query pairs, headers, a UTF-8 body, credentials and a fixed signing time. When "contentSHA256Header" is
true the request carries an X-Amz-Content-SHA256 header holding the body's hash before it is signed. The output
repeats each request and adds botocore's canonical request, string to sign and added headers.
"""
import datetime
import hashlib
import json
import sys

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence


class RecordingSigV4Auth(SigV4Auth):
    def canonical_request(self, request):
        self.last_canonical_request = super().canonical_request(request)
        return self.last_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.last_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.last_string_to_sign


def sign(case):
    body = case["body"].encode("utf-8")
    url = case["scheme"] + "://" + case["host"] + case["path"]
    if case["query"]:
        url += "?" + percent_encode_sequence([tuple(pair) for pair in case["query"]])
    request = AWSRequest(method=case["method"], url=url, data=body)
    for name, value in case["headers"]:
        request.headers[name] = value
    if case["contentSHA256Header"]:
        request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    before = {name.lower() for name in request.headers.keys()}
    creds = case["credentials"]
    auth = RecordingSigV4Auth(
        Credentials(creds["accessKeyId"], creds["secretAccessKey"], creds.get("sessionToken")),
        case["service"],
        case["region"],
    )
    when = datetime.datetime.strptime(case["date"], "%Y-%m-%dT%H:%M:%SZ")
    botocore.auth.get_current_datetime = lambda: when
    auth.add_auth(request)
    added = [[name, value] for name, value in request.headers.items() if name.lower() not in before]
    result = dict(case)
    result["botocore"] = {
        "canonicalRequest": auth.last_canonical_request,
        "stringToSign": auth.last_string_to_sign,
        "addedHeaders": added,
        "authorization": request.headers["Authorization"],
        "url": request.url,
    }
    return result


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        cases = json.load(handle)
    json.dump([sign(case) for case in cases], sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
