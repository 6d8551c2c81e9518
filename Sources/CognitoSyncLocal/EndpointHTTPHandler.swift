import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SigV4

/// Serves one connection: collects each request, applies the rate limits, injects the configured faults, runs the
/// request through the core (on a thread pool when writes wait for the disk) and writes the response.
final class EndpointHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxBodyBytes = 16 * 1024 * 1024

    private let core: EndpointCore
    private let blockingPool: NIOThreadPool?
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false

    init(core: EndpointCore, blockingPool: NIOThreadPool?) {
        self.core = core
        self.blockingPool = blockingPool
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
            bodyTooLarge = false
            if requestHead.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let interim = HTTPResponseHead(version: requestHead.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
        case .body(var chunk):
            if body.count + chunk.readableBytes > Self.maxBodyBytes {
                bodyTooLarge = true
            } else if let bytes = chunk.readBytes(length: chunk.readableBytes) {
                body.append(contentsOf: bytes)
            }
        case .end:
            guard let requestHead = head else {
                return
            }
            head = nil
            handle(context: context, head: requestHead, body: body)
            body = []
        }
    }

    private func handle(context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
        let headers = head.headers.map { ($0.name, $0.value) }
        // The rate limits come before the fault draw: a request over the rate is refused and takes no draw.
        guard core.admits(method: head.method.rawValue, uri: head.uri, headers: headers) else {
            send(.failure(.tooManyRequests), head: head, context: context)
            return
        }
        let decision = core.faults.decide()
        switch decision {
        case .reset:
            reset(context: context)
            return
        case .throttle:
            send(.failure(.tooManyRequests), head: head, context: context)
            return
        case .error:
            send(.failure(.internalError()), head: head, context: context)
            return
        case .none, .lost:
            break
        }
        if bodyTooLarge {
            let error = ServiceError(
                code: "RequestEntityTooLargeException", status: 413, message: "Request body exceeds 16 MiB"
            )
            send(.failure(error), head: head, context: context)
            return
        }
        let core = self.core
        let work = { core.respond(method: head.method.rawValue, uri: head.uri, headers: headers, body: body) }
        let finish = { (response: EndpointResponse) in
            if case .lost = decision {
                context.close(promise: nil)
            } else {
                self.send(response, head: head, context: context)
            }
        }
        if let blockingPool {
            blockingPool.runIfActive(eventLoop: context.eventLoop, work).whenComplete { result in
                switch result {
                case .success(let response):
                    finish(response)
                case .failure:
                    finish(.failure(.internalError()))
                }
            }
        } else {
            finish(work())
        }
    }

    private func send(_ response: EndpointResponse, head: HTTPRequestHead, context: ChannelHandlerContext) {
        let latency = core.faults.spec.latency
        if latency > 0 {
            context.eventLoop.scheduleTask(in: .nanoseconds(Int64(latency * 1_000_000_000))) {
                self.write(response, head: head, context: context)
            }
        } else {
            write(response, head: head, context: context)
        }
    }

    private func write(_ response: EndpointResponse, head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "x-amzn-RequestId", value: UUID().uuidString.lowercased())
        headers.add(name: "Date", value: HTTPDate.format(core.clock.date))
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(response.body.count))
        if let code = response.errorCode {
            headers.add(name: "x-amzn-ErrorType", value: code + EndpointResponse.errorTypeSuffix)
        }
        let keepAlive = head.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if !response.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.whenComplete { _ in context.close(promise: nil) }
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

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
