import CognitoSyncModel

/// The region a request's SigV4 credential scope names (`Credential=AKID/date/REGION/service/aws4_request`), read
/// from a request whose signature has been checked: Cognito Identity puts new pools in the caller's region.
enum ClaimedRegion {
    static func named(headers: [(String, String)]) -> String? {
        guard let authorization = HTTPHeader.value("Authorization", in: headers) else {
            return nil
        }
        let fields = authorization.split(whereSeparator: { $0 == " " || $0 == "," })
        guard let credential = fields.first(where: { $0.hasPrefix("Credential=") }) else {
            return nil
        }
        let scope = credential.dropFirst("Credential=".count).split(separator: "/", omittingEmptySubsequences: false)
        return scope.count == 5 && !scope[2].isEmpty ? String(scope[2]) : nil
    }
}
