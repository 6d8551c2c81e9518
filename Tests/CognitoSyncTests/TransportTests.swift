import XCTest

@testable import CognitoSync

final class TransportTests: XCTestCase {
    private typealias Server = EngineTests.ScriptedServer

    /// curl result codes: 28 timed out, 7 could not connect, 60 peer failed verification, 47 too many redirects.
    func testCurlResultsAreClassified() {
        let url = "https://cognito-sync.us-east-1.amazonaws.com/identitypools/p/identities?x=1"
        let timeout = TransportFailure.from(curlCode: 28, detail: "after 300 ms", url: url)
        XCTAssertEqual(timeout.kind, .timeout)
        XCTAssertEqual(timeout.code, "TimeoutError")
        XCTAssertTrue(timeout.retryable)
        XCTAssertTrue(timeout.message.contains("after 300 ms"))

        let refused = TransportFailure.from(curlCode: 7, detail: "", url: url)
        XCTAssertEqual(refused.kind, .connection)
        XCTAssertEqual(refused.code, "NetworkingError")
        XCTAssertTrue(refused.retryable)
        XCTAssertFalse(refused.message.isEmpty)

        let certificate = TransportFailure.from(
            curlCode: 60, detail: "SSL certificate problem: self-signed certificate", url: url)
        XCTAssertEqual(certificate.kind, .certificate)
        XCTAssertEqual(certificate.code, "NetworkingError")
        XCTAssertFalse(certificate.retryable, "a certificate that does not verify will not verify on a retry")
        XCTAssertTrue(certificate.message.contains("certificate verification failed"), certificate.message)
        XCTAssertTrue(certificate.message.contains("https://cognito-sync.us-east-1.amazonaws.com"), certificate.message)
        XCTAssertTrue(certificate.message.contains("self-signed certificate"), certificate.message)
        XCTAssertTrue(certificate.message.contains("AWS_CA_BUNDLE"), certificate.message)
        XCTAssertFalse(certificate.message.contains("/identitypools"), "only the origin is named")

        let redirects = TransportFailure.from(curlCode: 47, detail: "Maximum (2)", url: url)
        XCTAssertEqual(redirects.kind, .request)
        XCTAssertFalse(redirects.retryable)
    }

    func testDefaults() {
        let options = TransportOptions()
        XCTAssertEqual(options.timeout, 120, "an endpoint that never answers cannot stall a script")
        XCTAssertNil(options.connectTimeout)
        XCTAssertEqual(options.maxRedirects, 10)
        XCTAssertNil(options.proxy)
        XCTAssertNil(options.caBundle)
    }

    func testProxyComesFromTheVariableOfTheEndpointScheme() {
        let environment = ["HTTPS_PROXY": "http://secure-proxy:3128", "HTTP_PROXY": "http://plain-proxy:3128",
                           "NO_PROXY": "localhost,.internal"]
        var https = TransportOptions()
        https.applyEnvironment(environment, endpoint: "https://cognito-sync.eu-west-1.amazonaws.com")
        XCTAssertEqual(https.proxy, "http://secure-proxy:3128")
        XCTAssertEqual(https.noProxy, "localhost,.internal")
        var http = TransportOptions()
        http.applyEnvironment(environment, endpoint: "http://127.0.0.1:4566")
        XCTAssertEqual(http.proxy, "http://plain-proxy:3128", "unlike curl on its own, the upper-case name counts")
    }

    func testLowerCaseProxyVariablesWinAndAllProxyIsTheFallback() {
        var options = TransportOptions()
        options.applyEnvironment(["http_proxy": "http://lower:1", "HTTP_PROXY": "http://upper:2"],
                                 endpoint: "http://127.0.0.1:4566")
        XCTAssertEqual(options.proxy, "http://lower:1")
        XCTAssertEqual(options.noProxy, "")
        var fallback = TransportOptions()
        fallback.applyEnvironment(["ALL_PROXY": "http://every:3", "HTTP_PROXY": "http://plain:4"],
                                  endpoint: "https://example.com")
        XCTAssertEqual(fallback.proxy, "http://every:3")
        var none = TransportOptions()
        none.applyEnvironment(["HTTP_PROXY": "http://plain:4", "NO_PROXY": "*"], endpoint: "https://example.com")
        XCTAssertEqual(none.proxy, "", "none, said outright")
        XCTAssertEqual(none.noProxy, "")
    }

