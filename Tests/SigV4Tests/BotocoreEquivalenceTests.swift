import Foundation
import SigV4
import XCTest

/// The signer against botocore's SigV4Auth for Cognito Sync requests: wire paths with `%3A` (encoded twice in the
/// canonical URI), query values needing escapes, session tokens and JSON bodies.
final class BotocoreEquivalenceTests: XCTestCase {
    /// Vectors committed in `Fixtures/botocore/botocore-vectors.json`, made by running
    /// `python3 sign_with_botocore.py requests.json > botocore-vectors.json` in that folder (botocore 1.43.11).
    func testCommittedBotocoreVectors() throws {
        let data = try Data(contentsOf: BotocoreVector.folder.appendingPathComponent("botocore-vectors.json"))
        let vectors = try BotocoreVector.decode(data)
        XCTAssertEqual(vectors.count, 7)
        for vector in vectors {
            assertMatchesBotocore(vector)
        }
    }

    /// The same requests signed by the botocore installed on this machine, when there is one.
    func testLiveBotocore() throws {
        let script = BotocoreVector.folder.appendingPathComponent("sign_with_botocore.py").path
        let requests = BotocoreVector.folder.appendingPathComponent("requests.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, requests]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        // python3 and botocore are installed by scripts/setup: their absence fails the test.
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "the botocore helper failed (scripts/setup installs botocore)")
        guard process.terminationStatus == 0 else { return }
        let vectors = try BotocoreVector.decode(data)
        XCTAssertEqual(vectors.count, 7)
        for vector in vectors {
            assertMatchesBotocore(vector)
        }
    }

    /// The verifier accepts every request exactly as botocore signed it.
    func testVerifierAcceptsBotocoreSignedRequests() throws {
        let data = try Data(contentsOf: BotocoreVector.folder.appendingPathComponent("botocore-vectors.json"))
        for vector in try BotocoreVector.decode(data) {
            let body = Array(vector.body.utf8)
            var headers = vector.requestHeaders
            if vector.contentSHA256Header {
                headers.append(("X-Amz-Content-SHA256", Digest.sha256Hex(body)))
            }
            headers += vector.botocore.addedHeaders.map { ($0[0], $0[1]) }
            let url = URLComponents(string: vector.botocore.url)!
            let verifier = SigV4Verifier(service: vector.service) {
                $0 == vector.credentials.accessKeyId ? vector.credentials.secretAccessKey : nil
            }
            let result = verifier.verify(
                method: vector.method, rawPath: url.percentEncodedPath, rawQuery: url.percentEncodedQuery ?? "",
                headers: headers, body: body, now: vector.signingDate.addingTimeInterval(60)
            )
            XCTAssertEqual(try result.get(), vector.credentials.accessKeyId, vector.name)
        }
    }

    func testWirePathColonIsEncodedTwice() throws {
        let data = try Data(contentsOf: BotocoreVector.folder.appendingPathComponent("botocore-vectors.json"))
        let vector = try BotocoreVector.decode(data).first { $0.name == "describe-dataset-colon-ids" }!
        let canonical = vector.signer.canonicalRequest(
            method: vector.method, path: vector.path, query: [], headers: vector.requestHeaders, body: [],
            credentials: vector.signingCredentials, date: vector.signingDate
        )
        let uri = canonical.components(separatedBy: "\n")[1]
        XCTAssertTrue(uri.hasPrefix("/identitypools/us-east-1%253A11111111-"), uri)
        XCTAssertFalse(uri.contains("%3A"), uri)
    }

    private func assertMatchesBotocore(_ vector: BotocoreVector, file: StaticString = #filePath, line: UInt = #line) {
        let signer = vector.signer
        let body = Array(vector.body.utf8)
        let canonical = signer.canonicalRequest(
            method: vector.method, path: vector.path, query: vector.queryPairs, headers: vector.requestHeaders,
            body: body, credentials: vector.signingCredentials, date: vector.signingDate
        )
        XCTAssertEqual(canonical, vector.botocore.canonicalRequest, vector.name, file: file, line: line)
        XCTAssertEqual(
            signer.stringToSign(canonicalRequest: canonical, date: vector.signingDate), vector.botocore.stringToSign,
            vector.name, file: file, line: line
        )
        let added = signer.sign(
            method: vector.method, path: vector.path, query: vector.queryPairs, headers: vector.requestHeaders,
            body: body, credentials: vector.signingCredentials, date: vector.signingDate
        )
        // botocore's run put X-Amz-Content-SHA256 on the request before signing, so it is not among its additions.
        let withoutHash = added.filter { $0.0 != "X-Amz-Content-SHA256" }
        XCTAssertEqual(
            withoutHash.map { [$0.0, $0.1] }, vector.botocore.addedHeaders, vector.name, file: file, line: line)
        XCTAssertEqual(added.last?.1, vector.botocore.authorization, vector.name, file: file, line: line)
        let hashHeader = added.first { $0.0 == "X-Amz-Content-SHA256" }
        if vector.contentSHA256Header {
            XCTAssertEqual(hashHeader?.1, Digest.sha256Hex(body), vector.name, file: file, line: line)
        } else {
            XCTAssertNil(hashHeader, vector.name, file: file, line: line)
        }
    }
}
