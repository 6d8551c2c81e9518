/// The pool-wide settings and counters, persisted as one JSON document per pool.
struct PoolSettings: Codable, Equatable {
    var pushSync: ResponseBody.PushSync?
    var cognitoStreams: ResponseBody.CognitoStreams?
    var events: [String: String] = [:]
    var bulkPublish: BulkPublishRun?
    var syncSessionsCount: Int64 = 0
    var lastModifiedDate: Double?
}
