import CognitoSyncModel

/// The service a request is for. Cognito Identity speaks AWS JSON 1.1: every request is `POST /` naming its
/// operation in `X-Amz-Target: AWSCognitoIdentityService.<Op>`. A request without that prefix is Cognito Sync's.
enum LocalService {
    case sync
    case identity

    static let identityTargetPrefix = "AWSCognitoIdentityService."

    init(headers: [(String, String)]) {
        let target = HTTPHeader.value("X-Amz-Target", in: headers) ?? ""
        self = target.hasPrefix(Self.identityTargetPrefix) ? .identity : .sync
    }

    /// The Cognito Identity operation a request's target names, or nil for an unknown one.
    static func identityOperation(headers: [(String, String)]) -> IdentityOperation? {
        guard let target = HTTPHeader.value("X-Amz-Target", in: headers),
            target.hasPrefix(identityTargetPrefix)
        else {
            return nil
        }
        return IdentityOperation(rawValue: String(target.dropFirst(identityTargetPrefix.count)))
    }

    var model: ServiceModel {
        switch self {
        case .sync: return .cognitoSync
        case .identity: return .cognitoIdentity
        }
    }

    var contentType: String {
        switch self {
        case .sync: return "application/json"
        case .identity: return "application/x-amz-json-1.1"
        }
    }

    /// What follows the error code in `x-amzn-ErrorType`.
    var errorTypeSuffix: String {
        switch self {
        case .sync: return ":http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"
        case .identity: return ":http://internal.amazon.com/coral/com.amazonaws.cognito.identity.model/"
        }
    }
}
