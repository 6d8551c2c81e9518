/// An error answered by the service, or a response that could not be read.
///
/// `code` is the service's error code (`ResourceConflictException`). Two codes are made up here:
/// `InvalidResponse`, for a success response whose body is not JSON or does not fit the output shape,
/// and `Http<status>` (e.g. `Http502`), for an error response that names no code, such as an empty
/// body or a proxy's HTML page.
public struct ServiceError: Error, CustomStringConvertible {
    /// The error code.
    public var code: String
    /// The service's message, or a description of what went wrong.
    public var message: String
    /// The HTTP status of the response.
    public var statusCode: Int?
    /// The `x-amzn-RequestId` of the response.
    public var requestId: String?
    /// Whether sending the request again may succeed.
    public var retryable: Bool

    /// Creates an error.
    init(code: String, message: String, statusCode: Int? = nil, requestId: String? = nil,
         retryable: Bool = false) {
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.requestId = requestId
        self.retryable = retryable
    }

    /// One line: `Code: message (HTTP status)`.
    public var description: String {
        var text = "\(code): \(message)"
        if let statusCode {
            text += " (HTTP \(statusCode))"
        }
        return text
    }

    /// Error codes that mean the request was throttled: the AWS SDKs' throttling codes and the service's
    /// `LambdaThrottledException`. `LimitExceededException` is not among them here: in this service it is a
    /// size limit (DESIGN.md section 6), not a rate.
    static let throttlingCodes: Set<String> = [
        "TooManyRequestsException", "LambdaThrottledException", "Throttling", "ThrottlingException",
        "ThrottledException", "RequestThrottledException", "RequestThrottled", "RequestLimitExceeded",
        "SlowDown", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded", "EC2ThrottledException",
        "TransactionInProgressException", "PriorRequestNotComplete",
    ]

    /// Whether the service asked the client to slow down: HTTP 429 or a throttling code.
    var isThrottling: Bool {
        statusCode == 429 || Self.throttlingCodes.contains(code)
    }

    /// Error codes that are never retried, whatever their status.
    static let nonRetryableCodes: Set<String> = ["ResourceConflictException", "LimitExceededException"]

    /// Whether an error with this code and status is worth retrying: throttling (429 or a throttling code)
    /// and server errors (5xx) are; a conflict or a limit never is.
    static func isRetryable(code: String, statusCode: Int?) -> Bool {
        if nonRetryableCodes.contains(code) {
            return false
        }
        if throttlingCodes.contains(code) {
            return true
        }
        guard let statusCode else {
            return false
        }
        return statusCode == 429 || (500..<600).contains(statusCode)
    }
}
