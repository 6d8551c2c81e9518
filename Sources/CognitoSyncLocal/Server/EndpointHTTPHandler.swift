#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import SigV4

/// Serves one connection, one request at a time (the pipelining handler before it holds back the next request until
/// this one is answered). A request's head decides whether its body is read at all: the rate limits, the fault draw,
/// the authentication that needs no body and the body's declared size are checked first, and a refused request is
/// answered at once without buffering anything. An admitted body is collected within the endpoint-wide budget, then
/// the request runs through the core (on a thread pool when writes wait for the disk).
final class EndpointHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The largest body accepted. A request that can succeed carries at most 1 MiB of keys and values (the dataset
    /// quota), but JSON escaping can make each byte of text six bytes on the wire (botocore writes every character
    /// outside ASCII, and every control character, as `\uXXXX`), and 1,024 patches add their structure: 8 MiB holds
    /// the largest such request.
    static let maxBodyBytes = 8 * 1024 * 1024
    /// How long a connection being closed after a refusal keeps reading (and dropping) what the client still sends,
    /// so that closing it does not reset the connection before the client has read the answer.
    static let lingerTime = TimeAmount.seconds(2)

    private enum State {
        /// Between requests.
        case idle
        /// Collecting the body of an admitted request.
        case receiving(PendingRequest)
        /// The request was answered early; the rest of its body is dropped, then the connection serves the next one.
        case discarding
        /// The request is running or its answer is being written.
        case working
        /// A last answer was sent; everything the client still sends is dropped until the connection closes.
        case closing
    }

    private struct PendingRequest {
        let head: HTTPRequestHead
        let headers: [(String, String)]
        let decision: FaultInjector.Decision
        var body: [UInt8]
        /// Bytes taken from the budget for this body.
        var reserved: Int
    }

    private let core: EndpointCore
    private let blockingPool: NIOThreadPool?
    private let budget: BodyBudget
    private var state = State.idle

    init(core: EndpointCore, blockingPool: NIOThreadPool?, budget: BodyBudget) {
        self.core = core
        self.blockingPool = blockingPool
        self.budget = budget
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .idle):
            admit(head, context: context)
        case (.body(let chunk), .receiving(var request)):
            state = .working  // the request is held outside the state while it grows, so the array is not copied
            collect(chunk, into: &request, context: context)
        case (.end, .receiving(let request)):
            state = .working
            run(request, context: context)
        case (.end, .discarding):
            state = .idle
        default:
            break
        }
    }

    /// Decides from the head alone whether the request is refused, and otherwise starts collecting its body.
    private func admit(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let headers = head.headers.map { ($0.name, $0.value) }
        let service = LocalService(headers: headers)
        // The rate limits come before the fault draw: a request over the rate is refused and takes no draw.
        guard core.admits(method: head.method.rawValue, uri: head.uri, headers: headers) else {
            return refuse(.tooManyRequests, service: service, head: head, close: false, context: context)
        }
        let decision = core.faults.decide()
        switch decision {
        case .reset:
            state = .closing
            return reset(context: context)
        case .throttle:
            return refuse(.tooManyRequests, service: service, head: head, close: false, context: context)
        case .error:
            return refuse(.internalError(), service: service, head: head, close: false, context: context)
        case .none, .lost:
            break
        }
        if let failure = core.checkHead(headers: headers) {
            return refuse(failure, service: service, head: head, close: true, context: context)
        }
        let declared = head.headers["content-length"].first.map { Int($0) ?? Int.max } ?? 0
        if declared > Self.maxBodyBytes {
            return refuse(
                .bodyTooLarge(limit: Self.maxBodyBytes), service: service, head: head, close: true, context: context)
        }
        guard budget.reserve(declared) else {
            return refuse(.busy, service: service, head: head, close: true, context: context)
        }
        if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            let interim = HTTPResponseHead(version: head.version, status: .continue)
            context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
        }
        var body: [UInt8] = []
        body.reserveCapacity(declared)
        state = .receiving(PendingRequest(head: head, headers: headers, decision: decision, body: body,
                                          reserved: declared))
    }

    /// Appends a chunk of an admitted body; a body past the size cap or the budget (one sent without a
    /// Content-Length, or longer than it said) is refused.
    private func collect(_ chunk: ByteBuffer, into request: inout PendingRequest, context: ChannelHandlerContext) {
        let total = request.body.count + chunk.readableBytes
        var refusal: ServiceError?
        if total > Self.maxBodyBytes {
            refusal = .bodyTooLarge(limit: Self.maxBodyBytes)
        } else if total > request.reserved {
            if budget.reserve(total - request.reserved) {
                request.reserved = total
            } else {
                refusal = .busy
            }
        }
        if let refusal {
            budget.release(request.reserved)
            let service = LocalService(headers: request.headers)
            return refuse(refusal, service: service, head: request.head, close: true, context: context)
        }
        request.body.append(contentsOf: chunk.readableBytesView)
        state = .receiving(request)
    }

    private func run(_ request: PendingRequest, context: ChannelHandlerContext) {
        let (core, budget, head) = (self.core, self.budget, request.head)
        let work = {
            defer { budget.release(request.reserved) }
            return core.respond(
                method: head.method.rawValue, uri: head.uri, headers: request.headers, body: request.body)
        }
        let finish = { (response: EndpointResponse) in
            if case .lost = request.decision {
                self.state = .closing
                context.close(promise: nil)
            } else {
                self.send(response, head: head, close: false, context: context)
            }
        }
        if let blockingPool {
            blockingPool.runIfActive(eventLoop: context.eventLoop, work).whenComplete { result in
                switch result {
                case .success(let response):
                    finish(response)
                case .failure:
                    budget.release(request.reserved)
                    finish(.failure(.internalError(), service: LocalService(headers: request.headers)))
                }
            }
        } else {
            finish(work())
        }
    }

    /// Answers a request before its body is read. With `close` the connection ends after the answer; otherwise the
    /// rest of the body is dropped as it arrives and the connection serves the next request.
    private func refuse(
        _ error: ServiceError, service: LocalService, head: HTTPRequestHead, close: Bool, context: ChannelHandlerContext
    ) {
        state = close ? .closing : .discarding
        send(.failure(error, service: service), head: head, close: close, context: context)
    }

    private func send(
        _ response: EndpointResponse, head: HTTPRequestHead, close: Bool, context: ChannelHandlerContext
    ) {
        let latency = core.faults.spec.latency
        if latency > 0 {
            context.eventLoop.scheduleTask(in: .nanoseconds(Int64(latency * 1_000_000_000))) {
                self.write(response, version: head.version, keepAlive: head.isKeepAlive && !close, context: context)
            }
        } else {
            write(response, version: head.version, keepAlive: head.isKeepAlive && !close, context: context)
        }
    }

    private func write(
        _ response: EndpointResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "x-amzn-RequestId", value: UUID().uuidString.lowercased())
        headers.add(name: "Date", value: HTTPDate.format(core.clock.date))
        headers.add(name: "Content-Type", value: response.service.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        if let code = response.errorCode {
            headers.add(name: "x-amzn-ErrorType", value: code + response.service.errorTypeSuffix)
        }
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if !response.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive {
            if case .working = state {
                state = .idle
            }
        } else {
            state = .closing
            done.whenComplete { _ in self.closeAfterLingering(context: context) }
        }
    }

    /// Closes the sending side, keeps dropping what arrives for a moment, then closes. Closing at once while the
    /// client is still sending would make the kernel answer with a reset, which can destroy the answer unread.
    private func closeAfterLingering(context: ChannelHandlerContext) {
        context.close(mode: .output).whenComplete { _ in
            context.eventLoop.scheduleTask(in: Self.lingerTime) {
                context.close(promise: nil)
            }
        }
    }

    /// Drops the connection with a TCP reset: SO_LINGER with a zero timeout makes close() send RST.
    private func reset(context: ChannelHandlerContext) {
        guard let provider = context.channel as? SocketOptionProvider else {
            context.close(promise: nil)
            return
        }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Closes a connection that has been idle for the idle timeout, unless the endpoint itself is what it waits for.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else {
            return context.fireUserInboundEventTriggered(event)
        }
        if case .working = state {
            return
        }
        if case .receiving(let request) = state {
            budget.release(request.reserved)
        }
        state = .closing
        context.close(promise: nil)
    }

    /// A request the HTTP parser cannot read is answered (431 for a head over the size limit, 400 otherwise) and the
    /// connection closed; nothing after it can be read reliably. Other errors end the connection.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if case .closing = state {
            return
        }
        guard let parserError = error as? HTTPParserError else {
            return context.close(promise: nil)
        }
        if case .receiving(let request) = state {
            budget.release(request.reserved)
        }
        let answered: Bool
        switch state {
        case .idle, .receiving: answered = false
        case .discarding, .working, .closing: answered = true
        }
        state = .closing
        guard !answered else {
            return context.close(promise: nil)
        }
        let failure: ServiceError =
            parserError == .headerOverflow ? .headersTooLarge : .badRequest("The request is not valid HTTP/1.1")
        write(.failure(failure), version: .http1_1, keepAlive: false, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .receiving(let request) = state {
            budget.release(request.reserved)
        }
        state = .closing
        context.fireChannelInactive()
    }
}
