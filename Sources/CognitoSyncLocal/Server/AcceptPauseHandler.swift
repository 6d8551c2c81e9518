import NIOCore
import NIOPosix

/// Stops accepting for a moment when accept fails for lack of resources (out of file descriptors, most often).
///
/// NIO keeps such a listening socket registered for readability, and the pending connection keeps it readable, so
/// the event loop would retry accept at full speed until a descriptor frees up. Turning autoRead off unregisters
/// the socket; it is turned back on after `pause`, and the connections wait in the listen backlog meanwhile.
final class AcceptPauseHandler: ChannelInboundHandler {
    typealias InboundIn = Channel

    private let pause: TimeAmount
    private var paused = false

    init(pause: TimeAmount) {
        self.pause = pause
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let failure = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(failure.errnoCode) else {
            return context.fireErrorCaught(error)
        }
        guard !paused else {
            return
        }
        paused = true
        let channel = context.channel
        channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in
            channel.eventLoop.scheduleTask(in: self.pause) {
                self.paused = false
                channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            }
        }
    }
}
