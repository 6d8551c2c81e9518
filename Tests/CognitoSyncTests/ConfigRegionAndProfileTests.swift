import XCTest

@testable import CognitoSync

final class ConfigRegionAndProfileTests: ConfigTests {
    private let keys = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"]

    func testRegionPrecedence() throws {
        try writeConfig("[default]\nregion = ap-south-1\n")
        let explicit = settings { $0.region = "eu-west-1" }
        let all = keys.merging(["AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-2"]) { a, _ in a }
        XCTAssertEqual(try resolve(explicit, all).region, "eu-west-1")
        XCTAssertEqual(try resolve(ClientSettings(), all).region, "us-east-2")
        XCTAssertEqual(
            try resolve(ClientSettings(), keys.merging(["AWS_DEFAULT_REGION": "us-west-2"]) { a, _ in a })
                .region, "us-west-2")
        XCTAssertEqual(try resolve(ClientSettings(), keys).region, "ap-south-1")
    }

    func testEmptyValuesCountAsUnset() throws {
        try writeConfig("[default]\nregion = ap-south-1\n")
        let env = keys.merging(["AWS_REGION": "", "AWS_DEFAULT_REGION": ""]) { a, _ in a }
        XCTAssertEqual(try resolve(settings { $0.region = "" }, env).region, "ap-south-1")
    }

    func testNoRegionError() {
        let error = configurationError(try resolve(ClientSettings(), keys))
        XCTAssertEqual(error?.code, "ConfigError")
        XCTAssertEqual(
            error?.message,
            "no region: set region = ... in cognitosync.new{}, --region, AWS_REGION or region in the profile"
        )
    }

    func testInvalidRegion() {
        for bad in ["us-east-1/evil", "-us", "123", "eu west 1", String(repeating: "a", count: 64)] {
            let error = configurationError(try resolve(settings { $0.region = bad }, keys))
            XCTAssertEqual(error?.code, "ConfigError", bad)
        }
        XCTAssertEqual(try resolve(settings { $0.region = "EU-West-1" }, keys).region, "EU-West-1")
    }

    func testProfilePrecedence() throws {
        try writeConfig(
            """
            [default]
            region = us-east-1
            [profile fromenv]
            region = eu-west-1
            [profile explicit]
            region = eu-west-2
            """
        )
        let env = keys.merging(["AWS_PROFILE": "fromenv"]) { a, _ in a }
        let fromSettings = try resolve(settings { $0.profile = "explicit" }, env)
        XCTAssertEqual(fromSettings.profileName, "explicit")
        XCTAssertEqual(fromSettings.region, "eu-west-2")
        let fromEnv = try resolve(ClientSettings(), env)
        XCTAssertEqual(fromEnv.profileName, "fromenv")
        XCTAssertEqual(fromEnv.region, "eu-west-1")
        let fallback = try resolve(ClientSettings(), keys)
        XCTAssertEqual(fallback.profileName, "default")
        XCTAssertEqual(fallback.region, "us-east-1")
    }

    func testRegionFromTheCredentialsFileProfile() throws {
        try writeCredentials("[p]\naws_access_key_id = A\naws_secret_access_key = S\nregion = me-south-1\n")
        XCTAssertEqual(try resolve(settings { $0.profile = "p" }).region, "me-south-1")
    }

    func testNamedProfileMustExist() throws {
        try writeConfig("[default]\nregion = us-east-1\n")
        for (settings, env) in [
            (settings { $0.profile = "nope" }, keys),
            (ClientSettings(), keys.merging(["AWS_PROFILE": "nope"]) { a, _ in a }),
        ] {
            let error = configurationError(try resolve(settings, env))
            XCTAssertEqual(error?.code, "ConfigError")
            XCTAssertTrue(error?.message.hasPrefix("the config profile (nope) could not be found") ?? false)
        }
    }

    func testMissingDefaultProfileIsFine() throws {
        XCTAssertEqual(try resolve(settings { $0.region = "us-east-1" }, keys).profileName, "default")
    }

    func testCABundleFromEnvironmentOrProfile() throws {
        try writeConfig("[default]\nregion = us-east-1\nca_bundle = /etc/profile-ca.pem\n")
        XCTAssertEqual(try resolve(ClientSettings(), keys).caBundle, "/etc/profile-ca.pem")
        XCTAssertEqual(
            try resolve(ClientSettings(), keys.merging(["AWS_CA_BUNDLE": "/etc/env-ca.pem"]) { a, _ in a }).caBundle,
            "/etc/env-ca.pem")
        try writeConfig("[default]\nregion = us-east-1\n")
        XCTAssertNil(try resolve(ClientSettings(), keys).caBundle)
    }

    func testMaxAttempts() throws {
        try writeConfig("[default]\nregion = us-east-1\nmax_attempts = 7\n")
        XCTAssertEqual(try resolve(ClientSettings(), keys).maxAttempts, 7)
        XCTAssertEqual(
            try resolve(ClientSettings(), keys.merging(["AWS_MAX_ATTEMPTS": "2"]) { a, _ in a }).maxAttempts, 2)
        let error = configurationError(
            try resolve(ClientSettings(), keys.merging(["AWS_MAX_ATTEMPTS": "zero"]) { a, _ in a })
        )
        XCTAssertEqual(error?.message, "AWS_MAX_ATTEMPTS must be a whole number of at least 1, not 'zero'")
        try writeConfig("[default]\nregion = us-east-1\n")
        XCTAssertNil(try resolve(ClientSettings(), keys).maxAttempts)
    }
}
