import CognitoSyncModel

/// An error answered on the wire: the shape name as code, the HTTP status and the message.
struct ServiceError: Error, Equatable {
    let code: String
    let status: Int
    let message: String

    /// An error the model declares, with the status the model gives it.
    static func modeled(_ code: String, _ message: String) -> ServiceError {
        ServiceError(code: code, status: ServiceModel.cognitoSync.errors[code] ?? 400, message: message)
    }

    static func invalidParameter(_ message: String) -> ServiceError {
        modeled("InvalidParameterException", message)
    }

    static func notFound(_ message: String) -> ServiceError {
        modeled("ResourceNotFoundException", message)
    }

    static func conflict(_ message: String) -> ServiceError {
        modeled("ResourceConflictException", message)
    }

    static func limitExceeded(_ message: String) -> ServiceError {
        modeled("LimitExceededException", message)
    }

    static func invalidConfiguration(_ message: String) -> ServiceError {
        modeled("InvalidConfigurationException", message)
    }

    static func duplicateRequest(_ message: String) -> ServiceError {
        modeled("DuplicateRequestException", message)
    }

    static func alreadyStreamed(_ message: String) -> ServiceError {
        modeled("AlreadyStreamedException", message)
    }

    static func serialization(_ message: String) -> ServiceError {
        ServiceError(code: "SerializationException", status: 400, message: message)
    }

    static func internalError(_ message: String = "An internal error occurred.") -> ServiceError {
        modeled("InternalErrorException", message)
    }

    static let tooManyRequests = modeled("TooManyRequestsException", "Rate exceeded")

    static func bodyTooLarge(limit: Int) -> ServiceError {
        ServiceError(
            code: "RequestEntityTooLargeException", status: 413,
            message: "Request body exceeds \(limit / (1024 * 1024)) MiB"
        )
    }

    /// Too many request bodies are being read at once; the client should retry (botocore retries 503).
    static let busy = ServiceError(
        code: "ServiceUnavailableException", status: 503,
        message: "Too many request bodies are being received at once; retry later"
    )

    static let headersTooLarge = ServiceError(
        code: "RequestHeaderFieldsTooLargeException", status: 431,
        message: "The request line and headers exceed 80 KiB"
    )

    static func badRequest(_ message: String) -> ServiceError {
        ServiceError(code: "BadRequestException", status: 400, message: message)
    }

    /// Cognito Identity's answer to a target it does not know (AWS JSON services answer 400).
    static let unknownIdentityOperation = ServiceError(
        code: "UnknownOperationException", status: 400, message: "The requested operation is not recognized."
    )

    /// A Cognito Identity error its model declares, with the model's status.
    static func identity(_ code: String, _ message: String) -> ServiceError {
        ServiceError(code: code, status: ServiceModel.cognitoIdentity.errors[code] ?? 400, message: message)
    }

    /// An operation that needs AWS itself (STS credentials, a signed OpenID token): 501, which SDKs do not retry.
    static func notEmulated(_ operation: String) -> ServiceError {
        ServiceError(
            code: "NotImplementedException", status: 501,
            message: "\(operation) is not emulated by the local endpoint: it needs AWS (STS, a signed OpenID token)"
        )
    }

    static let unknownOperation = ServiceError(
        code: "UnknownOperationException", status: 404, message: "The requested operation is not recognized."
    )
}
