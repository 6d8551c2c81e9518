#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Signs HTTP requests with AWS Signature Version 4 in the `Authorization` header.
///
/// The defaults match botocore for a rest-json service: the canonical URI is the wire path normalised and
/// percent-encoded a second time, the payload hash is the hex SHA-256 of the body, and no `X-Amz-Content-SHA256`
/// header is added (botocore sends it to S3 only).
public struct SigV4Signer: Sendable {
    /// The signing name of the service, e.g. `cognito-sync`.
    public let service: String
    /// The signing region, e.g. `us-east-1`.
    public let region: String
    /// Encode the (already encoded) path again for the canonical URI, as every service but S3 expects.
    public let doubleEncodePath: Bool
    /// Remove `.`, `..` and empty segments from the path before encoding.
    public let normalizePath: Bool
    /// Add an `X-Amz-Content-SHA256` header carrying the payload hash, and sign it.
    public let addsContentSHA256Header: Bool
    /// Sign `X-Amz-Security-Token`. When `false` the token is still sent, but added after signing.
    public let signsSessionToken: Bool
    private let keys = SigningKeyCache()

    /// The algorithm name at the start of the `Authorization` header and the string to sign.
    public static let algorithm = "AWS4-HMAC-SHA256"

    // Hop-by-hop and client-identifying headers that proxies may rewrite; botocore leaves them unsigned. A switch:
    // hashing each name for a set lookup cost more than comparing a few short strings.
    static func isUnsigned(_ canonicalName: String) -> Bool {
        switch canonicalName {
        case "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
             "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id":
            return true
        default:
            return false
        }
    }

    /// The hex SHA-256 of no bytes: the payload hash of every request without a body.
    static let emptyPayloadHash = Digest.sha256Hex([])

    /// The hex SHA-256 of a request's body.
    static func payloadHash(_ body: [UInt8]) -> String {
        body.isEmpty ? emptyPayloadHash : Digest.sha256Hex(body)
    }

    /// Creates a signer for one service and region.
    public init(
        service: String, region: String, doubleEncodePath: Bool = true, normalizePath: Bool = true,
        addsContentSHA256Header: Bool = false, signsSessionToken: Bool = true
    ) {
        self.service = service
        self.region = region
        self.doubleEncodePath = doubleEncodePath
        self.normalizePath = normalizePath
        self.addsContentSHA256Header = addsContentSHA256Header
        self.signsSessionToken = signsSessionToken
    }

