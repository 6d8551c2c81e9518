import Foundation
import SigV4
import XCTest

@testable import CognitoSync

/// Assume role, web identity, container and instance metadata credentials against a loopback stand-in server.
final class CredentialNetworkSourcesTests: ConfigTests {
    private var server: StubServer!

    override func tearDownWithError() throws {
        server?.stop()
        try super.tearDownWithError()
    }

    private func startServer(_ routes: [StubServer.Route]) throws {
        server = try StubServer(directory: directory, routes: routes)
    }

    private func stsCredentialsXML(action: String, key: String, secret: String, token: String) -> String {
        """
        <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <\(action)Result>
            <Credentials>
              <AccessKeyId>\(key)</AccessKeyId>
              <SecretAccessKey>\(secret)</SecretAccessKey>
              <SessionToken>\(token)</SessionToken>
              <Expiration>2099-01-01T00:00:00Z</Expiration>
            </Credentials>
            <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/ops/s</Arn></AssumedRoleUser>
          </\(action)Result>
          <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
        </\(action)Response>
        """
    }

    /// Checks a logged STS request's SigV4 signature; returns the signing access key id.
    private func verifySTSSignature(_ request: StubServer.LoggedRequest, secrets: [String: String]) -> String? {
        let verifier = SigV4Verifier(service: "sts") { secrets[$0] }
        let result = verifier.verify(
            method: request.method, rawPath: request.path, rawQuery: "", headers: request.headers,
            body: Array(request.body.utf8), now: Date()
        )
        return try? result.get()
    }

    func testAssumeRoleSignsWithTheSourceProfile() throws {
        try startServer([
            .init(
                method: "POST", path: "/",
                body: stsCredentialsXML(
                    action: "AssumeRole", key: "ASIAROLE", secret: "role-secret", token: "role-token"
                ))
        ])
        try writeConfig(
            """
            [profile role]
            role_arn = arn:aws:iam::123456789012:role/ops
            source_profile = base
            role_session_name = ops-session
            external_id = ext-1
            duration_seconds = 900
            region = eu-west-1
            """
        )
        try writeCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n")
        let resolved = try resolve(settings { $0.profile = "role" }, ["AWS_ENDPOINT_URL_STS": server.url])
        XCTAssertTrue(server.requests().isEmpty, "resolving sends nothing")
        let credentials = try resolved.credentials.credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAROLE")
        XCTAssertEqual(credentials.secretAccessKey, "role-secret")
        XCTAssertEqual(credentials.sessionToken, "role-token")
        XCTAssertEqual(credentials.expiration, Date(timeIntervalSince1970: 4_070_908_800))
        XCTAssertEqual(try resolved.credentials.credentials().accessKeyId, "ASIAROLE")

        let requests = server.requests()
        XCTAssertEqual(requests.count, 1, "cached until near expiry")
        let request = try XCTUnwrap(requests.first)
        XCTAssertEqual(request.form["Action"], "AssumeRole")
        XCTAssertEqual(request.form["Version"], "2011-06-15")
        XCTAssertEqual(request.form["RoleArn"], "arn:aws:iam::123456789012:role/ops")
        XCTAssertEqual(request.form["RoleSessionName"], "ops-session")
        XCTAssertEqual(request.form["ExternalId"], "ext-1")
        XCTAssertEqual(request.form["DurationSeconds"], "900")
        XCTAssertEqual(verifySTSSignature(request, secrets: ["AKIDBASE": "base-secret"]), "AKIDBASE")
        XCTAssertTrue(request.header("Authorization")?.contains("/eu-west-1/sts/aws4_request") ?? false)
    }

