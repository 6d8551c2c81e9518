import CognitoSyncModel

// PushSync and CognitoStreams are request shapes as well as response shapes: SetIdentityPoolConfiguration's
// input is read into them, and a pool keeps its settings in them (`PoolSettings`).

extension ResponseBody.PushSync {
    /// The members present in validated input; absent ones stay nil.
    init(input: Value) {
        if case .list(let arns) = input["ApplicationArns"] {
            ApplicationArns = arns.compactMap(\.stringValue)
        }
        RoleArn = input["RoleArn"]?.stringValue
    }
}

extension ResponseBody.CognitoStreams {
    /// The members present in validated input; absent ones stay nil.
    init(input: Value) {
        RoleArn = input["RoleArn"]?.stringValue
        StreamName = input["StreamName"]?.stringValue
        StreamingStatus = input["StreamingStatus"]?.stringValue
    }
}
