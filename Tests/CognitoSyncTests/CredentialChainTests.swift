import SigV4
import XCTest

@testable import CognitoSync

final class CredentialChainTests: ConfigTests {
    private let region = ["AWS_REGION": "us-east-1"]
    private let envKeys = [
        "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
    ]

    private func credentials(_ settings: ClientSettings = ClientSettings(), _ env: [String: String] = [:]) throws
        -> Credentials
    {
        try resolve(settings, region.merging(env) { _, new in new }).credentials.credentials()
    }

    /// Static keys in both files plus a credential_process, for profile `p` and `default`.
    private func writeEverySource() throws {
        let script = try write(
            """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret"}'
            """,
            to: "bin/creds", executable: true
        )
        try writeConfig(
            """
            [default]
            aws_access_key_id = AKIDCONFIG
            aws_secret_access_key = config-secret
            credential_process = \(script)
            [profile p]
            aws_access_key_id = AKIDCONFIGP
            aws_secret_access_key = config-secret-p
            credential_process = \(script)
            """
        )
        try writeCredentials(
            """
            [default]
            aws_access_key_id = AKIDFILE
            aws_secret_access_key = file-secret
            aws_session_token = file-token
            [p]
            aws_access_key_id = AKIDFILEP
            aws_secret_access_key = file-secret-p
            """
        )
    }

    func testExplicitKeysComeFirst() throws {
        try writeEverySource()
        let explicit = settings {
            $0.accessKeyId = "AKIDEXPLICIT"
            $0.secretAccessKey = "explicit-secret"
            $0.sessionToken = "explicit-token"
        }
        XCTAssertEqual(
            try credentials(explicit, envKeys),
            Credentials(accessKeyId: "AKIDEXPLICIT", secretAccessKey: "explicit-secret", sessionToken: "explicit-token")
        )
    }

    func testEnvironmentBeatsTheFiles() throws {
        try writeEverySource()
        XCTAssertEqual(
            try credentials(ClientSettings(), envKeys),
            Credentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token")
        )
    }

    func testAWSProfileDoesNotSkipTheEnvironment() throws {
        try writeEverySource()
        XCTAssertEqual(
            try credentials(ClientSettings(), envKeys.merging(["AWS_PROFILE": "p"]) { a, _ in a }).accessKeyId,
            "AKIDENV"
        )
    }

    func testExplicitProfileSkipsTheEnvironment() throws {
        try writeEverySource()
        XCTAssertEqual(try credentials(settings { $0.profile = "p" }, envKeys).accessKeyId, "AKIDFILEP")
    }

    func testCredentialsFileThenProcessThenConfigFile() throws {
        try writeEverySource()
        XCTAssertEqual(
            try credentials(),
            Credentials(accessKeyId: "AKIDFILE", secretAccessKey: "file-secret", sessionToken: "file-token")
        )
        try writeCredentials("[other]\naws_access_key_id = X\naws_secret_access_key = Y\n")
        XCTAssertEqual(try credentials().accessKeyId, "AKIDPROCESS")
        try writeConfig("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n")
        XCTAssertEqual(try credentials().accessKeyId, "AKIDCONFIG")
    }

    func testLegacySecurityTokenNames() throws {
        try writeCredentials("[default]\naws_access_key_id = A\naws_secret_access_key = S\naws_security_token = T\n")
        XCTAssertEqual(try credentials().sessionToken, "T")
        try writeCredentials("")
        let env = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SECURITY_TOKEN": "LEGACY"]
        XCTAssertEqual(try credentials(ClientSettings(), env).sessionToken, "LEGACY")
    }

    func testPartialExplicitKeysFailAtResolution() {
        for partial in [
            settings { $0.accessKeyId = "A" }, settings { $0.secretAccessKey = "S" },
            settings { $0.sessionToken = "T" },
        ] {
            let error = configurationError(try resolve(partial, region))
            XCTAssertEqual(error?.code, "CredentialsError")
        }
    }