    func testRoleChainingSignsEachStepWithThePreviousRole() throws {
        try startServer([
            .init(
                method: "POST", path: "/", bodyContains: "role%2Ffirst",
                body: stsCredentialsXML(
                    action: "AssumeRole", key: "ASIAFIRST", secret: "first-secret", token: "first-token"
                )),
            .init(
                method: "POST", path: "/", bodyContains: "role%2Fsecond",
                body: stsCredentialsXML(
                    action: "AssumeRole", key: "ASIASECOND", secret: "second-secret", token: "second-token"
                )),
        ])
        try writeConfig(
            """
            [default]
            region = us-east-1
            role_arn = arn:aws:iam::123456789012:role/second
            source_profile = middle
            [profile middle]
            role_arn = arn:aws:iam::123456789012:role/first
            source_profile = base
            [profile base]
            aws_access_key_id = AKIDBASE
            aws_secret_access_key = base-secret
            """
        )
        let credentials = try resolve(ClientSettings(), ["AWS_ENDPOINT_URL": server.url]).credentials.credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIASECOND")
        let requests = server.requests()
        XCTAssertEqual(
            requests.map { $0.form["RoleArn"] },
            [
                "arn:aws:iam::123456789012:role/first", "arn:aws:iam::123456789012:role/second",
            ])
        let secrets = ["AKIDBASE": "base-secret", "ASIAFIRST": "first-secret"]
        XCTAssertEqual(requests.map { verifySTSSignature($0, secrets: secrets) }, ["AKIDBASE", "ASIAFIRST"])
        XCTAssertEqual(requests[1].header("X-Amz-Security-Token"), "first-token")
    }

    func testAssumeRoleWinsOverStaticKeysOfTheSameProfile() throws {
        try startServer([
            .init(
                method: "POST", path: "/",
                body: stsCredentialsXML(
                    action: "AssumeRole", key: "ASIAROLE", secret: "s", token: "t"
                ))
        ])
        try writeConfig(
            """
            [default]
            region = us-east-1
            role_arn = arn:aws:iam::123456789012:role/self
            source_profile = default
            aws_access_key_id = AKIDSELF
            aws_secret_access_key = self-secret
            """
        )
        let credentials = try resolve(ClientSettings(), ["AWS_ENDPOINT_URL_STS": server.url]).credentials.credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAROLE")
        XCTAssertEqual(verifySTSSignature(server.requests()[0], secrets: ["AKIDSELF": "self-secret"]), "AKIDSELF")
    }

    func testCredentialSourceEnvironment() throws {
        try startServer([
            .init(
                method: "POST", path: "/",
                body: stsCredentialsXML(
                    action: "AssumeRole", key: "ASIAROLE", secret: "s", token: "t"
                ))
        ])
        try writeConfig(
            "[profile ops]\nregion = us-east-2\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Environment\n"
        )
        let env = [
            "AWS_ENDPOINT_URL_STS": server.url, "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
        ]
        XCTAssertEqual(
            try resolve(settings { $0.profile = "ops" }, env).credentials.credentials().accessKeyId, "ASIAROLE")
        XCTAssertEqual(verifySTSSignature(server.requests()[0], secrets: ["AKIDENV": "env-secret"]), "AKIDENV")
    }

