import Foundation
import XCTest

@testable import CognitoSync

/// The AWS CLI's SSO token cache: file names, token files as botocore reads and writes them, and the atomic
/// write-back.
final class SSOTokenCacheTests: ConfigTests {
    private var cacheDirectory: String { path(".aws/sso/cache") }

    private func sampleToken() -> SSOToken {
        SSOToken(
            accessToken: "tok\"é😀\u{7f}/", expiresAt: Date(timeIntervalSince1970: 1_795_953_600.5),
            refreshToken: "rt", clientId: "cid", clientSecret: "sec\n",
            registrationExpiresAt: "2027-01-01T00:00:00Z", region: "eu-west-1", startUrl: "https://x.awsapps.com/start"
        )
    }

    func testFileNamesAreTheSHA1OfTheSessionNameOrStartURL() {
        // Values from Python: hashlib.sha1(name.encode("utf-8")).hexdigest()
        XCTAssertEqual(SSOTokenCache.fileName(for: "corp"), "ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
        XCTAssertEqual(
            SSOTokenCache.fileName(for: "https://my-sso-portal.awsapps.com/start"),
            "c7aaaf71fcc8777ae2475525ed049d39fe16c484.json"
        )
        XCTAssertEqual(SSOTokenCache.fileName(for: "d-é"), "da1ca0621aebc5b7eb0ef5de5d50c66fcc29801d.json")
        XCTAssertEqual(
            SSOTokenCache(home: "/home/op").path(for: "corp"),
            "/home/op/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"
        )
    }

    func testCacheFileTextIsWhatBotocoreWrites() {
        // botocore.tokens._sso_json_dumps of the dict SSOTokenProvider._attempt_create_token builds.
        let expected = #"{"startUrl": "https://x.awsapps.com/start", "region": "eu-west-1", "#
            + #""accessToken": "tok\"\u00e9\ud83d\ude00\u007f/", "expiresAt": "2026-11-29T12:00:00Z", "#
            + #""clientId": "cid", "clientSecret": "sec\n", "registrationExpiresAt": "2027-01-01T00:00:00Z", "#
            + #""refreshToken": "rt"}"#
        XCTAssertEqual(String(decoding: sampleToken().cacheFileContents(), as: UTF8.self), expected)
    }

    func testAWSCLIFileParses() throws {
        let text = """
            {"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1", "accessToken": "AT",
             "expiresAt": "2026-11-29T12:00:00Z", "clientId": "C", "clientSecret": "S",
             "registrationExpiresAt": "2027-02-01T00:00:00Z", "refreshToken": "R", "extra": 3}
            """
        let token = try SSOToken.parse(Array(text.utf8))
        XCTAssertEqual(token.accessToken, "AT")
        XCTAssertEqual(token.expiresAt, Date(timeIntervalSince1970: 1_795_953_600))
        XCTAssertEqual(token.refreshToken, "R")
        XCTAssertEqual(token.clientId, "C")
        XCTAssertEqual(token.clientSecret, "S")
        XCTAssertEqual(token.registrationExpiresAt, "2027-02-01T00:00:00Z")
        XCTAssertEqual(token.startUrl, "https://d-1.awsapps.com/start")
        XCTAssertEqual(token.region, "us-east-1")
        XCTAssertEqual("\(token)", "SSOToken(expiresAt: 2026-11-29T12:00:00Z)")
    }

    func testLegacyAndOtherDateFormsParse() throws {
        let noon = Date(timeIntervalSince1970: 1_795_953_600)
        for text in ["2026-11-29T12:00:00UTC", "2026-11-29T12:00:00Z", "2026-11-29T13:00:00+01:00"] {
            XCTAssertEqual(SSOTimestamp.parse(text), noon, text)
        }
        XCTAssertEqual(SSOTimestamp.parse("2026-11-29T12:00:00.250Z"), noon.addingTimeInterval(0.25))
        XCTAssertNil(SSOTimestamp.parse("tomorrow"))
    }

    func testUnusableTokenFilesSayWhy() {
        let cases: [(String, String)] = [
            ("not json", "is not a JSON object"),
            (#"{"accessToken": "AT"}"#, "has no accessToken or expiresAt"),
            (#"{"expiresAt": "2026-11-29T12:00:00Z"}"#, "has no accessToken or expiresAt"),
            (#"{"accessToken": "AT", "expiresAt": "soon"}"#, "has an expiresAt that is not a date"),
        ]
        for (text, reason) in cases {
            XCTAssertThrowsError(try SSOToken.parse(Array(text.utf8)), text) { error in
                XCTAssertEqual(error as? SSOToken.ParseError, SSOToken.ParseError(description: reason))
            }
        }
    }

    func testLoadGivesNilWithoutAFileAndNamesABadFile() throws {
        let cache = SSOTokenCache(directory: cacheDirectory)
        XCTAssertNil(try cache.load("corp"))
        try write("[]", to: ".aws/sso/cache/" + SSOTokenCache.fileName(for: "corp"))
        XCTAssertThrowsError(try cache.load("corp")) { error in
            XCTAssertEqual("\(error)", cache.path(for: "corp") + " is not a JSON object")
        }
    }

    func testSaveReplacesTheFileWholeWithAPrivateOne() throws {
        let cache = SSOTokenCache(directory: cacheDirectory)
        let file = cache.path(for: "corp")
        try write(#"{"accessToken": "OLD", "expiresAt": "2026-01-01T00:00:00Z"}"#, to: ".aws/sso/cache/"
            + SSOTokenCache.fileName(for: "corp"))
        // A reader that opened the old file keeps reading the whole old file: the new one is renamed over it,
        // never written into it.
        let reader = try XCTUnwrap(FileHandle(forReadingAtPath: file))
        defer { try? reader.close() }
        try cache.save(sampleToken(), for: "corp")
        XCTAssertEqual(
            String(decoding: reader.readDataToEndOfFile(), as: UTF8.self),
            #"{"accessToken": "OLD", "expiresAt": "2026-01-01T00:00:00Z"}"#
        )
        XCTAssertEqual(try XCTUnwrap(FileManager.default.contents(atPath: file)), Data(sampleToken().cacheFileContents()))
        XCTAssertEqual(try cache.load("corp"), SSOToken(
            accessToken: "tok\"é😀\u{7f}/", expiresAt: Date(timeIntervalSince1970: 1_795_953_600),
            refreshToken: "rt", clientId: "cid", clientSecret: "sec\n",
            registrationExpiresAt: "2027-01-01T00:00:00Z", region: "eu-west-1", startUrl: "https://x.awsapps.com/start"
        ))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cacheDirectory), [
            SSOTokenCache.fileName(for: "corp")
        ])
    }

    func testSaveCreatesTheCacheDirectory() throws {
        let cache = SSOTokenCache(directory: path("fresh/.aws/sso/cache"))
        try cache.save(sampleToken(), for: "https://x.awsapps.com/start")
        XCTAssertEqual(try cache.load("https://x.awsapps.com/start")?.accessToken, sampleToken().accessToken)
    }

    func testAFailedSaveLeavesNoTemporaryFileAndNoSecret() throws {
        let cache = SSOTokenCache(directory: cacheDirectory)
        // A directory where the cache file should be: the rename fails after the temporary file was written.
        try FileManager.default.createDirectory(
            atPath: cache.path(for: "corp") + "/occupied", withIntermediateDirectories: true
        )
        XCTAssertThrowsError(try cache.save(sampleToken(), for: "corp")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("cannot write \(cache.path(for: "corp")): "), message)
            XCTAssertFalse(message.contains("tok\"") || message.contains("sec\n"), message)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cacheDirectory), [
            SSOTokenCache.fileName(for: "corp")
        ])
    }
}
