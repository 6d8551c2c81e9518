import Foundation
import SigV4
import XCTest

/// A query name given more than once: the canonical query orders its pairs by name, then by value in byte order
/// (`Value1` before `value10` before `value2`), as botocore does. The official suite has no such case.
final class RepeatedQueryNameTests: XCTestCase {
    private let credentials = Credentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    /// 20150830T123600Z
    private let date = Date(timeIntervalSince1970: 1_440_938_160)
    private let query = [("Param1", "value2"), ("Param1", "Value1"), ("Param1", "value10"), ("A", "b")]
    private let rawQuery = "Param1=value2&Param1=Value1&Param1=value10&A=b"
    /// botocore 1.43.11's SigV4Auth for `GET https://example.amazonaws.com/?` + rawQuery at that date (it adds no
    /// X-Amz-Content-SHA256 header outside S3).
    private let botocoreSignature = "d0fa3228cda79881701b276b1f4d78d5b08bbd3c404521d5582d74cd2aed4300"

    private var signer: SigV4Signer {
        SigV4Signer(service: "service", region: "us-east-1", addsContentSHA256Header: false)
    }

    func testCanonicalQueryOrdersRepeatedNamesByValue() {
        let canonical = signer.canonicalRequest(
            method: "GET", path: "/", query: query, headers: [("Host", "example.amazonaws.com")], body: [],
            credentials: credentials, date: date)
        XCTAssertEqual(
            canonical,
            """
            GET
            /
            A=b&Param1=Value1&Param1=value10&Param1=value2
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
    }

    func testSignatureMatchesBotocore() throws {
        let added = signer.sign(
            method: "GET", path: "/", query: query, headers: [("Host", "example.amazonaws.com")], body: [],
            credentials: credentials, date: date)
        let authorization = try XCTUnwrap(added.first { $0.0 == "Authorization" }?.1)
        XCTAssertEqual(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=\(botocoreSignature)")
    }

    func testVerifierAcceptsBotocoresSignature() {
        let verifier = SigV4Verifier(service: "service") { $0 == "AKIDEXAMPLE" ? self.credentials.secretAccessKey : nil }
        let headers = [
            ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=\(botocoreSignature)"
            ),
        ]
        let result = verifier.verify(
            method: "GET", rawPath: "/", rawQuery: rawQuery, headers: headers, body: [], now: date)
        XCTAssertEqual(result, .success("AKIDEXAMPLE"))
    }
}
