/// The last bulk publish of a pool. Its status follows from the server clock, so no timer is needed
/// and a restarted endpoint reports the same lifecycle.
struct BulkPublishRun: Codable, Equatable {
    var startTime: Double
    var duration: Double
    /// Set when the run is bound to fail (streaming not configured or disabled).
    var failureMessage: String?

    var completionTime: Double {
        startTime + duration
    }

    func status(at now: Double) -> String {
        if now < completionTime {
            return "IN_PROGRESS"
        }
        return failureMessage == nil ? "SUCCEEDED" : "FAILED"
    }
}
