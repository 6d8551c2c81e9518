import SigV4

/// Issues the Token of GetOpenIdTokenForDeveloperIdentity and reads it back when GetId receives it under the login
/// `cognito-identity.amazonaws.com`, as a client of developer-authenticated identities sends it.
///
/// The token is opaque: an HMAC-signed statement of pool, identity and expiry, not an OpenID Connect JWT (no
/// service but this endpoint accepts it).
struct OpenIdTokenIssuer {
    static let loginProvider = "cognito-identity.amazonaws.com"

    let key: [UInt8]

    func issue(pool: String, identity: String, expires: Double) -> String {
        let payload = Array(["openid", pool, identity, String(Int64(expires * 1000))].joined(separator: "\n").utf8)
        return Base64URL.encode(payload) + "." + Base64URL.encode(Digest.hmacSHA256(key: key, data: payload))
    }

    /// The identity a token names, if it is one of ours for `pool` and has not expired.
    func identity(in token: String, pool: String, now: Double) -> String? {
        let pieces = token.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 2,
            let payload = Base64URL.decode(String(pieces[0])),
            let signature = Base64URL.decode(String(pieces[1])),
            Digest.constantTimeEquals(signature, Digest.hmacSHA256(key: key, data: payload))
        else {
            return nil
        }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == "openid", fields[1] == pool, let expires = Int64(fields[3]),
            now < Double(expires) / 1000
        else {
            return nil
        }
        return String(fields[2])
    }
}
