import Foundation
import SigV4
import XCTest

@testable import CognitoSync

final class CredentialProcessTests: ConfigTests {
    private let region = ["AWS_REGION": "us-east-1"]

    /// A script that counts its runs in `$HOME/runs` and prints credentials expiring at `expiration` (a shell
    /// expression) with the run number in the access key id.
    private func writeCountingScript(expiration: String) throws -> String {
        try write(
            """
            #!/bin/sh
            echo run >> "$HOME/runs"
            n=$(wc -l < "$HOME/runs" | tr -d ' ')
            printf '{"Version": 1, "AccessKeyId": "AKIDRUN%s", "SecretAccessKey": "process-secret",\
             "SessionToken": "process-token", "Expiration": "%s"}' "$n" "\(expiration)"
            """,
            to: "bin/counting", executable: true
        )
    }

    private var runs: Int {
        let text = (try? String(contentsOfFile: path("runs"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").count
    }

    private func useProcess(_ command: String) throws {
        try writeConfig("[default]\ncredential_process = \(command)\n")
    }

    func testProcessCredentialsAreParsed() throws {
        let script = try write(
            """
            #!/bin/sh
            cat <<'JSON'
            {"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret",
             "SessionToken": "proc-token", "Expiration": "2099-01-02T03:04:05Z", "AccountId": "123456789012"}
            JSON
            """,
            to: "bin/creds", executable: true
        )
        try useProcess(script)
        let credentials = try resolve(ClientSettings(), region).credentials.credentials()
        XCTAssertEqual(
            credentials,
            Credentials(
                accessKeyId: "AKIDPROC", secretAccessKey: "proc-secret", sessionToken: "proc-token",
                expiration: Date(timeIntervalSince1970: 4_071_006_245)
            )
        )
    }

    func testCommandLineRunsThroughTheShell() throws {
        let script = try write(
            """
            #!/bin/sh
            printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' "$1" "$2"
            """,
            to: "bin/args", executable: true
        )
        try useProcess("\(script) 'AKID WITH SPACE' \"$HOME\"")
        let credentials = try resolve(ClientSettings(), region).credentials.credentials()
        XCTAssertEqual(credentials.accessKeyId, "AKID WITH SPACE")
        XCTAssertEqual(credentials.secretAccessKey, directory.path)
        XCTAssertNil(credentials.sessionToken)
        XCTAssertNil(credentials.expiration)
    }

    func testResolvingDoesNotRunTheProcess() throws {
        try useProcess(try writeCountingScript(expiration: "2099-01-01T00:00:00Z"))
        let resolved = try resolve(ClientSettings(), region)
        XCTAssertEqual(runs, 0)
        XCTAssertEqual(try resolved.credentials.credentials().accessKeyId, "AKIDRUN1")
        XCTAssertEqual(runs, 1)
    }

    func testCredentialsAreCachedUntilNearExpiry() throws {
        try useProcess(try writeCountingScript(expiration: "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)"))
        let provider = try resolve(ClientSettings(), region).credentials
        for _ in 0..<3 {
            XCTAssertEqual(try provider.credentials().accessKeyId, "AKIDRUN1")
        }
        XCTAssertEqual(runs, 1)
    }

    func testShortLivedCredentialsAreUsedRatherThanFetchedOnEveryCall() throws {
        // credential_process refreshes 5 minutes before expiry in the background, and waits from 3⅓ minutes; a
        // process that only ever gives 3 minutes is not run again for every request.
        try useProcess(try writeCountingScript(expiration: "$(date -u -d '+3 minutes' +%Y-%m-%dT%H:%M:%SZ)"))
        let provider = try resolve(ClientSettings(), region).credentials
        XCTAssertEqual(try provider.credentials().accessKeyId, "AKIDRUN1")
        XCTAssertEqual(try provider.credentials().accessKeyId, "AKIDRUN1")
        XCTAssertEqual(runs, 1)
    }

    func testRefreshFollowsTheClock() throws {
        let script = try writeCountingScript(expiration: "2030-01-01T00:00:00Z")
        var clock = ISO8601DateFormatter().date(from: "2029-12-31T23:00:00Z")!
        let provider = ProcessCredentialSource(command: script, profileName: "default", environment: environment())
            .provider(now: { clock })
        XCTAssertEqual(try provider.credentials().accessKeyId, "AKIDRUN1")
        clock = ISO8601DateFormatter().date(from: "2029-12-31T23:54:00Z")!
        XCTAssertEqual(try provider.credentials().accessKeyId, "AKIDRUN1", "six minutes left: still cached")
        clock = ISO8601DateFormatter().date(from: "2029-12-31T23:57:00Z")!
        XCTAssertEqual(try provider.credentials().accessKeyId, "AKIDRUN2", "three minutes left: refreshed first")
        XCTAssertEqual(runs, 2)
    }

    func testFailedRefreshKeepsCredentialsThatStillWork() throws {
        let script = try write(
            """
            #!/bin/sh
            echo run >> "$HOME/runs"
            [ "$(wc -l < "$HOME/runs")" -gt 1 ] && exit 7
            echo '{"Version": 1, "AccessKeyId": "AKIDFIRST", "SecretAccessKey": "s",'
            echo ' "Expiration": "2030-01-01T00:00:00Z"}'
            """,
            to: "bin/flaky", executable: true
        )
        var clock = ISO8601DateFormatter().date(from: "2029-12-31T23:00:00Z")!
        let provider = ProcessCredentialSource(command: script, profileName: "default", environment: environment())
            .provider(now: { clock })
        XCTAssertEqual(try provider.credentials().accessKeyId, "AKIDFIRST")
        clock = ISO8601DateFormatter().date(from: "2029-12-31T23:58:00Z")!
        XCTAssertEqual(try provider.credentials().accessKeyId, "AKIDFIRST")
        XCTAssertEqual(runs, 2)
        clock = ISO8601DateFormatter().date(from: "2030-01-01T00:00:01Z")!
        let error = configurationError(try provider.credentials())
        XCTAssertEqual(error?.message, "credential_process of profile 'default' exited with status 7")
    }

    func testAlreadyExpiredCredentialsAreAnError() throws {
        try useProcess(try writeCountingScript(expiration: "2001-01-01T00:00:00Z"))
        let error = configurationError(try resolve(ClientSettings(), region).credentials.credentials())
        XCTAssertEqual(
            error?.message,
            "credential_process of profile 'default' gave credentials that expired at 2001-01-01T00:00:00Z"
        )
    }

    func testFailingProcessNeverShowsItsOutput() throws {
        let script = try write(
            """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIDLEAK", "SecretAccessKey": "leaked-secret-value"}'
            exit 3
            """,
            to: "bin/fails", executable: true
        )
        try useProcess(script)
        let error = configurationError(try resolve(ClientSettings(), region).credentials.credentials())
        XCTAssertEqual(error?.code, "CredentialsError")
        XCTAssertEqual(error?.message, "credential_process of profile 'default' exited with status 3")
    }

    func testMalformedOutputNeverAppearsInTheError() throws {
        let cases: [(String, String)] = [
            ("AKIDLEAK leaked-secret-value", "did not print a JSON object"),
            (
                #"{"Version": 2, "AccessKeyId": "AKIDLEAK", "SecretAccessKey": "leaked-secret-value"}"#,
                #"printed JSON without "Version": 1"#
            ),
            (#"{"Version": 1, "AccessKeyId": "AKIDLEAK"}"#, "printed JSON without SecretAccessKey"),
            (#"{"Version": 1, "SecretAccessKey": "leaked-secret-value"}"#, "printed JSON without AccessKeyId"),
            (
                #"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "leaked-secret-value", "Expiration": "soon"}"#,
                "printed an Expiration that is not an RFC 3339 time"
            ),
        ]
        for (index, (output, reason)) in cases.enumerated() {
            let script = try write("#!/bin/sh\ncat <<'OUT'\n\(output)\nOUT\n", to: "bin/bad\(index)", executable: true)
            try useProcess(script)
            let error = configurationError(try resolve(ClientSettings(), region).credentials.credentials())
            XCTAssertEqual(error?.message, "credential_process of profile 'default' \(reason)")
            XCTAssertFalse("\(String(describing: error))".contains("leaked-secret-value"))
            XCTAssertFalse("\(String(describing: error))".contains("AKIDLEAK"))
        }
    }

    func testFractionalAndOffsetExpirations() {
        XCTAssertEqual(
            ProcessCredentialSource.parseTimestamp("2030-01-01T00:00:00.250Z")?.timeIntervalSince1970, 1_893_456_000.25
        )
        XCTAssertEqual(
            ProcessCredentialSource.parseTimestamp("2030-01-01T01:00:00+01:00")?.timeIntervalSince1970, 1_893_456_000
        )
        XCTAssertNil(ProcessCredentialSource.parseTimestamp("2030-01-01"))
    }
}
