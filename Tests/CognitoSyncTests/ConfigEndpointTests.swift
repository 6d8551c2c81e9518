import XCTest

@testable import CognitoSync

final class ConfigEndpointTests: ConfigTests {
    private let base = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1"]

    private func endpoint(_ settings: ClientSettings = ClientSettings(), _ env: [String: String] = [:]) throws
        -> String
    {
        try resolve(settings, base.merging(env) { _, new in new }).endpoint
    }

    private func writeFullConfig() throws {
        try writeConfig(
            """
            [default]
            services = local
            endpoint_url = http://profile-global:1
            [services local]
            cognito_sync =
              endpoint_url = http://profile-service:2
            s3 =
              endpoint_url = http://not-ours:3
            """
        )
    }

    func testEndpointPrecedence() throws {
        try writeFullConfig()
        let env = [
            "AWS_ENDPOINT_URL_COGNITO_SYNC": "http://env-service:4", "AWS_ENDPOINT_URL": "http://env-global:5",
        ]
        XCTAssertEqual(try endpoint(settings { $0.endpoint = "http://explicit:6" }, env), "http://explicit:6")
        XCTAssertEqual(try endpoint(ClientSettings(), env), "http://env-service:4")
        XCTAssertEqual(
            try endpoint(ClientSettings(), ["AWS_ENDPOINT_URL": "http://env-global:5"]), "http://env-global:5")
        XCTAssertEqual(try endpoint(), "http://profile-service:2")
        try writeConfig("[default]\nendpoint_url = http://profile-global:1\n")
        XCTAssertEqual(try endpoint(), "http://profile-global:1")
        try writeConfig("[default]\n")
        XCTAssertEqual(try endpoint(), "https://cognito-sync.us-east-1.amazonaws.com")
    }

    func testIgnoreConfiguredEndpointURLs() throws {
        try writeFullConfig()
        let env = ["AWS_ENDPOINT_URL": "http://env-global:5", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]
        XCTAssertEqual(try endpoint(ClientSettings(), env), "https://cognito-sync.us-east-1.amazonaws.com")
        XCTAssertEqual(try endpoint(settings { $0.endpoint = "http://explicit:6" }, env), "http://explicit:6")
        try writeConfig("[default]\nendpoint_url = http://profile-global:1\nignore_configured_endpoint_urls = TRUE\n")
        XCTAssertEqual(try endpoint(), "https://cognito-sync.us-east-1.amazonaws.com")
    }

    func testRegionalVariantsFromTheEndpointRules() throws {
        XCTAssertEqual(try endpoint(), "https://cognito-sync.us-east-1.amazonaws.com")
        XCTAssertEqual(
            try endpoint(settings { $0.useFIPS = true }), "https://cognito-sync-fips.us-east-1.amazonaws.com")
        XCTAssertEqual(try endpoint(settings { $0.useDualStack = true }), "https://cognito-sync.us-east-1.api.aws")
        XCTAssertEqual(
            try endpoint(
                settings {
                    $0.useFIPS = true
                    $0.useDualStack = true
                }),
            "https://cognito-sync-fips.us-east-1.api.aws"
        )
        XCTAssertEqual(
            try endpoint(ClientSettings(), ["AWS_REGION": "cn-north-1"]),
            "https://cognito-sync.cn-north-1.amazonaws.com.cn"
        )
        XCTAssertEqual(
            try endpoint(settings { $0.useDualStack = true }, ["AWS_REGION": "cn-northwest-1"]),
            "https://cognito-sync.cn-northwest-1.api.amazonwebservices.com.cn"
        )
        XCTAssertEqual(
            try endpoint(settings { $0.useFIPS = true }, ["AWS_REGION": "us-gov-west-1"]),
            "https://cognito-sync-fips.us-gov-west-1.amazonaws.com"
        )
        XCTAssertEqual(
            try endpoint(ClientSettings(), ["AWS_REGION": "us-isob-east-1"]),
            "https://cognito-sync.us-isob-east-1.sc2s.sgov.gov"
        )
        XCTAssertEqual(
            try endpoint(ClientSettings(), ["AWS_REGION": "xx-unknown-9"]),
            "https://cognito-sync.xx-unknown-9.amazonaws.com"
        )
    }

    func testFIPSAndDualStackPrecedence() throws {
        try writeConfig("[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n")
        XCTAssertEqual(try endpoint(), "https://cognito-sync-fips.us-east-1.api.aws")
        XCTAssertEqual(
            try endpoint(ClientSettings(), ["AWS_USE_FIPS_ENDPOINT": "false", "AWS_USE_DUALSTACK_ENDPOINT": "false"]),
            "https://cognito-sync.us-east-1.amazonaws.com"
        )
        XCTAssertEqual(
            try endpoint(settings { $0.useFIPS = false }, ["AWS_USE_DUALSTACK_ENDPOINT": "false"]),
            "https://cognito-sync.us-east-1.amazonaws.com"
        )
        try writeConfig("[default]\n")
        XCTAssertEqual(
            try endpoint(ClientSettings(), ["AWS_USE_FIPS_ENDPOINT": "TRUE"]),
            "https://cognito-sync-fips.us-east-1.amazonaws.com"
        )
        XCTAssertEqual(
            try endpoint(ClientSettings(), ["AWS_USE_DUALSTACK_ENDPOINT": "1"]),
            "https://cognito-sync.us-east-1.amazonaws.com",
            "only 'true' is true, as in botocore"
        )
    }

    func testCustomEndpointIgnoresFIPSAndDualStack() throws {
        let custom = settings {
            $0.endpoint = "http://127.0.0.1:4566"
            $0.useFIPS = true
            $0.useDualStack = true
        }
        XCTAssertEqual(try endpoint(custom), "http://127.0.0.1:4566")
    }

    func testEndpointForms() throws {
        XCTAssertEqual(try endpoint(settings { $0.endpoint = "localhost:4566" }), "https://localhost:4566")
        XCTAssertEqual(
            try endpoint(
                settings {
                    $0.endpoint = "localhost:4566"
                    $0.sslEnabled = false
                }), "http://localhost:4566"
        )
        XCTAssertEqual(
            try endpoint(settings { $0.endpoint = "https://proxy.example/base/" }), "https://proxy.example/base")
        XCTAssertEqual(try endpoint(settings { $0.endpoint = "http://[::1]:4566" }), "http://[::1]:4566")
        XCTAssertEqual(try endpoint(settings { $0.sslEnabled = false }), "http://cognito-sync.us-east-1.amazonaws.com")
    }

    func testInvalidEndpoints() {
        for bad in ["ftp://host", "http://", "https://host/path?x=1", "http://h#frag"] {
            let error = configurationError(try endpoint(settings { $0.endpoint = bad }))
            XCTAssertEqual(error?.code, "ConfigError", bad)
        }
        let error = configurationError(try endpoint(ClientSettings(), ["AWS_ENDPOINT_URL": "http://user:hunter2@host"]))
        XCTAssertEqual(error?.message, "AWS_ENDPOINT_URL must not contain a user name or password")
    }
}
