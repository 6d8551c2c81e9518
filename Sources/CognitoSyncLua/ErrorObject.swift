import CLua
import CLuaShims
import CognitoSync
import CognitoSyncModel

/// The error table a failed call raises: `code`, `message`, `statusCode`, `retryable`, `requestId`,
/// `operation`, `retryCount` (and `path` for validation errors, `retryQuotaExhausted` when the client's retry
/// quota refused another retry), with `__tostring` from the prelude.
struct ErrorObject {
    var code: String
    var message: String
    var statusCode: Int?
    var retryable = false
    var requestId: String?
    var operation: String?
    var retryCount = 0
    var path: String?
    var retryQuotaExhausted = false

    init(code: String, message: String, operation: String? = nil) {
        self.code = code
        self.message = message
        self.operation = operation
    }

    init(validation error: ValidationError, operation: String?) {
        self.init(code: error.code, message: error.message, operation: operation)
        path = error.path
    }

    init(service error: ServiceError, operation: String, retryCount: Int, retryQuotaExhausted: Bool = false) {
        self.init(code: error.code, message: error.message, operation: operation)
        statusCode = error.statusCode
        retryable = error.retryable
        requestId = error.requestId
        self.retryCount = retryCount
        self.retryQuotaExhausted = retryQuotaExhausted
    }

    func push(_ L: OpaquePointer, runtime: LuaRuntime) {
        var fields: [(String, Value)] = [("code", .string(code)), ("message", .string(message)),
                                         ("retryable", .bool(retryable)), ("retryCount", .int(Int64(retryCount)))]
        if let statusCode { fields.append(("statusCode", .int(Int64(statusCode)))) }
        if let requestId { fields.append(("requestId", .string(requestId))) }
        if let operation { fields.append(("operation", .string(operation))) }
        if let path { fields.append(("path", .string(path))) }
        if retryQuotaExhausted { fields.append(("retryQuotaExhausted", .bool(true))) }
        LuaValueWriter(L: L).push(.map(fields))
        if runtime.errorMetaRef >= 0 {
            lua_rawgeti(L, cogsync_registry_index(), lua_Integer(runtime.errorMetaRef))
            lua_setmetatable(L, -2)
        }
    }
}
