#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks the SigV4 `Authorization` header of an incoming request the way AWS does: the canonical request is
/// rebuilt from the client's own `SignedHeaders`, with the region of its credential scope, and the signing time
/// must be within 15 minutes of the server's clock.
public struct SigV4Verifier {
    /// Why a request was rejected.
    public enum Failure: Error, Equatable {
        /// No `Authorization` header.
        case missingAuthentication
        /// The `Authorization` header lacks a part, or the date header is missing or malformed.
        case incompleteSignature(String)
        /// The access key id is not known.
        case unknownAccessKey
        /// The signature does not match the request.
        case signatureMismatch
        /// The signing time is more than 15 minutes away from the server's clock.
        case expired(String)
        /// The credential scope or the signed header list is unacceptable.
        case invalidSignature(String)

        /// The error code AWS sends for this failure.
        public var code: String {
            switch self {
            case .missingAuthentication: return "MissingAuthenticationTokenException"
            case .incompleteSignature: return "IncompleteSignatureException"
            case .unknownAccessKey: return "UnrecognizedClientException"
            case .signatureMismatch, .expired, .invalidSignature: return "InvalidSignatureException"
            }
        }

        /// The HTTP status AWS answers with.
        public var statusCode: Int {
            switch self {
            case .incompleteSignature: return 400
            default: return 403
            }
        }

        /// The error message AWS sends; it never contains the signature or a secret.
        public var message: String {
            switch self {
            case .missingAuthentication:
                return "Missing Authentication Token"
            case .incompleteSignature(let text), .expired(let text), .invalidSignature(let text):
                return text
            case .unknownAccessKey:
                return "The security token included in the request is invalid."
            case .signatureMismatch:
                return "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. "
                    + "Consult the service documentation for details."
            }
        }
    }

    /// The signing name requests must be scoped to.
    public let service: String
    /// Whether clients encode the path a second time (true for every service but S3).
    public let doubleEncodePath: Bool
    /// Whether clients normalise the path before signing.
    public let normalizePath: Bool
    /// How far the signing time may be from the server's clock.
    public static let allowedSkew: TimeInterval = 15 * 60

    private let secretFor: (String) -> String?

    /// Creates a verifier that looks up the secret of each access key id with `secretFor`.
    public init(
        service: String, doubleEncodePath: Bool = true, normalizePath: Bool = true,
        secretFor: @escaping (String) -> String?
    ) {
        self.service = service
        self.doubleEncodePath = doubleEncodePath
        self.normalizePath = normalizePath
        self.secretFor = secretFor
    }

    /// Verifies a request and returns its access key id.
    ///
    /// - Parameters:
    ///   - rawPath: the path exactly as received.
    ///   - rawQuery: the query exactly as received, without `?`.
    ///   - headers: the headers as received; repeated names are allowed.
    ///   - now: the server's clock.
    public func verify(
        method: String, rawPath: String, rawQuery: String, headers: [(String, String)], body: [UInt8], now: Date
    ) -> Result<String, Failure> {
        checkedClaim(headers: headers, now: now).flatMap { (claim, secret) in
            let signer = SigV4Signer(
                service: service, region: claim.region, doubleEncodePath: doubleEncodePath,
                normalizePath: normalizePath
            )
            let canonical = signer.canonicalRequest(
                method: method, path: rawPath,
                encodedQuery: PercentEncoding.splitQuery(rawQuery).map { pair in
                    (
                        PercentEncoding.encode(bytes: PercentEncoding.decodeBytes(pair.name)),
                        PercentEncoding.encode(bytes: PercentEncoding.decodeBytes(pair.value))
                    )
                },
                signedHeaders: headers.filter {
                    claim.signedNames.contains(CanonicalRequest.canonicalHeaderName($0.0))
                },
                payloadHash: SigV4Signer.payloadHash(body)
            )
            let expected = signer.signature(
                canonicalRequest: canonical.bytes, amzDate: AmzDate.basic(claim.date), secretAccessKey: secret
            ).signature
            guard Digest.constantTimeEquals(Array(expected.utf8), Array(claim.signature.lowercased().utf8)) else {
                return .failure(.signatureMismatch)
            }
            return .success(claim.accessKeyId)
        }
    }

    /// Checks everything that does not need the body: the `Authorization` header is complete and well formed, its
    /// scope and signing time are acceptable and its access key is known. A server can refuse a request that fails
    /// here as soon as its head arrives, before buffering a body it would throw away.
    public func checkHead(headers: [(String, String)], now: Date) -> Failure? {
        if case .failure(let failure) = checkedClaim(headers: headers, now: now) {
            return failure
        }
        return nil
    }