    func testSTSErrorsAreReported() throws {
        let error = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed to assume</Message></Error>
              <RequestId>req-2</RequestId>
            </ErrorResponse>
            """
        try startServer([.init(method: "POST", path: "/", status: 403, body: error)])
        try writeConfig(
            "[default]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n"
                + "[profile base]\naws_access_key_id = A\naws_secret_access_key = base-secret\n"
        )
        let failure = configurationError(
            try resolve(ClientSettings(), ["AWS_ENDPOINT_URL_STS": server.url]).credentials.credentials()
        )
        XCTAssertEqual(failure?.code, "CredentialsError")
        XCTAssertEqual(
            failure?.message, "STS AssumeRole for arn:aws:iam::1:role/x failed: AccessDenied: not allowed to assume"
        )
    }

    func testRoleConfigurationErrors() throws {
        let cases: [(String, String)] = [
            (
                "[default]\nrole_arn = arn:aws:iam::1:role/x\n",
                "profile 'default' has role_arn but neither source_profile nor credential_source"
            ),
            (
                "[default]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = nope\n",
                "the source_profile 'nope' referenced in profile 'default' does not exist"
            ),
            (
                "[default]\nrole_arn = r\nsource_profile = a\n[profile a]\nrole_arn = r\nsource_profile = default\n",
                "source_profile chain loops: default -> a -> default"
            ),
            (
                "[default]\nrole_arn = r\ncredential_source = Somewhere\n",
                "credential_source 'Somewhere' in profile 'default' is not one of Environment, Ec2InstanceMetadata, "
                    + "EcsContainer"
            ),
            (
                "[default]\nrole_arn = r\nsource_profile = a\nmfa_serial = arn:aws:iam::1:mfa/me\n[profile a]\nx = y\n",
                "profile 'default' needs an MFA code (mfa_serial), which cogsync-lua cannot prompt for; use "
                    + "credentials from a session that already passed MFA"
            ),
        ]
        for (config, message) in cases {
            try writeConfig(config)
            let error = configurationError(try resolve(settings { $0.region = "us-east-1" }).credentials.credentials())
            XCTAssertEqual(error?.message, message)
        }
    }

    func testWebIdentityFromEnvironment() throws {
        try startServer([
            .init(
                method: "POST", path: "/",
                body: stsCredentialsXML(
                    action: "AssumeRoleWithWebIdentity", key: "ASIAWEB", secret: "web-secret", token: "web-token"
                ))
        ])
        let tokenFile = try write("eyJhbGciOiJSUzI1NiJ9.token\n", to: "token")
        let env = [
            "AWS_ENDPOINT_URL_STS": server.url, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
            "AWS_ROLE_ARN": "arn:aws:iam::1:role/web", "AWS_ROLE_SESSION_NAME": "pod-1",
        ]
        let credentials = try resolve(settings { $0.region = "us-west-2" }, env).credentials.credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAWEB")
        let request = try XCTUnwrap(server.requests().first)
        XCTAssertEqual(request.form["Action"], "AssumeRoleWithWebIdentity")
        XCTAssertEqual(request.form["RoleArn"], "arn:aws:iam::1:role/web")
        XCTAssertEqual(request.form["RoleSessionName"], "pod-1")
        XCTAssertEqual(request.form["WebIdentityToken"], "eyJhbGciOiJSUzI1NiJ9.token")
        XCTAssertNil(request.header("Authorization"), "AssumeRoleWithWebIdentity is not signed")
    }

    func testWebIdentityFromProfileNeedsARole() throws {
        try writeConfig("[default]\nweb_identity_token_file = /nonexistent\n")
        let error = configurationError(try resolve(settings { $0.region = "us-east-1" }).credentials.credentials())
        XCTAssertEqual(
            error?.message,
            "a web identity token file is configured but no role: set AWS_ROLE_ARN or role_arn in the profile"
        )
    }

    func testContainerCredentialsWithAuthorizationTokenFile() throws {
        let json =
            #"{"AccessKeyId": "ASIAECS", "SecretAccessKey": "ecs-secret", "Token": "ecs-token","#
            + #" "Expiration": "2099-01-01T00:00:00Z"}"#
        try startServer([
            .init(method: "GET", path: "/v2/creds", requiredHeader: ("Authorization", "Bearer abc"), body: json)
        ])
        let tokenFile = try write("Bearer abc", to: "ecs-token")
        let env = [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/v2/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
        ]
        let credentials = try resolve(settings { $0.region = "us-east-1" }, env).credentials.credentials()
        XCTAssertEqual(
            credentials,
            Credentials(
                accessKeyId: "ASIAECS", secretAccessKey: "ecs-secret", sessionToken: "ecs-token",
                expiration: Date(timeIntervalSince1970: 4_070_908_800)
            )
        )
    }

    func testContainerFullURIMustBeHTTPSOrLocal() throws {
        let env = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://metadata.example.com/creds"]
        let error = configurationError(try resolve(settings { $0.region = "us-east-1" }, env).credentials.credentials())
        XCTAssertEqual(error?.code, "CredentialsError")
        XCTAssertTrue(error?.message.hasPrefix("AWS_CONTAINER_CREDENTIALS_FULL_URI must use https") ?? false)
        XCTAssertNoThrow(try ContainerCredentialSource.validateFullURI("https://metadata.example.com/creds"))
        XCTAssertNoThrow(try ContainerCredentialSource.validateFullURI("http://127.0.0.2:8080/creds"))
        XCTAssertNoThrow(try ContainerCredentialSource.validateFullURI("http://169.254.170.23/v1/credentials"))
    }

    /// The container source at the stand-in server's `/creds`, retrying without a pause.
    private func containerSource() -> ContainerCredentialSource {
        let http = CredentialHTTPClient(
            inbox: DrivenTransport.shared.inbox, timeout: 10, connectTimeout: 10, caBundle: nil)
        return ContainerCredentialSource(url: server.url + "/creds", tokenFile: nil, token: nil, http: http,
                                         retryDelay: 0)
    }

    func testContainerCredentialsTryAServerErrorThreeTimes() throws {
        try startServer([.init(method: "GET", path: "/creds", status: 503, body: "busy")])
        let error = configurationError(try containerSource().fetch())
        XCTAssertEqual(error?.message, "container credentials endpoint \(server.url)/creds failed: HTTP 503")
        XCTAssertEqual(server.requests().count, 3)
    }

    func testContainerCredentialsDoNotRetryAClientError() throws {
        try startServer([.init(method: "GET", path: "/creds", status: 403, body: "no")])
        let error = configurationError(try containerSource().fetch())
        XCTAssertEqual(error?.message, "container credentials endpoint answered HTTP 403")
        XCTAssertEqual(server.requests().count, 1)
    }

    func testInstanceMetadataTriesAServerErrorAsOftenAsConfigured() throws {
        try startServer([.init(method: "PUT", path: "/latest/api/token", status: 500, body: "down")])
        let env = [
            "AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url,
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "2",
        ]
        let error = configurationError(try resolve(settings { $0.region = "us-east-1" }, env).credentials.credentials())
        XCTAssertTrue(
            error?.message.contains("; EC2 instance metadata: no answer from \(server.url) (HTTP 500)") ?? false,
            error?.message ?? ""
        )
        XCTAssertEqual(server.requests().map(\.method), ["PUT", "PUT"])
    }

    func testInstanceMetadataV2() throws {
        let json =
            #"{"Code": "Success", "AccessKeyId": "ASIAEC2", "SecretAccessKey": "ec2-secret","#
            + #" "Token": "ec2-token", "Expiration": "2099-01-01T00:00:00Z"}"#
        try startServer([
            .init(
                method: "PUT", path: "/latest/api/token",
                requiredHeader: ("X-aws-ec2-metadata-token-ttl-seconds", "21600"), body: "session-token-1"
            ),
            .init(
                method: "GET", path: "/latest/meta-data/iam/security-credentials/",
                requiredHeader: ("X-aws-ec2-metadata-token", "session-token-1"), body: "ops-role\n"
            ),
            .init(
                method: "GET", path: "/latest/meta-data/iam/security-credentials/ops-role",
                requiredHeader: ("X-aws-ec2-metadata-token", "session-token-1"), body: json
            ),
        ])
        let env = ["AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url + "/"]
        let credentials = try resolve(settings { $0.region = "us-east-1" }, env).credentials.credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAEC2")
        XCTAssertEqual(credentials.sessionToken, "ec2-token")
        XCTAssertEqual(server.requests().map(\.method), ["PUT", "GET", "GET"])
    }

    func testInstanceMetadataWithoutAnswerIsListed() throws {
        let env = ["AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1"]
        let error = configurationError(try resolve(settings { $0.region = "us-east-1" }, env).credentials.credentials())
        XCTAssertTrue(
            error?.message.contains("; EC2 instance metadata: no answer from http://127.0.0.1:1 (") ?? false,
            error?.message ?? ""
        )
    }

    /// A loopback HTTP server (python3's http.server) that answers from a route table and logs every request.
    final class StubServer {
        struct Route {
            var method: String
            var path: String
            var bodyContains: String?
            var requiredHeader: (String, String)?
            var status = 200
            var body: String

            init(
                method: String, path: String, bodyContains: String? = nil, requiredHeader: (String, String)? = nil,
                status: Int = 200, body: String
            ) {
                self.method = method
                self.path = path
                self.bodyContains = bodyContains
                self.requiredHeader = requiredHeader
                self.status = status
                self.body = body
            }
        }

        struct LoggedRequest {
            let method: String
            let path: String
            let headers: [(String, String)]
            let body: String

            func header(_ name: String) -> String? {
                headers.first { $0.0.lowercased() == name.lowercased() }?.1
            }

            /// The body decoded as a form.
            var form: [String: String] {
                Dictionary(PercentEncoding.decodeQuery(body), uniquingKeysWith: { first, _ in first })
            }
        }

        private static let script = #"""
            import http.server, json, sys
            routes = json.load(open(sys.argv[1]))
            log = open(sys.argv[2], "a")

            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.0"

                def answer(self):
                    length = int(self.headers.get("Content-Length") or 0)
                    body = self.rfile.read(length).decode("utf-8", "replace")
                    log.write(json.dumps({"method": self.command, "path": self.path,
                                          "headers": list(self.headers.items()), "body": body}) + "\n")
                    log.flush()
                    for route in routes:
                        if route["method"] != self.command or route["path"] != self.path.split("?")[0]:
                            continue
                        if route.get("bodyContains") and route["bodyContains"] not in body:
                            continue
                        required = route.get("requiredHeader")
                        if required and self.headers.get(required[0]) != required[1]:
                            return self.send_text(401, "missing or wrong " + required[0])
                        return self.send_text(route["status"], route["body"])
                    self.send_text(404, "no route")

                def send_text(self, status, text):
                    data = text.encode("utf-8")
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

                do_GET = do_PUT = do_POST = answer

                def log_message(self, *args):
                    pass

            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """#

        let url: String
        private let process = Process()
        private let logPath: String

        init(directory: URL, routes: [Route]) throws {
            let scriptPath = directory.appendingPathComponent("stub_server.py").path
            let routesPath = directory.appendingPathComponent("routes.json").path
            logPath = directory.appendingPathComponent("requests.jsonl").path
            try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
            let table: [[String: Any]] = routes.map { route in
                var entry: [String: Any] = [
                    "method": route.method, "path": route.path, "status": route.status, "body": route.body,
                ]
                entry["bodyContains"] = route.bodyContains
                entry["requiredHeader"] = route.requiredHeader.map { [$0.0, $0.1] }
                return entry
            }
            try JSONSerialization.data(withJSONObject: table).write(to: URL(fileURLWithPath: routesPath))
            try Data().write(to: URL(fileURLWithPath: logPath))
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", scriptPath, routesPath, logPath]
            let output = Pipe()
            process.standardOutput = output
            do {
                try process.run()
            } catch {
                throw SetUpFailure("python3 is needed for the loopback stand-in server: \(error)")
            }
            var line = [UInt8]()
            while true {
                let byte = output.fileHandleForReading.readData(ofLength: 1)
                guard let first = byte.first else {
                    throw SetUpFailure("the loopback stand-in server did not start")
                }
                if first == UInt8(ascii: "\n") {
                    break
                }
                line.append(first)
            }
            url = "http://127.0.0.1:" + String(decoding: line, as: UTF8.self)
        }

        func requests() -> [LoggedRequest] {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let method = json["method"] as? String, let path = json["path"] as? String,
                    let headers = json["headers"] as? [[String]], let body = json["body"] as? String
                else {
                    return nil
                }
                return LoggedRequest(method: method, path: path, headers: headers.map { ($0[0], $0[1]) }, body: body)
            }
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }
}
