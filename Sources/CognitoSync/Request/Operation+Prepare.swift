import CognitoSyncModel

extension Operation {
    /// Checks `params` against the operation's input shape and returns them normalised for `serialize`.
    ///
    /// `nil` params (`.null`) count as an empty table. Timestamps come back as epoch seconds, an empty
    /// table where the model says list as an empty list, integral floats as integers; unknown members
    /// are dropped. With `.none`, nothing is rejected and only what can be normalised is.
    /// - Throws: `ValidationError` for the first problem, in model member order.
    func prepare(params: Value, validation: ValidationOptions = .all) throws -> Value {
        let root: Value = params == .null ? .map([]) : params
        return try ParamValidator(options: validation).prepare(root, shape: input ?? Shape.emptyStructure, path: "params")
    }
}
