import CognitoSyncModel
import SigV4

/// The access key id a request names in its SigV4 credential, read without checking anything: from the
/// `Authorization` header's `Credential=AKID/...` or the `X-Amz-Credential` query parameter.
enum ClaimedAccessKey {
    static func named(headers: [(String, String)], rawQuery: String) -> String? {
        if let authorization = HTTPHeader.value("Authorization", in: headers) {
            let fields = authorization.split(whereSeparator: { $0 == " " || $0 == "," })
            if let credential = fields.first(where: { $0.hasPrefix("Credential=") }) {
                return accessKey(inCredential: credential.dropFirst("Credential=".count))
            }
        }
        // Most queries carry no credential; looking before decoding keeps the common case cheap.
        if rawQuery.contains("X-Amz-Credential"),
            let credential = PercentEncoding.decodeQuery(rawQuery).first(where: { $0.0 == "X-Amz-Credential" })?.1
        {
            return accessKey(inCredential: Substring(credential))
        }
        return nil
    }

    /// The first element of `AKID/date/region/service/aws4_request`, if not empty.
    private static func accessKey(inCredential credential: Substring) -> String? {
        let key = credential.prefix { $0 != "/" }
        return key.isEmpty ? nil : String(key)
    }
}
