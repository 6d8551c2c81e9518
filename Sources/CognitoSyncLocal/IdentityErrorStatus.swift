import CognitoSyncModel

/// The HTTP status Cognito Identity answers each error of its model with. The service's Smithy model gives them (as
/// the SDKs generated from it carry them); the botocore model this project generates from leaves them out, so they
/// are listed here. An error of the model not listed is a client error, 400.
enum IdentityErrorStatus {
    private static let statuses: [String: Int] = [
        "NotAuthorizedException": 403,
        "ResourceNotFoundException": 404,
        "ResourceConflictException": 409,
        "TooManyRequestsException": 429,
        "InternalErrorException": 500,
    ]

    /// The status of `code` if it is an error of Cognito Identity's model, else nil.
    static func of(_ code: String) -> Int? {
        guard ServiceModel.cognitoIdentity.errors[code] != nil else {
            return nil
        }
        return statuses[code] ?? 400
    }
}
