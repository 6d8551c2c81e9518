/// Writes compact JSON (RFC 8259) straight into bytes: the client's request bodies (from a `Value`), the text of
/// `Value.description`, and the local endpoint's response bodies (from its generated response structs).
///
/// Integers are written exactly, from `Int64`; doubles in the shortest form that reads back to the same value;
/// non-ASCII text as UTF-8. Only `"`, `\` and control characters are escaped, the way botocore's serializer
/// escapes them (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`). A string that needs no escapes (nearly every one)
/// is copied in one go rather than byte by byte: a ListRecords page of a thousand records is the endpoint's
/// hottest path. JSON has no spelling for NaN or infinity, so a non-finite number is written as `null` and a
/// non-finite timestamp as `0`.
///
/// Members and elements are written in order through `object`, `array`, `key` and `member` (or, for a caller that
/// walks its own containers, `beginObject`/`endObject`, `beginArray`/`element`/`endArray`); the writer puts the commas
/// in. The methods are inlinable so the endpoint's writers, in another module, are specialised.
public struct JSONWriter {
    @usableFromInline var storage: [UInt8] = []
    /// One entry per open object or array: whether something has been written in it (so the next needs a comma).
    @usableFromInline var needsComma: [Bool] = []

    /// The JSON text written so far.
    @inlinable public var bytes: [UInt8] {
        storage
    }

    @inlinable public init(capacity: Int = 256) {
        storage.reserveCapacity(capacity)
    }

    /// The JSON text of `value`.
    public static func write(_ value: Value) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value)
        return writer.storage
    }

    /// Writes `{...}`, with `body` writing the members.
    @inlinable public mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    /// Writes `[...]` with one element per item.
    @inlinable public mutating func array<C: Collection>(_ items: C, _ element: (inout JSONWriter, C.Element) -> Void) {
        open(UInt8(ascii: "["))
        for item in items {
            separate()
            element(&self, item)
        }
        close(UInt8(ascii: "]"))
    }

    /// Writes the key of the next object member; the value follows.
    @inlinable public mutating func key(_ name: StaticString) {
        separate()
        storage.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { storage.append(contentsOf: $0) }
        storage.append(UInt8(ascii: "\""))
        storage.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    /// Writes the key of the next object member, a name known only at run time; the value follows.
    @inlinable public mutating func key(_ name: String) {
        separate()
        string(name)
        storage.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    /// Opens an object whose members the caller writes one by one, with `key` and a value each; `endObject` closes it.
    @inlinable public mutating func beginObject() {
        open(UInt8(ascii: "{"))
    }

    @inlinable public mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    /// Opens an array whose elements the caller writes one by one, each after `element`; `endArray` closes it.
    @inlinable public mutating func beginArray() {
        open(UInt8(ascii: "["))
    }

    /// Starts the next element of the open array; the element follows.
    @inlinable public mutating func element() {
        separate()
    }

    @inlinable public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    @inlinable public mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    @inlinable public mutating func member(_ name: StaticString, _ value: Int64) {
        key(name)
        integer(value)
    }

    @inlinable public mutating func member(_ name: StaticString, _ value: Int) {
        member(name, Int64(value))
    }

    @inlinable public mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        append(value ? "true" : "false")
    }

    /// Writes a timestamp as epoch seconds.
    @inlinable public mutating func member(_ name: StaticString, seconds value: Double) {
        key(name)
        append(value.isFinite ? value.description : "0")
    }

    @inlinable public mutating func member(_ name: StaticString, _ values: [String]) {
        key(name)
        array(values) { $0.string($1) }
    }

    /// Writes a map with its keys in ascending order.
    @inlinable public mutating func member(_ name: StaticString, _ map: [String: String]) {
        key(name)
        sortedObject(map) { $0.string($1) }
    }

    /// Writes a map of structures with its keys in ascending order.
    @inlinable public mutating func member<T: JSONWritable>(_ name: StaticString, _ map: [String: T]) {
        key(name)
        sortedObject(map) { $1.write(to: &$0) }
    }

    /// An object of the map's entries, keys in ascending order, each value written by `value`.
    @inlinable mutating func sortedObject<V>(_ map: [String: V], _ value: (inout JSONWriter, V) -> Void) {
        open(UInt8(ascii: "{"))
        for (mapKey, entry) in map.sorted(by: { $0.key < $1.key }) {
            key(mapKey)
            value(&self, entry)
        }
        close(UInt8(ascii: "}"))
    }

    /// Writes a JSON string, escaping quotes, backslashes and control characters.
    @inlinable public mutating func string(_ value: String) {
        Self.appendString(value, to: &storage)
        markWritten()
    }

    /// Writes a JSON string from its UTF-8 `bytes`, escaped as `string` escapes them.
    @inlinable public mutating func string(utf8 bytes: UnsafeRawBufferPointer) {
        Self.appendString(bytes.assumingMemoryBound(to: UInt8.self), to: &storage)
        markWritten()
    }

    /// Writes an integer.
    @inlinable public mutating func integer(_ value: Int64) {
        Self.appendInteger(value, to: &storage)
        markWritten()
    }

    /// Writes a `Value`: maps in their order, doubles as numbers (`null` when not finite).
    public mutating func value(_ value: Value) {
        Self.append(value, to: &storage)
        markWritten()
    }

    private static func append(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number):
            appendInteger(number, to: &out)
        case .double(let number):
            // Swift's description is the shortest round-tripping form, e.g. "0.1", "1e-07", "1.5e+300".
            out.append(contentsOf: (number.isFinite ? number.description : "null").utf8)
        case .string(let text):
            appendString(text, to: &out)
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 {
                    out.append(UInt8(ascii: ","))
                }
                append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .map(let entries):
            out.append(UInt8(ascii: "{"))
            for (index, entry) in entries.enumerated() {
                if index > 0 {
                    out.append(UInt8(ascii: ","))
                }
                appendString(entry.0, to: &out)
                out.append(UInt8(ascii: ":"))
                append(entry.1, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The decimal digits of `value`, written in place: making a `String` of each number cost several times more.
    @inlinable static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Int64's magnitude has at most 19 digits; they come out last first.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            repeat {
                digits[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)...]))
        }
    }

    /// Appends `text` as a JSON string: in one copy when nothing needs escaping, else byte by byte.
    @inlinable static func appendString(_ text: String, to out: inout [UInt8]) {
        // On the contiguous bytes of a native string: the generic walk over the view cost more than the copy.
        var text = text
        text.withUTF8 { appendString($0, to: &out) }
    }

    @inlinable static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if bytes.contains(where: needsEscape) {
            appendEscaped(bytes, to: &out)
        } else {
            out.append(contentsOf: bytes)
        }
        out.append(UInt8(ascii: "\""))
    }

    @inlinable static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    @usableFromInline static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""):
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"):
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default:
                out.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    @inlinable mutating func append(_ text: String) {
        storage.append(contentsOf: text.utf8)
        markWritten()
    }

    @inlinable mutating func open(_ bracket: UInt8) {
        storage.append(bracket)
        needsComma.append(false)
    }

    @inlinable mutating func close(_ bracket: UInt8) {
        needsComma.removeLast()
        storage.append(bracket)
        markWritten()
    }

    @inlinable mutating func separate() {
        if needsComma.last == true {
            storage.append(UInt8(ascii: ","))
        }
    }

    @inlinable mutating func markWritten() {
        if !needsComma.isEmpty {
            needsComma[needsComma.count - 1] = true
        }
    }
}

/// A value that writes itself as JSON: the local endpoint's response bodies.
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// The JSON text of this value.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }
}
