import Foundation
import SigV4
import XCTest

final class SigV4VerifierTests: XCTestCase {
    private let keys = ["AKIDLOCAL": "local-secret", "AKIDOTHER": "other-secret"]
    private let signingDate = Date(timeIntervalSince1970: 1_795_743_300)  // 2026-11-27T01:35:00Z
    private let path = "/identitypools/us-east-1%3Apool/identities/us-east-1%3Aid/datasets/my.set/records"
    private let body = Array(#"{"SyncSessionToken":"abc","RecordPatches":[]}"#.utf8)

    private var verifier: SigV4Verifier {
        let keys = self.keys
        return SigV4Verifier(service: "cognito-sync") { keys[$0] }
    }

    private struct Request {
        var method = "POST"
        var path: String
        var rawQuery = ""
        var headers: [(String, String)]
        var body: [UInt8]
    }

    /// A request signed like the client signs it, with the query sent in its encoded wire form.
    private func signedRequest(
        credentials: Credentials = Credentials(accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret"),
        query: [(String, String)] = [("maxResults", "10"), ("nextToken", "a+b/c d")],
        region: String = "us-east-1", service: String = "cognito-sync", date: Date? = nil
    ) -> Request {
        let headers = [
            ("Host", "127.0.0.1:4566"), ("Content-Type", "application/json"), ("x-amz-Client-Context", "ctx"),
        ]
        let signer = SigV4Signer(service: service, region: region)
        let added = signer.sign(
            method: "POST", path: path, query: query, headers: headers, body: body, credentials: credentials,
            date: date ?? signingDate
        )
        let rawQuery = query.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }
            .joined(separator: "&")
        return Request(path: path, rawQuery: rawQuery, headers: headers + added, body: body)
    }

    private func verify(_ request: Request, now: Date? = nil) -> Result<String, SigV4Verifier.Failure> {
        verifier.verify(
            method: request.method, rawPath: request.path, rawQuery: request.rawQuery, headers: request.headers,
            body: request.body, now: now ?? signingDate
        )
    }

    private func replacing(_ name: String, with value: String, in request: Request) -> Request {
        var copy = request
        copy.headers = request.headers.map { $0.0.lowercased() == name.lowercased() ? ($0.0, value) : $0 }
        return copy
    }

    private func authorization(of request: Request) -> String {
        request.headers.first { $0.0 == "Authorization" }!.1
    }

    func testSignedRequestVerifiesAndNamesItsAccessKey() {
        XCTAssertEqual(try verify(signedRequest()).get(), "AKIDLOCAL")
    }

    func testSessionTokenRequestVerifies() {
        let credentials = Credentials(accessKeyId: "AKIDOTHER", secretAccessKey: "other-secret", sessionToken: "t+k/n=")
        XCTAssertEqual(try verify(signedRequest(credentials: credentials)).get(), "AKIDOTHER")
    }

    func testRegionComesFromTheCredentialScope() {
        XCTAssertEqual(try verify(signedRequest(region: "eu-west-1")).get(), "AKIDLOCAL")
    }

    func testQueryInAnyOrderAndHeaderNamesInAnyCaseVerify() {
        var request = signedRequest()
        request.rawQuery = request.rawQuery.split(separator: "&").reversed().joined(separator: "&")
        request.headers = request.headers.map { ($0.0.uppercased(), $0.1) }
        XCTAssertEqual(try verify(request).get(), "AKIDLOCAL")
    }

    func testUnsignedExtraHeadersAreIgnored() {
        var request = signedRequest()
        request.headers.append(("User-Agent", "curl/8"))
        request.headers.append(("Accept", "*/*"))
        XCTAssertEqual(try verify(request).get(), "AKIDLOCAL")
    }

    func testTamperedBodyIsRejected() {
        var request = signedRequest()
        request.body = Array(#"{"SyncSessionToken":"abd","RecordPatches":[]}"#.utf8)
        XCTAssertEqual(verify(request), .failure(.signatureMismatch))
    }

    func testTamperedSignedHeaderIsRejected() {
        XCTAssertEqual(
            verify(replacing("x-amz-Client-Context", with: "other", in: signedRequest())),
            .failure(.signatureMismatch))
    }

    func testTamperedPathIsRejected() {
        var request = signedRequest()
        request.path = request.path.replacingOccurrences(of: "my.set", with: "my.sex")
        XCTAssertEqual(verify(request), .failure(.signatureMismatch))
    }

    func testDecodedColonInPathDoesNotMatchTheEncodedSignature() {
        var request = signedRequest()
        request.path = request.path.replacingOccurrences(of: "%3A", with: ":")
        XCTAssertEqual(verify(request), .failure(.signatureMismatch))
    }

    func testTamperedQueryIsRejected() {
        var request = signedRequest()
        request.rawQuery = request.rawQuery.replacingOccurrences(of: "maxResults=10", with: "maxResults=11")
        XCTAssertEqual(verify(request), .failure(.signatureMismatch))
    }

    func testTamperedMethodIsRejected() {
        var request = signedRequest()
        request.method = "PUT"
        XCTAssertEqual(verify(request), .failure(.signatureMismatch))
    }

    func testWrongSecretIsRejected() {
        let credentials = Credentials(accessKeyId: "AKIDLOCAL", secretAccessKey: "not-the-secret")
        XCTAssertEqual(verify(signedRequest(credentials: credentials)), .failure(.signatureMismatch))
    }

    func testUnknownAccessKeyIsRejected() {
        let credentials = Credentials(accessKeyId: "AKIDNOBODY", secretAccessKey: "local-secret")
        let result = verify(signedRequest(credentials: credentials))
        XCTAssertEqual(result, .failure(.unknownAccessKey))
        XCTAssertEqual(SigV4Verifier.Failure.unknownAccessKey.code, "UnrecognizedClientException")
    }

    func testWrongServiceInScopeIsRejected() {
        let result = verify(signedRequest(service: "cognito-identity"))
        XCTAssertEqual(
            result, .failure(.invalidSignature("Credential should be scoped to correct service: 'cognito-sync'. ")))
    }

    func testExpiredSignatureUsesTheAWSMessage() {
        let now = signingDate.addingTimeInterval(15 * 60 + 1)
        let failure = SigV4Verifier.Failure.expired(
            "Signature expired: 20261127T013500Z is now earlier than 20261127T013501Z (20261127T015001Z - 15 min.)"
        )
        XCTAssertEqual(verify(signedRequest(), now: now), .failure(failure))
        XCTAssertEqual(failure.code, "InvalidSignatureException")
        XCTAssertEqual(failure.statusCode, 403)
    }

    func testExpiredMessageFromTheBrief() {
        let signed = Date(timeIntervalSince1970: 1_795_741_200)  // 2026-11-27T01:00:00Z
        let now = Date(timeIntervalSince1970: 1_795_743_300)  // 01:35:00
        XCTAssertEqual(
            verify(signedRequest(date: signed), now: now),
            .failure(
                .expired(
                    "Signature expired: 20261127T010000Z is now earlier than 20261127T012000Z "
                        + "(20261127T013500Z - 15 min.)"
                )
            )
        )
    }

    func testFutureSignatureIsRejected() {
        let now = signingDate.addingTimeInterval(-(15 * 60 + 30))
        XCTAssertEqual(
            verify(signedRequest(), now: now),
            .failure(
                .expired(
                    "Signature not yet current: 20261127T013500Z is still later than 20261127T013430Z "
                        + "(20261127T011930Z + 15 min.)"
                )
            )
        )
    }

    func testFifteenMinutesEitherWayIsAccepted() {
        XCTAssertEqual(try verify(signedRequest(), now: signingDate.addingTimeInterval(15 * 60)).get(), "AKIDLOCAL")
        XCTAssertEqual(try verify(signedRequest(), now: signingDate.addingTimeInterval(-15 * 60)).get(), "AKIDLOCAL")
    }

    func testMissingAuthorization() {
        var request = signedRequest()
        request.headers.removeAll { $0.0 == "Authorization" }
        XCTAssertEqual(verify(request), .failure(.missingAuthentication))
        XCTAssertEqual(SigV4Verifier.Failure.missingAuthentication.message, "Missing Authentication Token")
    }

    func testMissingDateHeader() {
        var request = signedRequest()
        request.headers.removeAll { $0.0 == "X-Amz-Date" }
        XCTAssertEqual(
            verify(request),
            .failure(
                .incompleteSignature(
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                )
            )
        )
    }

    func testMalformedDateHeader() {
        let request = replacing("X-Amz-Date", with: "2026-11-27T01:35:00Z", in: signedRequest())
        guard case .failure(.incompleteSignature(let message)) = verify(request) else {
            return XCTFail("expected an incomplete signature")
        }
        XCTAssertTrue(message.hasPrefix("Date must be in ISO-8601 'basic format'. Got '2026-11-27T01:35:00Z'."))
    }

    func testDateHeaderWithAYearTooLongIsIncompleteNotATrap() {
        var request = signedRequest()
        request.headers.removeAll { $0.0 == "X-Amz-Date" }
        for year in ["999999999999", "99999999999"] {
            let date = "Sun, 06 Nov \(year) 08:49:37 GMT"
            let dated = Request(path: request.path, rawQuery: request.rawQuery, headers: request.headers + [("Date", date)],
                                body: request.body)
            XCTAssertEqual(
                verify(dated),
                .failure(
                    .incompleteSignature(
                        "Date must be in ISO-8601 'basic format'. Got '\(date)'. See http://en.wikipedia.org/wiki/ISO_8601"
                    )
                )
            )
        }
    }

    func testCheckHeadRefusesWhatNeedsNoBody() {
        let request = signedRequest()
        XCTAssertNil(verifier.checkHead(headers: request.headers, now: signingDate))
        XCTAssertEqual(verifier.checkHead(headers: [("Host", "h")], now: signingDate), .missingAuthentication)
        XCTAssertEqual(
            verifier.checkHead(headers: replacing("Authorization", with: "AWS4-HMAC-SHA256 x", in: request).headers,
                               now: signingDate),
            .incompleteSignature(
                "Authorization header requires 'Credential' parameter. "
                    + "Authorization header requires 'Signature' parameter. "
                    + "Authorization header requires 'SignedHeaders' parameter."
            )
        )
        let other = signedRequest(credentials: Credentials(accessKeyId: "AKIDNOBODY", secretAccessKey: "s"))
        XCTAssertEqual(verifier.checkHead(headers: other.headers, now: signingDate), .unknownAccessKey)
        guard case .expired = verifier.checkHead(headers: request.headers, now: signingDate + 3600) else {
            return XCTFail("expected an expired signature")
        }
    }

    func testAuthorizationWithoutSignatureOrSignedHeaders() {
        let request = signedRequest()
        let credentialOnly = authorization(of: request).components(separatedBy: ", ")[0]
        XCTAssertEqual(
            verify(replacing("Authorization", with: credentialOnly, in: request)),
            .failure(
                .incompleteSignature(
                    "Authorization header requires 'Signature' parameter. "
                        + "Authorization header requires 'SignedHeaders' parameter."
                )
            )
        )
    }

    func testIncompleteSignatureMessageNeverEchoesTheSignature() {
        let request = signedRequest()
        let value = authorization(of: request)
        let signature = String(value[value.range(of: "Signature=")!.upperBound...])
        let withoutCredential = value.replacingOccurrences(of: "Credential=", with: "Cred=")
        guard case .failure(let failure) = verify(replacing("Authorization", with: withoutCredential, in: request))
        else {
            return XCTFail("expected a failure")
        }
        XCTAssertEqual(failure, .incompleteSignature("Authorization header requires 'Credential' parameter."))
        XCTAssertFalse(failure.message.contains(signature))
    }

    func testScopeDateMustMatchTheSigningDate() {
        let request = signedRequest()
        let value = authorization(of: request).replacingOccurrences(of: "/20261127/", with: "/20261126/")
        XCTAssertEqual(
            verify(replacing("Authorization", with: value, in: request)),
            .failure(
                .invalidSignature(
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                        + "'20261126' != '20261127', from '20261127T013500Z'."
                )
            )
        )
    }

    func testHostMustBeSigned() {
        let signer = SigV4Signer(service: "cognito-sync", region: "us-east-1")
        let credentials = Credentials(accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret")
        let added = signer.sign(
            method: "GET", path: "/identitypools", query: [], headers: [], body: [], credentials: credentials,
            date: signingDate
        )
        let result = verifier.verify(
            method: "GET", rawPath: "/identitypools", rawQuery: "", headers: [("Host", "h")] + added, body: [],
            now: signingDate
        )
        XCTAssertEqual(
            result,
            .failure(.invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."))
        )
    }

    func testUnsupportedAlgorithm() {
        let request = signedRequest()
        let value = authorization(of: request).replacingOccurrences(of: "AWS4-HMAC-SHA256", with: "AWS4-HMAC-SHA512")
        XCTAssertEqual(
            verify(replacing("Authorization", with: value, in: request)),
            .failure(.incompleteSignature("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."))
        )
    }

    func testHTTPDateHeaderCanCarryTheSigningTime() {
        let credentials = Credentials(accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret")
        let headers = [("Host", "127.0.0.1:4566"), ("Date", "Fri, 27 Nov 2026 01:35:00 GMT")]
        let signer = SigV4Signer(service: "cognito-sync", region: "us-east-1", addsContentSHA256Header: false)
        let canonical = signer.canonicalRequest(
            method: "GET", path: "/identitypools", query: [], headers: headers, body: [], credentials: credentials,
            date: signingDate
        )
        // Without X-Amz-Date the client signs only the headers it sends.
        let unsignedDate = canonical.replacingOccurrences(of: "x-amz-date:20261127T013500Z\n", with: "")
            .replacingOccurrences(of: ";x-amz-date", with: "")
        let signature = signer.signature(
            stringToSign: signer.stringToSign(canonicalRequest: unsignedDate, date: signingDate),
            secretAccessKey: "local-secret", date: signingDate
        )
        let authorization =
            "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20261127/us-east-1/cognito-sync/aws4_request, "
            + "SignedHeaders=date;host, Signature=\(signature)"
        let result = verifier.verify(
            method: "GET", rawPath: "/identitypools", rawQuery: "",
            headers: headers + [("Authorization", authorization)],
            body: [], now: signingDate
        )
        XCTAssertEqual(try result.get(), "AKIDLOCAL")
    }
}
