/// Writes a response's JSON straight into bytes.
///
/// Responses are written by hand rather than through `JSONEncoder`: a ListRecords page of a thousand records
/// is the endpoint's hottest path, and the generic encoder spent most of the request's time building an
/// intermediate tree. The core's `JSONWriter` over a `Value` tree is not used either: it takes about twice as
/// long for a page of records, mostly in escaping strings byte by byte, where this writer copies a string that
/// needs no escapes in one go. Integers are written from `Int64`, so every digit survives.
struct JSONOutput {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes `{...}`, with `body` writing the members.
    mutating func object(_ body: (inout JSONOutput) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    /// Writes `[...]` with one element per item.
    mutating func array<C: Collection>(_ items: C, _ element: (inout JSONOutput, C.Element) -> Void) {
        open(UInt8(ascii: "["))
        for item in items {
            separate()
            element(&self, item)
        }
        close(UInt8(ascii: "]"))
    }

    /// Writes the key of the next object member; the value follows.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma[needsComma.count - 1] = false
    }

    mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        if let value {
            member(name, value)
        }
    }

    mutating func member(_ name: StaticString, _ value: Int64) {
        key(name)
        append(String(value))
    }

    mutating func member(_ name: StaticString, _ value: Int) {
        member(name, Int64(value))
    }

    mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        append(value ? "true" : "false")
    }

    /// Writes a timestamp as epoch seconds.
    mutating func member(_ name: StaticString, seconds value: Double?) {
        guard let value else {
            return
        }
        key(name)
        append(value.isFinite ? value.description : "0")
    }

    mutating func member(_ name: StaticString, _ values: [String]) {
        key(name)
        array(values) { $0.string($1) }
    }

    mutating func member(_ name: StaticString, _ map: [String: String]) {
        key(name)
        open(UInt8(ascii: "{"))
        for (mapKey, value) in map.sorted(by: { $0.key < $1.key }) {
            separate()
            string(mapKey)
            bytes.append(UInt8(ascii: ":"))
            needsComma[needsComma.count - 1] = false
            string(value)
        }
        close(UInt8(ascii: "}"))
    }

    /// Writes a JSON string, escaping quotes, backslashes and control characters.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            markWritten()
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"):
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0F)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        markWritten()
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        markWritten()
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        needsComma.removeLast()
        bytes.append(bracket)
        markWritten()
    }

    private mutating func separate() {
        if needsComma.last == true {
            bytes.append(UInt8(ascii: ","))
        }
    }

    private mutating func markWritten() {
        if !needsComma.isEmpty {
            needsComma[needsComma.count - 1] = true
        }
    }
}

/// A response shape that writes itself as JSON.
protocol JSONWritable {
    func write(to output: inout JSONOutput)
}

extension JSONWritable {
    /// The JSON text of this value.
    var jsonBytes: [UInt8] {
        var output = JSONOutput()
        write(to: &output)
        return output.bytes
    }
}