    func testAnExplicitProxyIgnoresTheEnvironment() {
        var options = TransportOptions()
        options.proxy = "http://explicit:8080"
        options.applyEnvironment(["HTTPS_PROXY": "http://env:1", "NO_PROXY": "*"], endpoint: "https://example.com")
        XCTAssertEqual(options.proxy, "http://explicit:8080")
        XCTAssertEqual(options.noProxy, "", "NO_PROXY would otherwise still be read by curl")
    }

    func testCABundleFromTheEnvironmentUnlessSet() {
        var options = TransportOptions()
        options.applyEnvironment(["AWS_CA_BUNDLE": "/etc/ssl/private-ca.pem"], endpoint: "https://example.com")
        XCTAssertEqual(options.caBundle, "/etc/ssl/private-ca.pem")
        var explicit = TransportOptions()
        explicit.caBundle = "/mine.pem"
        explicit.applyEnvironment(["AWS_CA_BUNDLE": "/etc/ssl/private-ca.pem"], endpoint: "https://example.com")
        XCTAssertEqual(explicit.caBundle, "/mine.pem")
    }

    private func exchange(_ transport: CurlTransport, _ request: WireRequest,
                          _ options: TransportOptions = TransportOptions()) -> WireOutcome? {
        var outcome: WireOutcome?
        transport.send(request, options: options) { outcome = $0 }
        let deadline = MonotonicClock.now() + 10
        while outcome == nil && MonotonicClock.now() < deadline { transport.perform(timeout: 0.1) }
        return outcome
    }

