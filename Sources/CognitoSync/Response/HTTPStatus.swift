/// Reason phrases for the HTTP statuses an AWS endpoint or a proxy in front of it commonly returns.
enum HTTPStatus {
    static func reasonPhrase(_ status: Int) -> String? {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return nil
        }
    }

    /// `HTTP 503 Service Unavailable`, or `HTTP 599` for a status without a known phrase.
    static func summary(_ status: Int) -> String {
        reasonPhrase(status).map { "HTTP \(status) \($0)" } ?? "HTTP \(status)"
    }
}