    func testPartialEnvironmentKeysFail() throws {
        let provider = try resolve(ClientSettings(), region.merging(["AWS_ACCESS_KEY_ID": "A"]) { a, _ in a })
            .credentials
        let error = configurationError(try provider.credentials())
        XCTAssertEqual(error?.message, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    }

    func testPartialProfileKeysFail() throws {
        try writeCredentials("[default]\naws_access_key_id = AKIDONLY\n")
        let error = configurationError(try credentials())
        XCTAssertEqual(
            error?.message,
            "profile 'default' in \(path(".aws/credentials")) needs both aws_access_key_id and aws_secret_access_key"
        )
    }

    func testNoCredentialsErrorListsEverySource() throws {
        try writeConfig("[default]\nregion = us-east-1\n")
        let error = configurationError(try credentials())
        XCTAssertEqual(error?.code, "CredentialsError")
        let message = try XCTUnwrap(error?.message)
        XCTAssertTrue(message.hasPrefix("no credentials found; tried explicit options: "), message)
        let expectedParts = [
            "explicit options: accessKeyId and secretAccessKey not given",
            "environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            "assume role: profile 'default' has no role_arn",
            "web identity: AWS_WEB_IDENTITY_TOKEN_FILE and web_identity_token_file are not set",
            "shared credentials file \(path(".aws/credentials")): no such file",
            "credential_process: profile 'default' has no credential_process",
            "config file \(path(".aws/config")): profile 'default' has no aws_access_key_id",
            "container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI "
                + "are not set",
            "EC2 instance metadata: AWS_EC2_METADATA_DISABLED is true",
        ]
        var searchFrom = message.startIndex
        for part in expectedParts {
            let range = try XCTUnwrap(message.range(of: part, range: searchFrom..<message.endIndex), part)
            searchFrom = range.upperBound
        }
    }

    func testNamedProfileSkipsEnvironmentInTheErrorList() throws {
        try writeConfig("[profile p]\nregion = us-east-1\n")
        let error = configurationError(try credentials(settings { $0.profile = "p" }, envKeys))
        XCTAssertTrue(
            error?.message.contains("environment variables: skipped because a profile was named explicitly") ?? false
        )
        XCTAssertTrue(
            error?.message.contains("config file \(path(".aws/config")): profile 'p' has no aws_access_key_id") ?? false
        )
    }

    func testChainRemembersTheSourceItChose() throws {
        let resolved = try resolve(ClientSettings(), region.merging(envKeys) { _, new in new })
        let chain = try XCTUnwrap(resolved.credentials as? CredentialChain)
        XCTAssertNil(chain.chosenSourceName)
        _ = try chain.credentials()
        XCTAssertEqual(chain.chosenSourceName, "environment variables")
    }

    func testExplicitProviderIsUsedAsIs() throws {
        let provider = StaticCredentialProvider(Credentials(accessKeyId: "AKIDCUSTOM", secretAccessKey: "s"))
        let resolved = try resolve(settings { $0.credentialProvider = provider }, envKeys.merging(region) { a, _ in a })
        XCTAssertTrue(resolved.credentials === provider)
    }

    func testSecretsNeverAppearInErrorsOrDescriptions() throws {
        let secret = "wJalrXUtnFEMI/K7MDENG+SECRET"
        let token = "FQoGZXIvYXdzTOKEN"
        try writeCredentials("[default]\naws_secret_access_key = \(secret)\naws_session_token = \(token)\n")
        let partial = configurationError(try credentials())
        try writeCredentials("[default]\naws_access_key_id = AKID\naws_secret_access_key \(secret)\n")
        let malformed = configurationError(try credentials())
        let env = ["AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token]
        try writeCredentials("")
        let envPartial = configurationError(try credentials(ClientSettings(), env))
        let explicitPartial = configurationError(
            try resolve(
                settings {
                    $0.secretAccessKey = secret
                    $0.sessionToken = token
                }, region)
        )
        let described = Credentials(accessKeyId: "AKID", secretAccessKey: secret, sessionToken: token)
        let texts =
            [partial, malformed, envPartial, explicitPartial].map { "\(String(describing: $0))" }
            + ["\(described)", String(reflecting: described)]
        XCTAssertEqual(texts.count, 6)
        for text in texts {
            XCTAssertFalse(text.contains(secret), text)
            XCTAssertFalse(text.contains(token), text)
        }
    }
}
