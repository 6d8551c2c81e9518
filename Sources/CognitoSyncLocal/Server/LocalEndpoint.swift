#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A local Cognito Sync endpoint on its own threads: SigV4-verified rest-json over HTTP/1.1 with the service's
/// semantics, and Cognito Identity (AWS JSON 1.1) over the same pools and identities, in memory or in an SQLite file.
///
/// It runs on its own event loop threads, so a caller that blocks (for example in a synchronous HTTP call to
/// the endpoint) is still served.
public final class LocalEndpoint {
    private let options: LocalEndpointOptions
    private let core: EndpointCore
    private let persistence: SQLitePersistence?
    private var group: MultiThreadedEventLoopGroup?
    private var blockingPool: NIOThreadPool?
    private var channel: Channel?
    private var stopped = false
    private let lock = NIOLock()

    /// Opens the data file (if any) and prepares the endpoint; nothing listens until `start()`.
    public init(options: LocalEndpointOptions) throws {
        try options.validate()
        self.options = options
        let clock = ServerClock(offset: options.clockOffset)
        persistence = try options.dataFile.map { try SQLitePersistence(path: $0) }
        let service = try SyncService(
            clock: clock, persistence: persistence, sessionLifetime: options.syncSessionLifetime,
            bulkPublishDuration: options.bulkPublishDuration
        )
        core = EndpointCore(
            service: service, faults: FaultInjector(spec: options.faults, seed: options.seed), clock: clock,
            credentials: options.effectiveCredentials,
            rateLimiter: options.rateLimits.isEmpty ? nil : RateLimiter(limits: options.rateLimits)
        )
    }

    deinit {
        shutdown()
    }

    /// Starts listening and returns the base URL, such as `http://127.0.0.1:4566`. Calling it again returns the
    /// same URL; an endpoint that was shut down cannot be started again.
    public func start() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if stopped {
            throw ChannelError.ioOnClosedChannel
        }
        if let channel, let port = channel.localAddress?.port {
            return Self.url(host: options.host, port: port)
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        var pool: NIOThreadPool?
        if persistence != nil {
            let started = NIOThreadPool(numberOfThreads: 4)
            started.start()
            pool = started
        }
        let core = self.core
        let blockingPool = pool
        let budget = BodyBudget()
        let idleTimeout = TimeAmount.nanoseconds(Int64(options.idleTimeout * 1_000_000_000))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 512)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            // Out of file descriptors, accept fails until a connection closes; without a pause between attempts the
            // event loop would retry at full speed.
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptPauseHandler(pause: .milliseconds(200)))
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Reading stops while answers wait to be written (a client that sends requests but reads no
                    // answers holds at most a socket buffer's worth of them), and the pipelining handler passes on
                    // one request at a time. Parser errors are answered by the endpoint's own handler.
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandlers([BackPressureHandler(), IdleStateHandler(allTimeout: idleTimeout)])
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false)
                    try pipeline.addHandler(EndpointHTTPHandler(core: core, blockingPool: blockingPool, budget: budget))
                }
            }
        do {
            let bound = try bootstrap.bind(host: options.host, port: options.port).wait()
            self.group = group
            self.blockingPool = pool
            channel = bound
            return Self.url(host: options.host, port: bound.localAddress?.port ?? options.port)
        } catch {
            try? pool?.syncShutdownGracefully()
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// Stops listening, closes every connection, writes pending counters to the data file and closes it.
    /// Calling it again does nothing.
    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        if stopped {
            return
        }
        stopped = true
        try? channel?.close().wait()
        channel = nil
        // Writes still running on the pool finish (and are committed) before their event loops go away.
        try? blockingPool?.syncShutdownGracefully()
        blockingPool = nil
        try? group?.syncShutdownGracefully()
        group = nil
        core.service.flush()
        persistence?.close()
    }

    private static func url(host: String, port: Int) -> String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)"
    }
}
