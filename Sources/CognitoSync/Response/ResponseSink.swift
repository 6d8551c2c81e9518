import CognitoSyncModel

/// Where `ResponseReader` puts what it reads: a stack machine that receives only values that fit the output shape.
///
/// Each value is pushed (a scalar at once; a container by `begin...`, filled, then `end`), then stored into the
/// container below it by `setMember`, `setElement` or `setEntry`. A structure member's value is announced by
/// `beginMember` before it is read, and dropped with `abandonMember` when it does not fit. A container that turns out
/// not to fit is dropped with `discard`. A structure member may be stored again (a repeated key: the last wins) or
/// cleared (a later `null`).
public protocol ResponseSink: AnyObject {
    /// Pushes an empty structure of `shape` (a structure shape); false when there is no room to build it.
    func beginStructure(_ shape: Shape) -> Bool
    /// Pushes an empty list; false when there is no room to build it.
    func beginList() -> Bool
    /// Pushes an empty map; false when there is no room to build it.
    func beginMap() -> Bool
    /// Finishes the container on top.
    func end()
    /// Drops the container on top.
    func discard()
    /// Pushes a string from valid UTF-8.
    func string(_ bytes: UnsafeBufferPointer<UInt8>)
    func integer(_ value: Int64)
    func number(_ value: Double)
    func boolean(_ value: Bool)
    /// Says that the value pushed next is member `index` (in model order) of the structure on top.
    func beginMember(_ index: Int)
    /// Forgets the member announced last, whose value was not pushed.
    func abandonMember()
    /// Stores the value on top as the member announced last, of the structure below it.
    func setMember(_ index: Int)
    /// Removes member `index` from the structure on top, if it was stored.
    func clearMember(_ index: Int)
    /// Stores the value on top as element `position` (from 1) of the list below it.
    func setElement(_ position: Int)
    /// Stores the value on top under `key` (valid UTF-8) in the map below it.
    func setEntry(_ key: UnsafeBufferPointer<UInt8>)
    /// Drops everything pushed since reading began: the body turned out not to be JSON.
    func reset()
}

/// Builds a `Value`: structures with their members in model order, lists without their `null`s.
public final class ValueSink: ResponseSink {
    private enum Node {
        case value(Value)
        /// The shape's members, and those stored so far by index.
        case structure([Member], [(Int, Value)])
        case list([Value])
        case map([(String, Value)])
    }

    private var stack: [Node] = []

    public init() {}

    /// The value read, once the reader has finished.
    public var value: Value {
        guard case let .value(value)? = stack.last else { return .null }
        return value
    }

    public func beginStructure(_ shape: Shape) -> Bool {
        guard case .structure(let members, _) = shape.kind else { return false }
        stack.append(.structure(members, []))
        return true
    }

    public func beginList() -> Bool {
        stack.append(.list([]))
        return true
    }

    public func beginMap() -> Bool {
        stack.append(.map([]))
        return true
    }

    public func end() {
        switch stack.removeLast() {
        case let .structure(members, stored):
            stack.append(.value(.map(stored.sorted { $0.0 < $1.0 }.map { (members[$0.0].name, $0.1) })))
        case let .list(items):
            stack.append(.value(.list(items)))
        case let .map(entries):
            stack.append(.value(.map(entries)))
        case let node:
            stack.append(node)
        }
    }

    public func discard() {
        stack.removeLast()
    }

    public func string(_ bytes: UnsafeBufferPointer<UInt8>) {
        stack.append(.value(.string(String(decoding: bytes, as: UTF8.self))))
    }

    public func integer(_ value: Int64) {
        stack.append(.value(.int(value)))
    }

    public func number(_ value: Double) {
        stack.append(.value(.double(value)))
    }

    public func boolean(_ value: Bool) {
        stack.append(.value(.bool(value)))
    }

    public func beginMember(_ index: Int) {}

    public func abandonMember() {}

    public func setMember(_ index: Int) {
        let item = popValue()
        guard case .structure(let members, var stored) = stack.removeLast() else { return }
        stored.removeAll { $0.0 == index }
        stored.append((index, item))
        stack.append(.structure(members, stored))
    }

    public func clearMember(_ index: Int) {
        guard case .structure(let members, var stored) = stack.removeLast() else { return }
        stored.removeAll { $0.0 == index }
        stack.append(.structure(members, stored))
    }

    public func setElement(_ position: Int) {
        let item = popValue()
        guard case var .list(items) = stack.removeLast() else { return }
        items.append(item)
        stack.append(.list(items))
    }

    public func setEntry(_ key: UnsafeBufferPointer<UInt8>) {
        let item = popValue()
        guard case var .map(entries) = stack.removeLast() else { return }
        entries.append((String(decoding: key, as: UTF8.self), item))
        stack.append(.map(entries))
    }

    public func reset() {
        stack.removeAll()
    }

    private func popValue() -> Value {
        guard case let .value(value) = stack.removeLast() else { return .null }
        return value
    }
}
