import XCTest

@testable import CognitoSync

final class ConfigSharedFilesTests: ConfigTests {
    func testProfileSectionNames() throws {
        try writeConfig(
            """
            [default]
            region = us-east-1
            [profile dev]
            region = eu-west-1
            [profile "with space"]
            region = ap-south-1
            [profiledev]
            region = nope
            [dev2]
            region = nope
            [services local]
            cognito_sync =
              endpoint_url = http://localhost:1
            [sso-session x]
            sso_region = us-east-1
            """
        )
        try writeCredentials("[dev2]\naws_access_key_id = AKID2\n[profile odd]\nregion = us-west-2\n")
        let files = try SharedConfigFiles.load(environment: environment())
        XCTAssertEqual(Set(files.configProfiles.keys), ["default", "dev", "with space"])
        XCTAssertEqual(Set(files.credentialProfiles.keys), ["dev2", "profile odd"])
        XCTAssertEqual(Set(files.services.keys), ["local"])
        XCTAssertTrue(files.hasProfile("dev2"))
        XCTAssertFalse(files.hasProfile("profiledev"))
        XCTAssertEqual(files.setting("region", profile: "with space"), "ap-south-1")
    }

    func testCredentialsFileWinsForTheSameProfile() throws {
        try writeConfig("[profile p]\nregion = eu-west-1\noutput = json\n")
        try writeCredentials("[p]\nregion = eu-west-2\n")
        let files = try SharedConfigFiles.load(environment: environment())
        XCTAssertEqual(files.setting("region", profile: "p"), "eu-west-2")
        XCTAssertEqual(files.setting("output", profile: "p"), "json")
    }

    func testFileLocationsFromEnvironment() throws {
        let config = try write("[default]\nregion = sa-east-1\n", to: "elsewhere/cfg")
        let credentials = try write("[default]\naws_access_key_id = A\n", to: "elsewhere/creds")
        let files = try SharedConfigFiles.load(
            environment: environment(["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials])
        )
        XCTAssertEqual(files.configPath, config)
        XCTAssertEqual(files.credentialsPath, credentials)
        XCTAssertEqual(files.setting("region", profile: "default"), "sa-east-1")
        XCTAssertEqual(files.setting("aws_access_key_id", profile: "default"), "A")
    }

    func testTildeInFileVariablesMeansHome() throws {
        try write("[default]\nregion = ca-central-1\n", to: "cfg/custom")
        let files = try SharedConfigFiles.load(environment: environment(["AWS_CONFIG_FILE": "~/cfg/custom"]))
        XCTAssertEqual(files.configPath, path("cfg/custom"))
        XCTAssertEqual(files.setting("region", profile: "default"), "ca-central-1")
    }

    func testMissingFilesAreEmpty() throws {
        let files = try SharedConfigFiles.load(environment: environment())
        XCTAssertFalse(files.configFileExists)
        XCTAssertFalse(files.credentialsFileExists)
        XCTAssertEqual(files.configPath, path(".aws/config"))
        XCTAssertEqual(files.credentialsPath, path(".aws/credentials"))
    }

    func testMalformedFileIsAConfigErrorWithoutTheSecret() throws {
        try writeCredentials("[default]\naws_secret_access_key wJalrXUtnFEMI\n")
        let error = configurationError(try SharedConfigFiles.load(environment: environment()))
        XCTAssertEqual(error?.code, "ConfigError")
        XCTAssertEqual(error?.message, "cannot parse \(path(".aws/credentials")), line 2: expected 'name = value'")
    }
}
