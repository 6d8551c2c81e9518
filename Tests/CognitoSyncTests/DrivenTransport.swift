import Foundation
@testable import CognitoSync

/// A transport driven by a thread of its own, for tests that ask credential sources for credentials outside an
/// engine (in the product the engine's loop drives the transport their requests go through).
final class DrivenTransport {
    static let shared = DrivenTransport()

    let inbox: TransportInbox

    private init() {
        let made = DispatchSemaphore(value: 0)
        let handle = Handle()
        // Created on its driving thread: the inbox refuses requests from the thread that drives it.
        Thread.detachNewThread {
            let transport = CurlTransport()
            handle.inbox = transport.inbox
            made.signal()
            while true { transport.perform(timeout: 1) }
        }
        made.wait()
        inbox = handle.inbox!
    }

    private final class Handle: @unchecked Sendable {
        var inbox: TransportInbox?
    }
}
