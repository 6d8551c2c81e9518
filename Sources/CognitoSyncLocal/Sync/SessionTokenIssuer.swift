#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SigV4

/// Issues and checks SyncSessionTokens: an HMAC-signed statement of pool, identity, dataset and issue time.
///
/// Tokens carry no server-side state, so ListRecords stays a pure read and, with a persistent key, a token
/// stays valid across a restart of the endpoint.
struct SessionTokenIssuer {
    static let invalidMessage = "SyncSessionToken not valid for these inputs"

    let key: [UInt8]
    let lifetime: TimeInterval

    func issue(pool: String, identity: String, dataset: String, now: Double) -> String {
        let nonce = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let payload = [pool, identity, dataset, String(Int64(now * 1000)), nonce].joined(separator: "\n")
        let payloadBytes = Array(payload.utf8)
        return Base64URL.encode(payloadBytes) + "." + Base64URL.encode(mac(payloadBytes))
    }

    /// Throws InvalidParameterException unless `token` was issued for this dataset and has not expired.
    func validate(_ token: String, pool: String, identity: String, dataset: String, now: Double) throws {
        let pieces = token.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 2,
            let payloadBytes = Base64URL.decode(String(pieces[0])),
            let signature = Base64URL.decode(String(pieces[1])),
            Digest.constantTimeEquals(signature, mac(payloadBytes))
        else {
            throw ServiceError.invalidParameter(Self.invalidMessage)
        }
        let fields = String(decoding: payloadBytes, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0] == pool, fields[1] == identity, fields[2] == dataset,
            let issuedMillis = Int64(fields[3]),
            now < Double(issuedMillis) / 1000 + lifetime
        else {
            throw ServiceError.invalidParameter(Self.invalidMessage)
        }
    }

    private func mac(_ payload: [UInt8]) -> [UInt8] {
        Digest.hmacSHA256(key: key, data: payload)
    }
}
