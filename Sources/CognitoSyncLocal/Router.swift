import SigV4

/// A request matched to its operation, with its path labels percent-decoded.
struct RoutedRequest {
    let operation: LocalOperation
    var identityPoolId = ""
    var identityId = ""
    var datasetName = ""
    var deviceId = ""
}

/// Maps method and path to an operation as the service's REST routes define them.
enum Router {
    private static let label = "{}"

    private static let routes: [(method: String, pattern: [String], operation: LocalOperation)] = [
        ("GET", ["identitypools"], .listIdentityPoolUsage),
        ("GET", ["identitypools", label], .describeIdentityPoolUsage),
        ("POST", ["identitypools", label, "bulkpublish"], .bulkPublish),
        ("POST", ["identitypools", label, "getBulkPublishDetails"], .getBulkPublishDetails),
        ("GET", ["identitypools", label, "events"], .getCognitoEvents),
        ("POST", ["identitypools", label, "events"], .setCognitoEvents),
        ("GET", ["identitypools", label, "configuration"], .getIdentityPoolConfiguration),
        ("POST", ["identitypools", label, "configuration"], .setIdentityPoolConfiguration),
        ("GET", ["identitypools", label, "identities", label], .describeIdentityUsage),
        ("POST", ["identitypools", label, "identity", label, "device"], .registerDevice),
        ("GET", ["identitypools", label, "identities", label, "datasets"], .listDatasets),
        ("GET", ["identitypools", label, "identities", label, "datasets", label], .describeDataset),
        ("POST", ["identitypools", label, "identities", label, "datasets", label], .updateRecords),
        ("DELETE", ["identitypools", label, "identities", label, "datasets", label], .deleteDataset),
        ("GET", ["identitypools", label, "identities", label, "datasets", label, "records"], .listRecords),
        (
            "POST", ["identitypools", label, "identities", label, "datasets", label, "subscriptions", label],
            .subscribeToDataset
        ),
        (
            "DELETE", ["identitypools", label, "identities", label, "datasets", label, "subscriptions", label],
            .unsubscribeFromDataset
        ),
    ]

    /// The operation for `method` and the raw (still percent-encoded) `path`, or nil when no route matches.
    /// Raw `:` and its escape `%3A` are both accepted in labels.
    static func route(method: String, rawPath: String) -> RoutedRequest? {
        guard rawPath.hasPrefix("/") else {
            return nil
        }
        let segments = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for route in routes where route.method == method && route.pattern.count == segments.count {
            var labels: [String] = []
            var matched = true
            for (expected, segment) in zip(route.pattern, segments) {
                if expected == label {
                    guard let decoded = PercentEncoding.decode(String(segment)) else {
                        matched = false
                        break
                    }
                    labels.append(decoded)
                } else if expected != segment {
                    matched = false
                    break
                }
            }
            guard matched else {
                continue
            }
            var routed = RoutedRequest(operation: route.operation)
            let padded = labels + Array(repeating: "", count: 4 - labels.count)
            routed.identityPoolId = padded[0]
            routed.identityId = padded[1]
            routed.datasetName = padded[2]
            routed.deviceId = padded[3]
            return routed
        }
        return nil
    }
}
