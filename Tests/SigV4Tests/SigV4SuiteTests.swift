import Foundation
import SigV4
import XCTest

/// Every case of the official SigV4 test suite, in header (Authorization) mode: the signer makes the suite's
/// signature, and the verifier accepts the suite's signed request.
final class SigV4SuiteTests: XCTestCase {
    static let caseNames = [
        "get-header-key-duplicate",
        "get-header-value-multiline",
        "get-header-value-order",
        "get-header-value-trim",
        "get-relative-normalized",
        "get-relative-relative-normalized",
        "get-relative-relative-unnormalized",
        "get-relative-unnormalized",
        "get-slash-dot-slash-normalized",
        "get-slash-dot-slash-unnormalized",
        "get-slash-normalized",
        "get-slash-pointless-dot-normalized",
        "get-slash-pointless-dot-unnormalized",
        "get-slash-unnormalized",
        "get-slashes-normalized",
        "get-slashes-unnormalized",
        "get-space-normalized",
        "get-space-unnormalized",
        "get-unreserved",
        "get-utf8",
        "get-vanilla",
        "get-vanilla-empty-query-key",
        "get-vanilla-query",
        "get-vanilla-query-order-encoded",
        "get-vanilla-query-order-key-case",
        "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query",
        "get-vanilla-with-session-token",
        "post-header-key-case",
        "post-header-key-sort",
        "post-header-value-case",
        "post-sts-header-after",
        "post-sts-header-before",
        "post-vanilla",
        "post-vanilla-empty-query-value",
        "post-vanilla-query",
        "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters",
    ]

    func testEveryCaseFolderIsExercised() throws {
        XCTAssertEqual(try SuiteCase.allNames(), Self.caseNames)
        XCTAssertEqual(Self.caseNames.count, 38)
    }

    func testGetHeaderKeyDuplicate() throws { try check("get-header-key-duplicate") }
    func testGetHeaderValueMultiline() throws { try check("get-header-value-multiline") }
    func testGetHeaderValueOrder() throws { try check("get-header-value-order") }
    func testGetHeaderValueTrim() throws { try check("get-header-value-trim") }
    func testGetRelativeNormalized() throws { try check("get-relative-normalized") }
    func testGetRelativeRelativeNormalized() throws { try check("get-relative-relative-normalized") }
    func testGetRelativeRelativeUnnormalized() throws { try check("get-relative-relative-unnormalized") }
    func testGetRelativeUnnormalized() throws { try check("get-relative-unnormalized") }
    func testGetSlashDotSlashNormalized() throws { try check("get-slash-dot-slash-normalized") }
    func testGetSlashDotSlashUnnormalized() throws { try check("get-slash-dot-slash-unnormalized") }
    func testGetSlashNormalized() throws { try check("get-slash-normalized") }
    func testGetSlashPointlessDotNormalized() throws { try check("get-slash-pointless-dot-normalized") }
    func testGetSlashPointlessDotUnnormalized() throws { try check("get-slash-pointless-dot-unnormalized") }
    func testGetSlashUnnormalized() throws { try check("get-slash-unnormalized") }
    func testGetSlashesNormalized() throws { try check("get-slashes-normalized") }
    func testGetSlashesUnnormalized() throws { try check("get-slashes-unnormalized") }
    func testGetSpaceNormalized() throws { try check("get-space-normalized") }
    func testGetSpaceUnnormalized() throws { try check("get-space-unnormalized") }
    func testGetUnreserved() throws { try check("get-unreserved") }
    func testGetUtf8() throws { try check("get-utf8") }
    func testGetVanilla() throws { try check("get-vanilla") }
    func testGetVanillaEmptyQueryKey() throws { try check("get-vanilla-empty-query-key") }
    func testGetVanillaQuery() throws { try check("get-vanilla-query") }
    func testGetVanillaQueryOrderEncoded() throws { try check("get-vanilla-query-order-encoded") }
    func testGetVanillaQueryOrderKeyCase() throws { try check("get-vanilla-query-order-key-case") }
    func testGetVanillaQueryUnreserved() throws { try check("get-vanilla-query-unreserved") }
    func testGetVanillaUtf8Query() throws { try check("get-vanilla-utf8-query") }
    func testGetVanillaWithSessionToken() throws { try check("get-vanilla-with-session-token") }
    func testPostHeaderKeyCase() throws { try check("post-header-key-case") }
    func testPostHeaderKeySort() throws { try check("post-header-key-sort") }
    func testPostHeaderValueCase() throws { try check("post-header-value-case") }
    func testPostStsHeaderAfter() throws { try check("post-sts-header-after") }
    func testPostStsHeaderBefore() throws { try check("post-sts-header-before") }
    func testPostVanilla() throws { try check("post-vanilla") }
    func testPostVanillaEmptyQueryValue() throws { try check("post-vanilla-empty-query-value") }
    func testPostVanillaQuery() throws { try check("post-vanilla-query") }
    func testPostXWwwFormUrlencoded() throws { try check("post-x-www-form-urlencoded") }
    func testPostXWwwFormUrlencodedParameters() throws { try check("post-x-www-form-urlencoded-parameters") }

