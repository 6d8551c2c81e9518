/// An operation of either service the endpoint serves, as the rate limits name it.
enum EndpointOperation: Hashable {
    case sync(LocalOperation)
    case identity(IdentityOperation)

    /// The operation named `name` in either model (the two models share no operation name).
    init?(name: String) {
        if let operation = LocalOperation(rawValue: name) {
            self = .sync(operation)
        } else if let operation = IdentityOperation(rawValue: name) {
            self = .identity(operation)
        } else {
            return nil
        }
    }

    var name: String {
        switch self {
        case .sync(let operation): return operation.rawValue
        case .identity(let operation): return operation.rawValue
        }
    }

    /// Every operation's name: Cognito Sync's, then Cognito Identity's, each in model order.
    static var allNames: [String] {
        LocalOperation.allCases.map(\.rawValue) + IdentityOperation.allCases.map(\.rawValue)
    }
}
