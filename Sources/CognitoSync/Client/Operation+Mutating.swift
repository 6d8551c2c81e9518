import CognitoSyncModel

extension Operation {
    /// True for operations that change state on the service; a dry run validates these and does not send them.
    /// GetBulkPublishDetails is a POST that only reads.
    public var isMutating: Bool {
        method != "GET" && name != "GetBulkPublishDetails"
    }
}
