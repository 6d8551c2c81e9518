import Glibc

/// A mutex with a condition to wait on, for state shared with credential lookups and other background threads.
/// (Foundation's `NSLock` and `NSCondition` would pull in the whole of Foundation, which every start pays for.)
final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() {
        pthread_mutex_lock(mutex)
    }

    func unlock() {
        pthread_mutex_unlock(mutex)
    }

    /// Releases the lock until `broadcast`, then holds it again; the caller holds it and rechecks what it waits for.
    func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Wakes every thread in `wait`; the caller holds the lock.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }
}
