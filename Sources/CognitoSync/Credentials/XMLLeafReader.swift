/// The leaf elements of a small XML document, each with the names of the elements around it and its text: all an
/// STS answer needs read. Written here rather than taken from Foundation's XML parser, which links libxml2 and ICU
/// into every run of the binary for the one response type that is XML (about 1.5 ms of each start-up).
///
/// Checks what a reader of element text must: tags nest and match, entities are the five predefined ones or
/// character references, nothing follows the root element. Declarations, comments and CDATA sections are read;
/// a DOCTYPE is refused (STS never sends one, and entity declarations are not expanded).
enum XMLLeafReader {
    struct Leaf {
        /// Element names from the root down to this element.
        let path: [String]
        let text: String
    }

    /// The leaves in document order; nil when the document is not well-formed.
    static func leaves(_ body: [UInt8]) -> [Leaf]? {
        var reader = Reader(bytes: body)
        return reader.read()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        var open: [String] = []
        /// Whether the innermost open element has child elements (then it is no leaf).
        var hasChildren: [Bool] = []
        /// The element's text so far, references replaced, and character data not yet decoded.
        var text: [UInt8] = []
        var pending: [UInt8] = []
        var leaves: [Leaf] = []
        var sawRoot = false

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func read() -> [Leaf]? {
            while index < bytes.count {
                if bytes[index] != UInt8(ascii: "<") {
                    guard !open.isEmpty || isSpace(bytes[index]) else { return nil }
                    pending.append(bytes[index])
                    index += 1
                    continue
                }
                guard flush(), markup() else { return nil }
            }
            return flush() && open.isEmpty && sawRoot ? leaves : nil
        }

        /// One piece of markup starting at `<`.
        mutating func markup() -> Bool {
            if starts(with: "<?") { return skip(past: "?>") }
            if starts(with: "<!--") { return skip(past: "-->") }
            if starts(with: "<![CDATA[") {
                guard !open.isEmpty else { return false }
                index += 9
                guard let end = find("]]>") else { return false }
                text.append(contentsOf: bytes[index..<end])
                index = end + 3
                return true
            }
            if starts(with: "<!") { return false }
            if starts(with: "</") {
                index += 2
                guard let name = name(), skipSpaces(), index < bytes.count, bytes[index] == UInt8(ascii: ">"),
                      open.last == name, let decoded = String(validating: text, as: UTF8.self) else { return false }
                index += 1
                if hasChildren.last == false { leaves.append(Leaf(path: open, text: decoded)) }
                open.removeLast()
                hasChildren.removeLast()
                text = []
                return true
            }
            index += 1
            guard let name = name(), !(open.isEmpty && sawRoot) else { return false }
            // Attributes are skipped, quoted values included.
            var quote: UInt8?
            while index < bytes.count {
                let byte = bytes[index]
                if let q = quote {
                    if byte == q { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    break
                } else if byte == UInt8(ascii: "<") {
                    return false
                }
                index += 1
            }
            guard index < bytes.count else { return false }
            let empty = bytes[index - 1] == UInt8(ascii: "/")
            index += 1
            if !hasChildren.isEmpty { hasChildren[hasChildren.count - 1] = true }
            sawRoot = true
            if empty {
                leaves.append(Leaf(path: open + [name], text: ""))
            } else {
                open.append(name)
                hasChildren.append(false)
            }
            text = []
            return true
        }

        mutating func name() -> String? {
            let start = index
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"),
                  bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "<") {
                index += 1
            }
            guard index > start else { return nil }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// Moves the character data read since the last markup into the text, references replaced; false for an
        /// unknown or unterminated reference.
        mutating func flush() -> Bool {
            defer { pending = [] }
            guard pending.contains(UInt8(ascii: "&")) else {
                text.append(contentsOf: pending)
                return true
            }
            guard let decoded = decode(pending) else { return false }
            text.append(contentsOf: decoded)
            return true
        }

        func decode(_ raw: [UInt8]) -> [UInt8]? {
            var out: [UInt8] = []
            var i = 0
            while i < raw.count {
                guard raw[i] == UInt8(ascii: "&") else {
                    out.append(raw[i])
                    i += 1
                    continue
                }
                guard let semicolon = raw[i...].firstIndex(of: UInt8(ascii: ";")) else { return nil }
                let entity = String(decoding: raw[(i + 1)..<semicolon], as: UTF8.self)
                switch entity {
                case "amp": out.append(UInt8(ascii: "&"))
                case "lt": out.append(UInt8(ascii: "<"))
                case "gt": out.append(UInt8(ascii: ">"))
                case "quot": out.append(UInt8(ascii: "\""))
                case "apos": out.append(UInt8(ascii: "'"))
                default:
                    let hex = entity.hasPrefix("#x") || entity.hasPrefix("#X")
                    guard entity.hasPrefix("#"),
                          let value = UInt32(entity.dropFirst(hex ? 2 : 1), radix: hex ? 16 : 10),
                          let scalar = Unicode.Scalar(value) else { return nil }
                    out.append(contentsOf: String(Character(scalar)).utf8)
                }
                i = semicolon + 1
            }
            return out
        }

        func starts(with prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: count)
            return (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }

        func find(_ marker: StaticString) -> Int? {
            let count = marker.utf8CodeUnitCount
            let expected = Array(UnsafeBufferPointer(start: marker.utf8Start, count: count))
            var i = index
            while i + count <= bytes.count {
                if Array(bytes[i..<(i + count)]) == expected { return i }
                i += 1
            }
            return nil
        }

        mutating func skip(past marker: StaticString) -> Bool {
            guard let end = find(marker) else { return false }
            index = end + marker.utf8CodeUnitCount
            return true
        }

        mutating func skipSpaces() -> Bool {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            return true
        }

        func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }
    }
}