    private func checkedClaim(headers: [(String, String)], now: Date) -> Result<(Claim, String), Failure> {
        parseClaim(headers).flatMap { claim in
            if let failure = checkClock(signingDate: claim.date, now: now) {
                return .failure(failure)
            }
            guard let secret = secretFor(claim.accessKeyId) else {
                return .failure(.unknownAccessKey)
            }
            return .success((claim, secret))
        }
    }

    /// What the `Authorization` and date headers claim.
    private struct Claim {
        let accessKeyId: String
        let region: String
        let signedNames: Set<String>
        let signature: String
        let date: Date
    }

    private func parseClaim(_ headers: [(String, String)]) -> Result<Claim, Failure> {
        guard let authorization = value(of: "authorization", in: headers) else {
            return .failure(.missingAuthentication)
        }
        let amzDate = value(of: "x-amz-date", in: headers)
        let httpDate = value(of: "date", in: headers)
        let parsed = AuthorizationHeader(authorization)
        var missing = [String]()
        if !parsed.isAlgorithmSupported { missing.append("Unsupported AWS 'algorithm': '\(parsed.algorithm)'.") }
        if parsed.credential == nil { missing.append("Authorization header requires 'Credential' parameter.") }
        if parsed.signature == nil { missing.append("Authorization header requires 'Signature' parameter.") }
        if parsed.signedHeaders == nil { missing.append("Authorization header requires 'SignedHeaders' parameter.") }
        if amzDate == nil, httpDate == nil {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard missing.isEmpty, let credential = parsed.credential, let signature = parsed.signature,
            let signedHeaderList = parsed.signedHeaders
        else {
            return .failure(.incompleteSignature(missing.joined(separator: " ")))
        }
        let signedAt = amzDate.map(AmzDate.parseBasic)
            ?? httpDate.flatMap(HTTPDate.parse).map(Date.init(timeIntervalSince1970:))
        guard let date = signedAt else {
            return .failure(
                .incompleteSignature(
                    "Date must be in ISO-8601 'basic format'. Got '\(amzDate ?? httpDate ?? "")'. "
                        + "See http://en.wikipedia.org/wiki/ISO_8601"
                )
            )
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5 else {
            return .failure(
                .incompleteSignature(
                    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
                        + "got '\(credential)'"
                )
            )
        }
        if let failure = checkScope(scope, signingDate: date) {
            return .failure(failure)
        }
        let signedNames = Set(signedHeaderList.split(separator: ";").map { $0.lowercased() })
        guard signedNames.contains("host") else {
            return .failure(
                .invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
            )
        }
        if amzDate != nil, !signedNames.contains("x-amz-date") {
            return .failure(.invalidSignature("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."))
        }
        return .success(
            Claim(accessKeyId: scope[0], region: scope[2], signedNames: signedNames, signature: signature, date: date)
        )
    }

    private func checkScope(_ scope: [String], signingDate: Date) -> Failure? {
        let day = AmzDate.day(signingDate)
        if scope[1] != day {
            return .invalidSignature(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(scope[1])' != '\(day)', from '\(AmzDate.basic(signingDate))'."
            )
        }
        if scope[2].isEmpty {
            return .invalidSignature("Credential should be scoped to a valid region. ")
        }
        if scope[3] != service {
            return .invalidSignature("Credential should be scoped to correct service: '\(service)'. ")
        }
        if scope[4] != "aws4_request" {
            return .invalidSignature(
                "Credential should be scoped with a valid terminator: 'aws4_request', not '\(scope[4])'. "
            )
        }
        return nil
    }

    private func checkClock(signingDate: Date, now: Date) -> Failure? {
        let serverTime = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let earliest = serverTime.addingTimeInterval(-Self.allowedSkew)
        let latest = serverTime.addingTimeInterval(Self.allowedSkew)
        if signingDate < earliest {
            return .expired(
                "Signature expired: \(AmzDate.basic(signingDate)) is now earlier than \(AmzDate.basic(earliest)) "
                    + "(\(AmzDate.basic(serverTime)) - 15 min.)"
            )
        }
        if signingDate > latest {
            return .expired(
                "Signature not yet current: \(AmzDate.basic(signingDate)) is still later than "
                    + "\(AmzDate.basic(latest)) (\(AmzDate.basic(serverTime)) + 15 min.)"
            )
        }
        return nil
    }

    private func value(of name: String, in headers: [(String, String)]) -> String? {
        headers.first { CanonicalRequest.canonicalHeaderName($0.0) == name }?.1
    }
}
