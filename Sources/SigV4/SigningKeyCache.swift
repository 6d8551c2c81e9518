import Synchronization

/// The last derived signing key of a signer, and its credential scope. Both depend only on the secret, the day, the
/// region and the service, so deriving the key (four HMACs) and writing the scope once per day instead of once per
/// request removes most of signing's libcrypto work and two strings per request.
final class SigningKeyCache: Sendable {
    private struct Entry {
        var secret = ""
        var day = ""
        var scope = ""
        var key: [UInt8] = []
    }

    private let entry = Mutex(Entry())

    /// The scope and signing key for the day that `amzDate` (an `X-Amz-Date` value) starts with; `derive` makes them
    /// from the day when the cache holds another day or secret.
    func signing(secret: String, amzDate: String, derive: (_ day: String) -> (scope: String, key: [UInt8]))
        -> (scope: String, key: [UInt8]) {
        entry.withLock { entry in
            if !entry.key.isEmpty && entry.day.utf8.elementsEqual(amzDate.utf8.prefix(8)) && entry.secret == secret {
                return (entry.scope, entry.key)
            }
            let day = String(amzDate.prefix(8))
            let (scope, key) = derive(day)
            entry = Entry(secret: secret, day: day, scope: scope, key: key)
            return (scope, key)
        }
    }
}