    /// Signs a request and returns the headers to add to it: `X-Amz-Date`, `X-Amz-Security-Token` (with a session
    /// token), `X-Amz-Content-SHA256` (when `addsContentSHA256Header`) and `Authorization`, in that order.
    ///
    /// - Parameters:
    ///   - path: the request path exactly as sent on the wire (already percent-encoded once, e.g.
    ///     `/identitypools/us-east-1%3Aabc`).
    ///   - query: decoded name/value pairs.
    ///   - headers: the headers as sent, which must include `Host` and none of the headers this returns. All are
    ///     signed except `User-Agent`, `X-Amzn-Trace-Id` and hop-by-hop headers such as `Connection`.
    ///   - date: the signing time; fractions of a second are dropped.
    public func sign(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8],
        credentials: Credentials, date: Date
    ) -> [(String, String)] {
        // The date is formatted once: the same text goes into the header, the string to sign and the scope.
        let amzDate = AmzDate.basic(date)
        let prepared = prepare(
            method: method, path: path, query: query, headers: headers, body: body, credentials: credentials,
            amzDate: amzDate
        )
        let (signature, scope) = signature(
            canonicalRequest: prepared.canonical.bytes, amzDate: amzDate, secretAccessKey: credentials.secretAccessKey
        )
        var added = prepared.addedHeaders
        added.append(("Authorization", Self.authorization(
            accessKeyId: credentials.accessKeyId, scope: scope, signedHeaders: prepared.canonical.signedHeaders,
            signature: signature)))
        return added
    }

    /// `AWS4-HMAC-SHA256 Credential=KEY/SCOPE, SignedHeaders=NAMES, Signature=HEX`, written in one piece: joined
    /// with `+`, its nine parts made a new string at each step.
    static func authorization(accessKeyId: String, scope: String, signedHeaders: String, signature: String)
        -> String {
        let parts = [algorithm, " Credential=", accessKeyId, "/", scope, ", SignedHeaders=", signedHeaders,
                     ", Signature=", signature]
        return String(unsafeUninitializedCapacity: parts.reduce(0) { $0 + $1.utf8.count }) { buffer in
            var written = 0
            for var part in parts {
                part.withUTF8 { bytes in
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[written...]).initialize(from: bytes)
                    written += bytes.count
                }
            }
            return written
        }
    }

    /// The canonical request `sign` builds for the same arguments.
    public func canonicalRequest(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8],
        credentials: Credentials, date: Date
    ) -> String {
        prepare(
            method: method, path: path, query: query, headers: headers, body: body, credentials: credentials,
            amzDate: AmzDate.basic(date)
        ).canonical.text
    }

    /// The string to sign for a canonical request.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        String(decoding: stringToSign(canonicalRequest: Array(canonicalRequest.utf8), amzDate: AmzDate.basic(date),
                                      scope: credentialScope(date: date)), as: UTF8.self)
    }

    private func stringToSign(canonicalRequest: [UInt8], amzDate: String, scope: String) -> [UInt8] {
        let hash = Digest.sha256(canonicalRequest)
        var text = [UInt8]()
        text.reserveCapacity(Self.algorithm.utf8.count + amzDate.utf8.count + scope.utf8.count + 3 + 2 * hash.count)
        text.append(contentsOf: Self.algorithm.utf8)
        text.append(UInt8(ascii: "\n"))
        text.append(contentsOf: amzDate.utf8)
        text.append(UInt8(ascii: "\n"))
        text.append(contentsOf: scope.utf8)
        text.append(UInt8(ascii: "\n"))
        Digest.appendHex(hash, to: &text)
        return text
    }

    /// The string to sign `sign` builds for the same arguments.
    public func stringToSign(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8],
        credentials: Credentials, date: Date
    ) -> String {
        stringToSign(
            canonicalRequest: canonicalRequest(
                method: method, path: path, query: query, headers: headers, body: body, credentials: credentials,
                date: date
            ),
            date: date
        )
    }

    /// The hex signature of a canonical request's bytes signed at `amzDate` (an `X-Amz-Date` value, whose first eight
    /// characters are the day), and its credential scope: for signing and verifying alike.
    func signature(canonicalRequest: [UInt8], amzDate: String, secretAccessKey: String)
        -> (signature: String, scope: String) {
        let (scope, key) = signing(secretAccessKey: secretAccessKey, amzDate: amzDate)
        let signature = Digest.hex(Digest.hmacSHA256(
            key: key, data: stringToSign(canonicalRequest: canonicalRequest, amzDate: amzDate, scope: scope)
        ))
        return (signature, scope)
    }

    /// The hex signature of a string to sign.
    public func signature(stringToSign: String, secretAccessKey: String, date: Date) -> String {
        Digest.hex(signatureBytes(stringToSign: stringToSign, secretAccessKey: secretAccessKey, date: date))
    }

    /// `yyyymmdd/region/service/aws4_request`.
    public func credentialScope(date: Date) -> String {
        credentialScope(day: AmzDate.day(date))
    }

    func credentialScope(day: String) -> String {
        day + "/" + region + "/" + service + "/aws4_request"
    }

    /// The value of `X-Amz-Date` for a signing time, e.g. `20150830T123600Z`.
    public static func amzDate(_ date: Date) -> String {
        AmzDate.basic(date)
    }

    func signatureBytes(stringToSign: String, secretAccessKey: String, date: Date) -> [UInt8] {
        let key = signing(secretAccessKey: secretAccessKey, amzDate: AmzDate.basic(date)).key
        return Digest.hmacSHA256(key: key, data: Array(stringToSign.utf8))
    }

    /// The credential scope and the signing key for the day `amzDate` starts with.
    private func signing(secretAccessKey: String, amzDate: String) -> (scope: String, key: [UInt8]) {
        keys.signing(secret: secretAccessKey, amzDate: amzDate) { day in
            var key = Digest.hmacSHA256(key: Array("AWS4\(secretAccessKey)".utf8), data: Array(day.utf8))
            for part in [region, service, "aws4_request"] {
                key = Digest.hmacSHA256(key: key, data: Array(part.utf8))
            }
            return (credentialScope(day: day), key)
        }
    }

    /// Builds the canonical request from the wire path, encoded query pairs and the exact headers to sign.
    func canonicalRequest(
        method: String, path: String, encodedQuery: [(String, String)], signedHeaders: [(String, String)],
        payloadHash: String
    ) -> CanonicalRequest {
        CanonicalRequest(
            method: method,
            uri: CanonicalRequest.canonicalURI(path: path, doubleEncode: doubleEncodePath, normalize: normalizePath),
            encodedQuery: encodedQuery, headers: signedHeaders, payloadHash: payloadHash
        )
    }

    private func prepare(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8],
        credentials: Credentials, amzDate: String
    ) -> (canonical: CanonicalRequest, addedHeaders: [(String, String)]) {
        let payloadHash = Self.payloadHash(body)
        var added = [("X-Amz-Date", amzDate)]
        // Signed under their canonical names, worked out once here (the canonical request finds them so already).
        var signed: [(String, String)] = []
        signed.reserveCapacity(headers.count + 3)
        for (name, value) in headers {
            let canonicalName = CanonicalRequest.canonicalHeaderName(name)
            if !Self.isUnsigned(canonicalName) { signed.append((canonicalName, value)) }
        }
        signed.append(("x-amz-date", amzDate))
        if let token = credentials.sessionToken {
            added.append(("X-Amz-Security-Token", token))
            if signsSessionToken {
                signed.append(("x-amz-security-token", token))
            }
        }
        if addsContentSHA256Header {
            added.append(("X-Amz-Content-SHA256", payloadHash))
            signed.append(("x-amz-content-sha256", payloadHash))
        }
        let encodedQuery = query.map { (PercentEncoding.encode($0.0), PercentEncoding.encode($0.1)) }
        let canonical = canonicalRequest(
            method: method, path: path, encodedQuery: encodedQuery, signedHeaders: signed, payloadHash: payloadHash
        )
        return (canonical, added)
    }
}
