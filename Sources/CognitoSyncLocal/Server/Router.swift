import CognitoSyncModel
import SigV4

/// A request matched to its operation, with its path labels percent-decoded.
struct RoutedRequest {
    let operation: LocalOperation
    /// The operation in the service model.
    let model: CognitoSyncModel.Operation
    /// The path labels by the name the URI template gives them (`IdentityPoolId`).
    let labels: [String: String]

    var identityPoolId: String {
        labels["IdentityPoolId"] ?? ""
    }

    var identityId: String {
        labels["IdentityId"] ?? ""
    }

    var datasetName: String {
        labels["DatasetName"] ?? ""
    }

    var deviceId: String {
        labels["DeviceId"] ?? ""
    }
}

/// Maps method and path to an operation by the HTTP method and URI template the service model gives each one.
enum Router {
    private enum Segment: Equatable {
        case literal(Substring)
        case label(String)
    }

    private struct Route {
        let method: String
        let segments: [Segment]
        let operation: LocalOperation
        let model: CognitoSyncModel.Operation
    }

    private static let routes: [Route] = ServiceModel.cognitoSync.operations.compactMap { model in
        guard let operation = LocalOperation(rawValue: model.name) else {
            return nil
        }
        let segments = model.uriTemplate.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.hasPrefix("{") && $0.hasSuffix("}") ? Segment.label(String($0.dropFirst().dropLast())) : .literal($0)
        }
        return Route(method: model.method, segments: segments, operation: operation, model: model)
    }

    /// The operation for `method` and the raw (still percent-encoded) `path`, or nil when no route matches.
    /// Raw `:` and its escape `%3A` are both accepted in labels.
    static func route(method: String, rawPath: String) -> RoutedRequest? {
        guard rawPath.hasPrefix("/") else {
            return nil
        }
        let segments = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for route in routes where route.method == method && route.segments.count == segments.count {
            var labels: [String: String] = [:]
            let matched = zip(route.segments, segments).allSatisfy { expected, segment in
                switch expected {
                case .literal(let literal):
                    return literal == segment
                case .label(let name):
                    labels[name] = PercentEncoding.decode(String(segment))
                    return labels[name] != nil
                }
            }
            if matched {
                return RoutedRequest(operation: route.operation, model: route.model, labels: labels)
            }
        }
        return nil
    }
}
