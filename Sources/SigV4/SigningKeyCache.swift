import Foundation

/// The last derived signing key of a signer. The key depends only on the secret, the day, the region and the
/// service, so deriving it (four HMACs) once per day instead of once per request removes most of signing's
/// libcrypto work.
final class SigningKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var secret = ""
    private var day = ""
    private var key: [UInt8] = []

    func key(secret: String, day: String, derive: () -> [UInt8]) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if !key.isEmpty && self.day == day && self.secret == secret { return key }
        key = derive()
        self.secret = secret
        self.day = day
        return key
    }
}