    func testSendsExactlyTheHeadersAndBodyGiven() throws {
        let server = try Server { _ in .respond(200, headers: [("x-amzn-RequestId", "r-1")], body: #"{"ok":true}"#) }
        defer { server.stop() }
        let transport = CurlTransport()
        let body = Array(#"{"SyncSessionToken":"t"}"#.utf8)
        let request = WireRequest(url: server.url + "/identitypools/a%3Ab/x?maxResults=2", method: "POST",
                                  headers: [("Content-Type", "application/json"), ("X-Amz-Date", "20260101T000000Z")],
                                  body: body)
        guard case let .response(status, headers, responseBody) = try XCTUnwrap(exchange(transport, request)) else {
            return XCTFail("expected a response")
        }
        XCTAssertEqual(status, 200)
        XCTAssertTrue(headers.contains { $0.0 == "x-amzn-RequestId" && $0.1 == "r-1" })
        XCTAssertEqual(String(decoding: responseBody, as: UTF8.self), #"{"ok":true}"#)
        let received = try XCTUnwrap(server.received().first)
        XCTAssertEqual(received.method, "POST")
        XCTAssertEqual(received.target, "/identitypools/a%3Ab/x?maxResults=2", "the path is sent as encoded")
        XCTAssertEqual(received.body, body)
        XCTAssertEqual(received.header("Content-Type"), "application/json")
        XCTAssertEqual(received.header("X-Amz-Date"), "20260101T000000Z")
        XCTAssertNil(received.header("Expect"), "no 100-continue round trip")
        XCTAssertNil(received.header("Accept"), "nothing unsigned beyond what curl must add")
    }

    func testAnEmptyPostAndADeleteCarryNoBody() throws {
        let server = try Server { _ in .respond(200, body: "{}") }
        defer { server.stop() }
        let transport = CurlTransport()
        for method in ["POST", "DELETE"] {
            let request = WireRequest(url: server.url + "/identitypools/p/bulkpublish", method: method, headers: [],
                                      body: [])
            guard case .response(200, _, _)? = exchange(transport, request) else { return XCTFail(method) }
        }
        let received = server.received()
        XCTAssertEqual(received.map(\.method), ["POST", "DELETE"])
        XCTAssertEqual(received[0].header("Content-Length"), "0")
        XCTAssertTrue(received.allSatisfy { $0.body.isEmpty })
    }

    func testFinishedTransfersAreCollectedAFewAtATime() throws {
        // The server holds every answer until the test lets them go, and the transport is not driven again until
        // all have been written, so every answer is waiting when collection starts.
        let total = CurlTransport.harvestLimit * 3
        let release = DispatchSemaphore(value: 0)
        let server = try Server { _ in
            _ = release.wait(timeout: .now() + 60)
            return .respond(200, body: "{}")
        }
        defer {
            // Lets go of answers still held when the test ends early.
            for _ in 0..<total { release.signal() }
            server.stop()
        }
        let transport = CurlTransport()
        var completed = 0
        for _ in 0..<total {
            let request = WireRequest(url: server.url + "/identitypools", method: "GET", headers: [], body: [])
            transport.send(request, options: TransportOptions()) { _ in completed += 1 }
        }
        let deadline = MonotonicClock.now() + 30
        while server.received().count < total && MonotonicClock.now() < deadline { transport.perform(timeout: 0.01) }
        XCTAssertEqual(server.received().count, total, "every request reached the server")
        for _ in 0..<total { release.signal() }
        while server.answered() < total && MonotonicClock.now() < deadline { usleep(1000) }
        XCTAssertEqual(server.answered(), total, "every answer was written")
        var perCall: [Int] = []
        while completed < total && MonotonicClock.now() < deadline {
            let before = completed
            transport.perform(timeout: 0.1)
            perCall.append(completed - before)
        }
        XCTAssertEqual(completed, total)
        XCTAssertEqual(perCall.max(), CurlTransport.harvestLimit, "more were ready, and only the limit was taken")
    }

    func testConnectionsAreReusedAcrossExchanges() throws {
        let server = try Server { _ in .respond(200, body: "{}") }
        defer { server.stop() }
        let transport = CurlTransport()
        for _ in 0..<5 {
            let request = WireRequest(url: server.url + "/identitypools", method: "GET", headers: [], body: [])
            guard case .response(200, _, _)? = exchange(transport, request) else { return XCTFail("no response") }
        }
        XCTAssertEqual(Set(server.received().map(\.connection)).count, 1)
    }

    func testARedirectIsFollowedUpToTheLimit() throws {
        let server = try Server { index in
            index < 2
                ? .respond(307, headers: [("Location", "/hop/\(index + 1)")], body: "")
                : .respond(200, body: "{}")
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let request = WireRequest(url: server.url + "/identitypools", method: "GET", headers: [], body: [])
        var options = TransportOptions()
        options.maxRedirects = 2
        let outcome = exchange(transport, request, options)
        guard case .response(200, _, _)? = outcome else {
            return XCTFail("not followed: \(String(describing: outcome))")
        }
        XCTAssertEqual(server.received().map(\.target), ["/identitypools", "/hop/1", "/hop/2"])
    }

    /// Options under which a request given as origin and target goes out that way: no proxy can be in play.
    private func direct(maxRedirects: Int = 10) -> TransportOptions {
        var options = TransportOptions()
        options.proxy = ""
        options.maxRedirects = maxRedirects
        return options
    }

    private func request(_ server: Server, _ target: String, method: String = "GET", body: String = "",
                         headers: [(String, String)] = []) -> WireRequest {
        WireRequest(origin: server.url, target: target, method: method, headers: headers, body: Array(body.utf8))
    }

    func testATargetGoesOutAsGivenOnOneConnection() throws {
        let server = try Server { _ in .respond(200, body: "{}") }
        defer { server.stop() }
        let transport = CurlTransport()
        let targets = ["/identitypools/a%3Ab/identities", "/identitypools/a%3Ab/x.y/.../z?maxResults=2&next=a%2Fb"]
        for target in targets {
            guard case .response(200, _, _)? = exchange(transport, request(server, target), direct()) else {
                return XCTFail("no response for \(target)")
            }
        }
        XCTAssertEqual(server.received().map(\.target), targets)
        XCTAssertEqual(Set(server.received().map(\.connection)).count, 1)
    }

    func testOnlyTargetsCurlWouldSendUnchangedGoOutAsTargets() {
        let plain = WireRequest(origin: "http://h", target: "/a/b.c/.../d?x=../y", method: "GET", headers: [], body: [])
        XCTAssertTrue(CurlTransport.sendsTarget(plain, direct()))
        for target in ["/a/./b", "/a/../b", "/a/..", "/.", "/a/.?x", "/a b", "/a#f", "/é", "a/b", ""] {
            let request = WireRequest(origin: "http://h", target: target, method: "GET", headers: [], body: [])
            XCTAssertFalse(CurlTransport.sendsTarget(request, direct()), target)
        }
        var proxied = direct()
        proxied.proxy = "http://proxy:3128"
        XCTAssertFalse(CurlTransport.sendsTarget(plain, proxied), "a proxy is sent the whole URL")
        XCTAssertFalse(CurlTransport.sendsTarget(plain, TransportOptions()), "curl may find a proxy itself")
    }

    func testATargetWithDotSegmentsIsSentAsCurlNormalisesIt() throws {
        let server = try Server { _ in .respond(200, body: "{}") }
        defer { server.stop() }
        guard case .response(200, _, _)? = exchange(CurlTransport(), request(server, "/a/b/../c/./d"), direct()) else {
            return XCTFail("no response")
        }
        XCTAssertEqual(server.received().map(\.target), ["/a/c/d"])
    }

    func testRedirectsOfATargetAreFollowedUpToTheLimit() throws {
        let hops: (Int) -> Server.Reply = { index in
            index < 3 ? .respond(307, headers: [("Location", "/hop/\(index + 1)")], body: "moved") : .respond(200, body: "{}")
        }
        let server = try Server(reply: hops)
        defer { server.stop() }
        let outcome = exchange(CurlTransport(), request(server, "/identitypools"), direct(maxRedirects: 3))
        guard case let .response(200, _, body)? = outcome else { return XCTFail("not followed: \(String(describing: outcome))") }
        XCTAssertEqual(body, Array("{}".utf8), "a redirect's own body is dropped")
        XCTAssertEqual(server.received().map(\.target), ["/identitypools", "/hop/1", "/hop/2", "/hop/3"])
        for limit in [1, 2] {
            let server = try Server(reply: hops)
            defer { server.stop() }
            guard case let .failure(failure)? = exchange(CurlTransport(), request(server, "/identitypools"),
                                                         direct(maxRedirects: limit)) else {
                return XCTFail("limit \(limit) not enforced")
            }
            XCTAssertEqual(failure.kind, .request)
            XCTAssertTrue(failure.message.contains("Maximum (\(limit)) redirects followed"), failure.message)
            XCTAssertEqual(server.received().count, limit + 1)
        }
        let unfollowed = try Server(reply: hops)
        defer { unfollowed.stop() }
        guard case .response(307, _, _)? = exchange(CurlTransport(), request(unfollowed, "/identitypools"),
                                                    direct(maxRedirects: 0)) else {
            return XCTFail("a redirect under maxRedirects 0 is the answer")
        }
    }

    func testARedirectsBodyIsNotReadNorCountedAgainstTheSizeLimit() throws {
        let large = String(repeating: "x", count: ResponseSizeLimit.bytes + 1)
        let server = try Server { index in
            index == 0 ? .respond(307, headers: [("Location", "/moved")], body: large) : .respond(200, body: "{}")
        }
        defer { server.stop() }
        let outcome = exchange(CurlTransport(), request(server, "/start"), direct())
        guard case let .response(200, _, body)? = outcome else { return XCTFail("not followed: \(String(describing: outcome))") }
        XCTAssertEqual(body, Array("{}".utf8))
        // Not followed, the same answer is the response, and too large.
        let unfollowed = try Server { _ in .respond(307, headers: [("Location", "/moved")], body: large) }
        defer { unfollowed.stop() }
        guard case let .failure(failure)? = exchange(CurlTransport(), request(unfollowed, "/start"), direct(maxRedirects: 0))
        else { return XCTFail("a redirect that is the answer is read like any answer") }
        XCTAssertEqual(failure.kind, .tooLarge)
    }

    func testARelativeLocationResolvesAgainstTheWholeURL() throws {
        let server = try Server { index in
            index == 0 ? .respond(302, headers: [("Location", "next?page=2")], body: "") : .respond(200, body: "{}")
        }
        defer { server.stop() }
        guard case .response(200, _, _)? = exchange(CurlTransport(), request(server, "/a/b/first?page=1"), direct())
        else { return XCTFail("not followed") }
        XCTAssertEqual(server.received().map(\.target), ["/a/b/first?page=1", "/a/b/next?page=2"])
    }

    func testARedirectChangesTheMethodAsCurlDoes() throws {
        for (status, method, expected) in [(301, "POST", "GET"), (302, "POST", "GET"), (303, "POST", "GET"),
                                           (307, "POST", "POST"), (308, "POST", "POST"), (303, "DELETE", "DELETE"),
                                           (307, "DELETE", "DELETE")] {
            let server = try Server { index in
                index == 0 ? .respond(status, headers: [("Location", "/moved")], body: "") : .respond(200, body: "{}")
            }
            defer { server.stop() }
            let sent = request(server, "/start", method: method, body: method == "POST" ? #"{"a":1}"# : "")
            guard case .response(200, _, _)? = exchange(CurlTransport(), sent, direct()) else {
                return XCTFail("\(status) \(method) not followed")
            }
            let moved = try XCTUnwrap(server.received().last)
            XCTAssertEqual(moved.target, "/moved")
            XCTAssertEqual(moved.method, expected, "\(status) \(method)")
            XCTAssertEqual(moved.body, expected == "POST" ? Array(#"{"a":1}"#.utf8) : [], "\(status) \(method)")
            // The body goes with its framing: curl sends no Content-Length once it has dropped the body.
            XCTAssertEqual(moved.header("Content-Length") != nil, status >= 307, "\(status) \(method)")
        }
    }

    func testAuthorizationFollowsARedirectOnlyToTheSameOrigin() throws {
        let headers = [("Authorization", "AWS4-HMAC-SHA256 Credential=A/x"), ("X-Amz-Date", "20260101T000000Z")]
        let transport = CurlTransport()
        let same = try Server { index in
            index < 2 ? .respond(307, headers: [("Location", "/same/\(index + 1)")], body: "") : .respond(200, body: "{}")
        }
        defer { same.stop() }
        guard case .response(200, _, _)? = exchange(transport, request(same, "/start", headers: headers), direct())
        else { return XCTFail("not followed") }
        XCTAssertEqual(same.received().map { $0.header("Authorization") != nil }, [true, true, true])

        let elsewhere = try Server { _ in .respond(200, body: "{}") }
        defer { elsewhere.stop() }
        let server = try Server { _ in .respond(307, headers: [("Location", elsewhere.url + "/other")], body: "") }
        defer { server.stop() }
        guard case .response(200, _, _)? = exchange(transport, request(server, "/start", headers: headers), direct())
        else { return XCTFail("not followed") }
        let other = try XCTUnwrap(elsewhere.received().first)
        XCTAssertEqual(other.target, "/other")
        XCTAssertNil(other.header("Authorization"), "sent to another port")
        XCTAssertEqual(other.header("X-Amz-Date"), "20260101T000000Z")
        // The handle that followed goes back to sending a target, with every header.
        guard case .response(200, _, _)? = exchange(transport, request(elsewhere, "/next", headers: headers), direct())
        else { return XCTFail("handle not reset") }
        XCTAssertEqual(elsewhere.received().last?.target, "/next")
        XCTAssertNotNil(elsewhere.received().last?.header("Authorization"))
    }

    func testARedirectLeadsToWebURLsOnly() throws {
        for options in [direct(), TransportOptions()] {
            let server = try Server { _ in .respond(302, headers: [("Location", "ftp://127.0.0.1:1/file")], body: "") }
            defer { server.stop() }
            let sent = options.proxy == "" ? request(server, "/start")
                : WireRequest(url: server.url + "/start", method: "GET", headers: [], body: [])
            guard case let .failure(failure)? = exchange(CurlTransport(), sent, options) else {
                return XCTFail("an FTP location was followed (proxy \(String(describing: options.proxy)))")
            }
            XCTAssertEqual(failure.kind, .request)
            XCTAssertTrue(failure.message.lowercased().contains("protocol"), failure.message)
        }
    }

    func testALocationThatIsNotAURLIsARequestFailure() throws {
        let server = try Server { _ in .respond(301, headers: [("Location", "http://[::1")], body: "") }
        defer { server.stop() }
        guard case let .failure(failure)? = exchange(CurlTransport(), request(server, "/start"), direct()) else {
            return XCTFail("expected a failure")
        }
        XCTAssertEqual(failure.kind, .request)
        XCTAssertTrue(failure.message.contains("The redirect target URL could not be parsed: "), failure.message)
        XCTAssertEqual(server.received().count, 1)
    }

    func testALostAnswerIsReportedNotResent() throws {
        // Sent as a whole URL and as origin and target.
        for options in [TransportOptions(), direct()] {
            let server = try Server { $0 == 1 ? .close : .respond(200, body: "{}") }
            defer { server.stop() }
            let transport = CurlTransport()
            let request = options.proxy == ""
                ? self.request(server, "/identitypools", method: "POST", body: "{}")
                : WireRequest(url: server.url + "/identitypools", method: "POST", headers: [], body: Array("{}".utf8))
            guard case .response(200, _, _)? = exchange(transport, request, options) else {
                return XCTFail("first exchange")
            }
            guard case let .failure(failure)? = exchange(transport, request, options) else {
                return XCTFail("expected a failure")
            }
            XCTAssertEqual(failure.kind, .connection)
            XCTAssertTrue(failure.retryable)
            XCTAssertEqual(server.received().count, 2)
            guard case .response(200, _, _)? = exchange(transport, request, options) else {
                return XCTFail("transfer reused")
            }
            XCTAssertEqual(server.received().count, 3)
            XCTAssertEqual(Set(server.received().map(\.target)), ["/identitypools"])
        }
    }
}
