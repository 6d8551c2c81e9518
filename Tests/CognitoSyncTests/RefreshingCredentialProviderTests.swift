import Foundation
import SigV4
import XCTest

@testable import CognitoSync

/// The advisory and mandatory refresh windows, on a fake clock, with refreshes run when the test says.
final class RefreshingCredentialProviderTests: XCTestCase {
    private var clock = Date(timeIntervalSince1970: 1_800_000_000)
    private var pending: [() -> Void] = []
    private var fetches = 0
    private var failNext = false
    private var reports: [String] = []

    private func credentials(_ id: Int, validFor seconds: TimeInterval) -> Credentials {
        Credentials(accessKeyId: "AKID\(id)", secretAccessKey: "secret-\(id)", sessionToken: "token-\(id)",
                    expiration: clock.addingTimeInterval(seconds))
    }

    private func provider(initial: Credentials?) -> RefreshingCredentialProvider {
        RefreshingCredentialProvider(
            source: "role arn:aws:iam::1:role/r", refreshWindow: 15 * 60, now: { [unowned self] in clock },
            initial: initial, runInBackground: { [unowned self] in pending.append($0) },
            report: { [unowned self] in reports.append($0) }
        ) { [unowned self] in
            fetches += 1
            if failNext {
                failNext = false
                throw ConfigurationError.credentials("STS is down")
            }
            return credentials(100 + fetches, validFor: 3600)
        }
    }

    private func runPending() {
        let work = pending
        pending = []
        for job in work { job() }
    }

    func testCredentialsOutsideTheAdvisoryWindowAreUsedAsTheyAre() throws {
        let p = provider(initial: credentials(1, validFor: 20 * 60))
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID1")
        XCTAssertTrue(pending.isEmpty)
        XCTAssertEqual(fetches, 0)
    }

    func testInTheAdvisoryWindowTheRefreshRunsInTheBackgroundAndRequestsKeepTheCurrentOnes() throws {
        let p = provider(initial: credentials(1, validFor: 12 * 60))
        var notified = 0
        XCTAssertEqual(try p.credentials(orNotify: { _ in notified += 1 })?.accessKeyId, "AKID1")
        XCTAssertEqual(pending.count, 1, "one refresh started")
        XCTAssertEqual(try p.credentials(orNotify: { _ in notified += 1 })?.accessKeyId, "AKID1")
        XCTAssertEqual(pending.count, 1, "and not a second one while it runs")
        runPending()
        XCTAssertEqual(notified, 0, "nobody was waiting")
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID101")
    }

    func testInTheMandatoryWindowARequestWaitsAndIsToldWhenTheRefreshEnds() throws {
        let p = provider(initial: credentials(1, validFor: 9 * 60))
        var notified = 0
        XCTAssertNil(try p.credentials(orNotify: { _ in notified += 1 }))
        XCTAssertNil(try p.credentials(orNotify: { _ in notified += 1 }))
        XCTAssertEqual(pending.count, 1)
        runPending()
        XCTAssertEqual(notified, 2)
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID101")
    }

    func testAFailedBackgroundRefreshKeepsTheValidCredentialsSaysSoOnceAndTriesAgainLater() throws {
        let p = provider(initial: credentials(1, validFor: 12 * 60))
        failNext = true
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID1")
        runPending()
        XCTAssertEqual(reports.count, 1)
        XCTAssertTrue(reports[0].hasPrefix("refreshing credentials from role arn:aws:iam::1:role/r failed"), reports[0])
        XCTAssertTrue(reports[0].contains("still signing with the current ones"), reports[0])
        XCTAssertFalse(reports[0].contains("secret-1") || reports[0].contains("token-1"))
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID1")
        XCTAssertTrue(pending.isEmpty, "no new attempt before the retry delay")
        clock = clock.addingTimeInterval(RefreshingCredentialProvider.retryDelay)
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID1")
        runPending()
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID102")
        XCTAssertEqual(reports.count, 1)
    }

    func testAWaitedForRefreshThatFailsKeepsCredentialsThatStillWorkUntilTheNextAttempt() throws {
        let p = provider(initial: credentials(1, validFor: 5 * 60))
        failNext = true
        var notified = 0
        XCTAssertNil(try p.credentials(orNotify: { _ in notified += 1 }))
        runPending()
        XCTAssertEqual(notified, 1)
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID1")
        XCTAssertTrue(pending.isEmpty, "no new attempt before the retry delay")
        XCTAssertEqual(reports.count, 1)
        clock = clock.addingTimeInterval(RefreshingCredentialProvider.retryDelay)
        XCTAssertNil(try p.credentials(orNotify: { _ in }))
        runPending()
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID102")
    }

    func testAWaitedForRefreshThatFailsWithoutValidCredentialsGivesItsErrorToEveryCallerThatWaited() {
        let p = provider(initial: nil)
        failNext = true
        var errors: [String] = []
        XCTAssertNil(try p.credentials(orNotify: { errors.append("\($0.map { "\($0)" } ?? "none")") }))
        XCTAssertNil(try p.credentials(orNotify: { errors.append("\($0.map { "\($0)" } ?? "none")") }))
        runPending()
        XCTAssertEqual(errors.count, 2)
        XCTAssertTrue(errors.allSatisfy { $0.contains("STS is down") }, "\(errors)")
        XCTAssertNil(try p.credentials(orNotify: { _ in }), "the next call tries again")
        XCTAssertEqual(pending.count, 1)
    }

    func testTheBlockingFormThrowsTheErrorOfTheRefreshItWaitedFor() {
        let p = RefreshingCredentialProvider(source: "broken", refreshWindow: 15 * 60) {
            throw ConfigurationError.credentials("the source is broken")
        }
        XCTAssertThrowsError(try p.credentials()) { XCTAssertTrue("\($0)".contains("the source is broken")) }
        XCTAssertThrowsError(try p.credentials(), "and the next one tries again") {
            XCTAssertTrue("\($0)".contains("the source is broken"))
        }
    }

    func testExpireForcesARefreshBeforeTheNextSignature() throws {
        let p = provider(initial: credentials(1, validFor: 3600))
        XCTAssertTrue(p.expire())
        XCTAssertNil(try p.credentials(orNotify: { _ in }))
        runPending()
        XCTAssertEqual(try p.credentials(orNotify: { _ in })?.accessKeyId, "AKID101")
        XCTAssertTrue(p.expiryDescription.hasPrefix("role arn:aws:iam::1:role/r, valid until "))
    }

    func testTheBlockingFormWaitsForARefreshOnAnotherThread() throws {
        let p = RefreshingCredentialProvider(source: "slow", refreshWindow: 15 * 60) {
            Thread.sleep(forTimeInterval: 0.05)
            return Credentials(accessKeyId: "AKIDSLOW", secretAccessKey: "s")
        }
        XCTAssertEqual(try p.credentials().accessKeyId, "AKIDSLOW")
    }

    func testStaticCredentialsSayWhenTheyExpiredWhenKnown() {
        let known = StaticCredentialProvider(Credentials(accessKeyId: "A", secretAccessKey: "s",
                                                         expiration: Date(timeIntervalSince1970: 1_800_000_000)))
        XCTAssertEqual(known.expiryDescription, "static credentials that expired at 2027-01-15T08:00:00Z")
        XCTAssertFalse(known.expire())
        XCTAssertEqual(StaticCredentialProvider(Credentials(accessKeyId: "A", secretAccessKey: "s")).expiryDescription,
                       "static credentials (their expiry is not known)")
    }
}
