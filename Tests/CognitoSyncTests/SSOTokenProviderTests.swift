import Foundation
import XCTest

@testable import CognitoSync

/// When a cached SSO token is used, refreshed or refused, and what the operator is told.
final class SSOTokenProviderTests: ConfigTests {
    private let now = Date(timeIntervalSince1970: 1_795_953_600)

    private func token(expiresIn seconds: TimeInterval, registrationExpiresAt: String? = "2027-01-01T00:00:00Z")
        -> SSOToken
    {
        SSOToken(
            accessToken: "AT-secret", expiresAt: now.addingTimeInterval(seconds), refreshToken: "RT-secret",
            clientId: "CID", clientSecret: "CS-secret", registrationExpiresAt: registrationExpiresAt
        )
    }

    private let registration = SSOTokenProvider.Registration(
        clientId: "CID", clientSecret: "CS-secret", refreshToken: "RT-secret"
    )

    func testSessionTokensRefreshInsideBotocoresFifteenMinuteWindow() {
        let decide = { SSOTokenProvider.decision(for: $0, canRefresh: true, at: self.now) }
        XCTAssertEqual(decide(token(expiresIn: 15 * 60)), .use)
        XCTAssertEqual(decide(token(expiresIn: 15 * 60 - 1)), .refresh(registration))
        XCTAssertEqual(decide(token(expiresIn: -3600)), .refresh(registration))
    }

    func testARefreshNeedsTheRegistrationAndItsExpiry() {
        var partial = token(expiresIn: 60)
        partial.clientSecret = nil
        partial.refreshToken = nil
        XCTAssertEqual(
            SSOTokenProvider.decision(for: partial, canRefresh: true, at: now),
            .cannotRefresh("the cached token has no refreshToken, clientSecret")
        )
        XCTAssertEqual(
            SSOTokenProvider.decision(
                for: token(expiresIn: 60, registrationExpiresAt: "2026-11-29T12:00:00Z"), canRefresh: true, at: now
            ),
            .cannotRefresh("the client registration expired at 2026-11-29T12:00:00Z")
        )
        XCTAssertEqual(
            SSOTokenProvider.decision(for: token(expiresIn: 60, registrationExpiresAt: "x"), canRefresh: true, at: now),
            .cannotRefresh("the cached registrationExpiresAt is not a date")
        )
    }

    func testLegacyTokensAreUsedUntilTheyExpire() {
        XCTAssertEqual(SSOTokenProvider.decision(for: token(expiresIn: 1), canRefresh: false, at: now), .use)
        XCTAssertEqual(
            SSOTokenProvider.decision(for: token(expiresIn: 0), canRefresh: false, at: now),
            .cannotRefresh("a profile with sso_start_url and no sso_session cannot refresh its token")
        )
    }

    private func provider(sessionName: String?) -> SSOTokenProvider {
        let configuration = SSOProfileConfiguration(
            profileName: "prod", sessionName: sessionName, startURL: "https://d-1.awsapps.com/start",
            region: "us-east-1", accountId: "111122223333", roleName: "ReadOnly"
        )
        // Nothing listens on port 9: a refresh attempt would fail, and the tests below never make one.
        let oidc = SSOOIDCClient(
            endpoint: "http://127.0.0.1:9", http: CredentialHTTPClient(inbox: DrivenTransport.shared.inbox, timeout: 1, connectTimeout: 1)
        )
        return SSOTokenProvider(
            configuration: configuration, cache: SSOTokenCache(home: directory.path), oidc: oidc, now: { self.now }
        )
    }

    func testAMissingTokenNamesTheLoginCommand() {
        let cache = SSOTokenCache(home: directory.path)
        XCTAssertEqual(
            configurationError(try provider(sessionName: "corp").accessToken())?.message,
            "sso-session 'corp' (profile 'prod') has no cached IAM Identity Center token (\(cache.path(for: "corp"))); "
                + "run aws sso login --sso-session corp"
        )
        XCTAssertEqual(
            configurationError(try provider(sessionName: nil).accessToken())?.message,
            "profile 'prod' has no cached IAM Identity Center token "
                + "(\(cache.path(for: "https://d-1.awsapps.com/start"))); run aws sso login --profile prod"
        )
    }

    func testAnExpiredTokenThatCannotRefreshNamesTheLoginCommandAndNoSecret() throws {
        let cache = SSOTokenCache(home: directory.path)
        var expired = token(expiresIn: -60)
        expired.refreshToken = nil
        try cache.save(expired, for: "corp")
        try cache.save(expired, for: "https://d-1.awsapps.com/start")
        let session = try XCTUnwrap(configurationError(try provider(sessionName: "corp").accessToken()))
        XCTAssertEqual(session.code, "CredentialsError")
        XCTAssertEqual(
            session.message,
            "the IAM Identity Center token of sso-session 'corp' (profile 'prod') expired at 2026-11-29T11:59:00Z and "
                + "cannot be refreshed: the cached token has no refreshToken; run aws sso login --sso-session corp"
        )
        XCTAssertEqual(
            configurationError(try provider(sessionName: nil).accessToken())?.message,
            "the IAM Identity Center token of profile 'prod' expired at 2026-11-29T11:59:00Z and cannot be refreshed: "
                + "a profile with sso_start_url and no sso_session cannot refresh its token; "
                + "run aws sso login --profile prod"
        )
    }

    func testATokenStillValidIsUsedWhenItCannotRefresh() throws {
        var soon = token(expiresIn: 60)
        soon.refreshToken = nil
        try SSOTokenCache(home: directory.path).save(soon, for: "corp")
        XCTAssertEqual(try provider(sessionName: "corp").accessToken(), "AT-secret")
    }
}
