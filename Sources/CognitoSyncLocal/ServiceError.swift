/// An error answered on the wire: the shape name as code, the HTTP status and the message.
struct ServiceError: Error, Equatable {
    let code: String
    let status: Int
    let message: String

    static func invalidParameter(_ message: String) -> ServiceError {
        ServiceError(code: "InvalidParameterException", status: 400, message: message)
    }

    static func notFound(_ message: String) -> ServiceError {
        ServiceError(code: "ResourceNotFoundException", status: 404, message: message)
    }

    static func conflict(_ message: String) -> ServiceError {
        ServiceError(code: "ResourceConflictException", status: 409, message: message)
    }

    static func limitExceeded(_ message: String) -> ServiceError {
        ServiceError(code: "LimitExceededException", status: 400, message: message)
    }

    static func invalidConfiguration(_ message: String) -> ServiceError {
        ServiceError(code: "InvalidConfigurationException", status: 400, message: message)
    }

    static func duplicateRequest(_ message: String) -> ServiceError {
        ServiceError(code: "DuplicateRequestException", status: 400, message: message)
    }

    static func alreadyStreamed(_ message: String) -> ServiceError {
        ServiceError(code: "AlreadyStreamedException", status: 400, message: message)
    }

    static func serialization(_ message: String) -> ServiceError {
        ServiceError(code: "SerializationException", status: 400, message: message)
    }

    static func internalError(_ message: String = "An internal error occurred.") -> ServiceError {
        ServiceError(code: "InternalErrorException", status: 500, message: message)
    }

    static let tooManyRequests = ServiceError(
        code: "TooManyRequestsException", status: 429, message: "Rate exceeded"
    )

    static let unknownOperation = ServiceError(
        code: "UnknownOperationException", status: 404, message: "The requested operation is not recognized."
    )
}
