/// One service's model: its names, operations, shapes and errors, generated from the official API model
/// (`ServiceModel.cognitoSync`, `ServiceModel.cognitoIdentity`). A class, so that every client and call shares one
/// model instead of copying its tables.
public final class ServiceModel: Sendable {
    /// The API version of the model.
    public let apiVersion: String
    /// The SigV4 service name.
    public let signingName: String
    /// The host name prefix of the regional endpoints.
    public let endpointPrefix: String
    /// The service identifier used for configuration keys and endpoint variables.
    public let serviceId: String
    /// The service's full name.
    public let serviceFullName: String
    /// The wire protocol as the model names it (`rest-json`, `json`).
    public let protocolName: String
    /// The Lua module's name, as the JavaScript SDK's service class lowercased (`cognitosync`).
    public let module: String
    /// Every operation, in model order.
    public let operations: [Operation]
    /// The operations that page with `NextToken`, by method name, and the member of each answer that holds the
    /// page's items.
    public let pagedItems: [String: String]
    /// The modelled error shapes and the HTTP status each is returned with.
    public let errors: [String: Int]
    /// Every shape reachable from an operation's input or output, by name.
    public let shapes: [String: Shape]
    private let operationsByName: [String: Operation]

    /// Creates a model; the generated code is its only caller.
    public init(
        apiVersion: String, signingName: String, endpointPrefix: String, serviceId: String, serviceFullName: String,
        protocolName: String, module: String, operations: [Operation], pagedItems: [String: String],
        errors: [String: Int], shapes: [String: Shape]
    ) {
        self.apiVersion = apiVersion
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.serviceId = serviceId
        self.serviceFullName = serviceFullName
        self.protocolName = protocolName
        self.module = module
        self.operations = operations
        self.pagedItems = pagedItems
        self.errors = errors
        self.shapes = shapes
        var table: [String: Operation] = [:]
        for operation in operations {
            table[operation.name] = operation
            table[operation.luaName] = operation
        }
        operationsByName = table
    }

    /// Every service the tool speaks, Cognito Sync first.
    public static var all: [ServiceModel] { [cognitoSync, cognitoIdentity] }

    /// The service whose Lua module has this name. Only that service's model is built: making a model's tables
    /// takes a tenth of a millisecond, and a script that requires one module does not pay for the other.
    public static func named(module: String) -> ServiceModel? {
        switch module {
        case cognitoSyncModule: return cognitoSync
        case cognitoIdentityModule: return cognitoIdentity
        default: return nil
        }
    }

    /// The service's key in `[services NAME]` sections of the shared config and, upper-cased, the suffix of
    /// `AWS_ENDPOINT_URL_<SERVICE>`: the service id in snake case (`cognito_sync`).
    public var configKey: String {
        String(serviceId.lowercased().map { $0 == " " ? "_" : $0 })
    }

    /// The operation with the given model name (`UpdateRecords`) or script name (`updateRecords`).
    public func operation(named name: String) -> Operation? {
        operationsByName[name]
    }
}