    private func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let suite = try SuiteCase(name)
        let signer = suite.signer
        let query = PercentEncoding.decodeQuery(suite.rawQuery)
        let canonical = signer.canonicalRequest(
            method: suite.method, path: suite.path, query: query, headers: suite.headers, body: suite.body,
            credentials: suite.credentials, date: suite.date
        )
        XCTAssertEqual(canonical, suite.canonicalRequest, "canonical request", file: file, line: line)
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, date: suite.date)
        XCTAssertEqual(stringToSign, suite.stringToSign, "string to sign", file: file, line: line)
        XCTAssertEqual(
            signer.signature(
                stringToSign: stringToSign, secretAccessKey: suite.credentials.secretAccessKey, date: suite.date
            ),
            suite.signature, "signature", file: file, line: line
        )

        let added = signer.sign(
            method: suite.method, path: suite.path, query: query, headers: suite.headers, body: suite.body,
            credentials: suite.credentials, date: suite.date
        )
        XCTAssertEqual(added.map { $0.0 }.last, "Authorization", file: file, line: line)
        for (name, value) in added {
            XCTAssertEqual(
                value, suite.signedRequestHeader(name), "signed request header \(name)", file: file, line: line)
        }
        XCTAssertTrue(
            added.last!.1.hasSuffix("Signature=\(suite.signature)"), "Authorization carries the signature",
            file: file, line: line
        )
        checkVerifier(suite, file: file, line: line)
    }

    /// The verifier accepts the suite's signed request as a server receives it (the path percent-encoded once,
    /// as on the wire, the query as written) and refuses it once its path, a signed header or its body changes.
    private func checkVerifier(_ suite: SuiteCase, file: StaticString, line: UInt) {
        let credentials = suite.credentials
        let verifier = SigV4Verifier(
            service: suite.context.service, doubleEncodePath: false, normalizePath: suite.context.normalize
        ) { $0 == credentials.accessKeyId ? credentials.secretAccessKey : nil }
        let signed = suite.signed
        let wirePath = signed.path.split(separator: "/", omittingEmptySubsequences: false)
            .map { PercentEncoding.encode(String($0)) }.joined(separator: "/")
        func verify(path: String, headers: [(String, String)], body: [UInt8]) -> Result<String, SigV4Verifier.Failure> {
            verifier.verify(
                method: signed.method, rawPath: path, rawQuery: signed.rawQuery, headers: headers, body: body,
                now: suite.date
            )
        }
        XCTAssertEqual(
            try verify(path: wirePath, headers: signed.headers, body: signed.body).get(), credentials.accessKeyId,
            "verifier", file: file, line: line
        )
        XCTAssertEqual(
            verify(path: wirePath + "x", headers: signed.headers, body: signed.body), .failure(.signatureMismatch),
            "verifier, path changed", file: file, line: line
        )
        let tampered = signed.headers.map { $0.0.lowercased() == "host" ? ($0.0, "other.amazonaws.com") : $0 }
        XCTAssertEqual(
            verify(path: wirePath, headers: tampered, body: signed.body), .failure(.signatureMismatch),
            "verifier, Host changed", file: file, line: line
        )
        XCTAssertEqual(
            verify(path: wirePath, headers: signed.headers, body: signed.body + Array("x".utf8)),
            .failure(.signatureMismatch), "verifier, body changed", file: file, line: line
        )
    }
}
