import Synchronization

/// The last derived signing key of a signer. The key depends only on the secret, the day, the region and the
/// service, so deriving it (four HMACs) once per day instead of once per request removes most of signing's
/// libcrypto work.
final class SigningKeyCache: Sendable {
    private struct Entry {
        var secret = ""
        var day = ""
        var key: [UInt8] = []
    }

    private let entry = Mutex(Entry())

    func key(secret: String, day: String, derive: () -> [UInt8]) -> [UInt8] {
        entry.withLock { entry in
            if !entry.key.isEmpty && entry.day == day && entry.secret == secret { return entry.key }
            entry = Entry(secret: secret, day: day, key: derive())
            return entry.key
        }
    }
}
