import Foundation
import XCTest

@testable import CognitoSync

/// IAM Identity Center settings of a profile, read as botocore's `SSOProvider` reads them.
final class SSOProfileConfigurationTests: ConfigTests {
    private func configuration(_ profile: String) throws -> SSOProfileConfiguration? {
        try SSOProfileConfiguration.resolve(profile: profile, files: SharedConfigFiles.load(environment: environment()))
    }

    func testSessionProfileTakesTheSignInFromItsSection() throws {
        try writeConfig(
            """
            [profile prod]
            sso_session = corp
            sso_account_id = 111122223333
            sso_role_name = ReadOnly
            [sso-session corp]
            sso_start_url = https://d-1.awsapps.com/start
            sso_region = eu-west-1
            sso_registration_scopes = sso:account:access
            """
        )
        let prod = try XCTUnwrap(try configuration("prod"))
        XCTAssertEqual(
            prod,
            SSOProfileConfiguration(
                profileName: "prod", sessionName: "corp", startURL: "https://d-1.awsapps.com/start",
                region: "eu-west-1", accountId: "111122223333", roleName: "ReadOnly"
            )
        )
        XCTAssertEqual(prod.tokenCacheName, "corp")
        XCTAssertEqual(prod.loginCommand, "aws sso login --sso-session corp")
        XCTAssertTrue(prod.canRefreshToken)
    }

    func testLegacyProfileKeepsTheSignInInTheProfile() throws {
        try writeConfig(
            """
            [profile prod]
            sso_start_url = https://d-1.awsapps.com/start
            sso_region = us-east-1
            sso_account_id = 111122223333
            sso_role_name = ReadOnly
            """
        )
        let prod = try XCTUnwrap(try configuration("prod"))
        XCTAssertNil(prod.sessionName)
        XCTAssertEqual(prod.tokenCacheName, "https://d-1.awsapps.com/start")
        XCTAssertEqual(prod.loginCommand, "aws sso login --profile prod")
        XCTAssertFalse(prod.canRefreshToken)
    }

    func testAProfileWithoutAccountOrRoleIsNotAnSSOProfile() throws {
        try writeConfig("[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_region = us-east-1\n")
        XCTAssertNil(try configuration("dev"))
        XCTAssertNil(try configuration("absent"))
    }

    func testMissingAndConflictingSettingsAreConfigErrors() throws {
        try writeConfig(
            """
            [profile half]
            sso_role_name = ReadOnly
            sso_session = corp
            [profile ghost]
            sso_session = nowhere
            sso_account_id = 1
            sso_role_name = R
            [profile clash]
            sso_session = corp
            sso_region = us-west-2
            sso_account_id = 1
            sso_role_name = R
            [profile legacy]
            sso_account_id = 1
            [profile roleless]
            sso_session = full
            sso_account_id = 1
            [sso-session corp]
            sso_region = eu-west-1
            [sso-session full]
            sso_region = eu-west-1
            sso_start_url = https://d-1.awsapps.com/start
            """
        )
        let configPath = path(".aws/config")
        let cases: [(String, String)] = [
            ("half", "[sso-session corp] (used by profile 'half') is missing sso_start_url"),
            ("roleless", "profile 'roleless' uses IAM Identity Center but is missing sso_role_name"),
            ("ghost", "profile 'ghost' names sso_session 'nowhere', but \(configPath) has no [sso-session nowhere] "
                + "section"),
            ("clash", "sso_region differs between profile 'clash' (us-west-2) and [sso-session corp] (eu-west-1); "
                + "remove it from the profile"),
            ("legacy", "profile 'legacy' uses IAM Identity Center but is missing sso_start_url, sso_region, "
                + "sso_role_name"),
        ]
        for (profile, message) in cases {
            let error = configurationError(try configuration(profile))
            XCTAssertEqual(error, ConfigurationError(code: "ConfigError", message: message), profile)
        }
    }

    func testTheChainListsIdentityCenterAfterWebIdentity() throws {
        let chain = try resolve(ClientSettings(), ["AWS_REGION": "us-east-1"])
        let message = try XCTUnwrap(configurationError(try chain.credentials.credentials())?.message)
        // The listing names every source in the order tried.
        let names = message.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let sso = try XCTUnwrap(names.firstIndex {
            $0 == "IAM Identity Center: profile 'default' has no sso_account_id or sso_role_name"
        }, message)
        XCTAssertTrue(names[sso - 1].hasPrefix("web identity:"), message)
        XCTAssertTrue(names[sso + 1].hasPrefix("shared credentials file"), message)
    }
}
