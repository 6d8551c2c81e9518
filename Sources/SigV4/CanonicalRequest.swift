/// The SigV4 canonical request, built the same way for signing and for verifying.
///
/// It is built as bytes: it is only ever hashed (or shown), and assembling it from strings cost more than hashing it.
struct CanonicalRequest {
    /// What is hashed into the string to sign.
    let bytes: [UInt8]
    /// Lower-case header names joined with `;`.
    let signedHeaders: String

    /// - Parameters:
    ///   - encodedQuery: name/value pairs already percent-encoded with the unreserved set.
    ///   - headers: the headers to sign, any case, repeated names allowed (their values join with `,` in order).
    init(
        method: String, uri: String, encodedQuery: [(String, String)], headers: [(String, String)],
        payloadHash: String
    ) {
        // Sorted by name, a repeated name keeping its values in order (the position breaks ties): a handful of
        // headers, where a dictionary of lists cost more than the sort.
        let canonical = headers.enumerated().map { (Self.canonicalHeaderName($1.0), $0, $1.1) }.sorted {
            $0.0 == $1.0 ? $0.1 < $1.1 : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8)
        }
        let newline = UInt8(ascii: "\n")
        var out = [UInt8]()
        out.reserveCapacity(uri.utf8.count + payloadHash.utf8.count + 64
            + canonical.reduce(0) { $0 + 2 * $1.0.utf8.count + $1.2.utf8.count + 3 })
        out.append(contentsOf: method.uppercased().utf8)
        out.append(newline)
        out.append(contentsOf: uri.utf8)
        out.append(newline)
        if !encodedQuery.isEmpty { out.append(contentsOf: Self.canonicalQuery(encodedQuery).utf8) }
        out.append(newline)
        var names = [UInt8]()
        var previous: String?
        for (name, _, value) in canonical {
            if name == previous {
                out.append(UInt8(ascii: ","))
            } else {
                if previous != nil {
                    out.append(newline)
                    names.append(UInt8(ascii: ";"))
                }
                out.append(contentsOf: name.utf8)
                out.append(UInt8(ascii: ":"))
                names.append(contentsOf: name.utf8)
                previous = name
            }
            out.append(contentsOf: Self.canonicalHeaderValue(value).utf8)
        }
        if previous != nil { out.append(newline) }
        out.append(newline)
        out.append(contentsOf: names)
        out.append(newline)
        out.append(contentsOf: payloadHash.utf8)
        bytes = out
        signedHeaders = String(decoding: names, as: UTF8.self)
    }

    /// The canonical request as text.
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The canonical URI of `path`.
    ///
    /// With `doubleEncode`, `path` is the wire path and every segment is percent-encoded again (`%3A` becomes
    /// `%253A`). Without it, each segment is decoded and encoded once, so a path given decoded or encoded gives the
    /// same single-encoded result. With `normalize`, `.` and `..` segments and empty segments are removed first,
    /// keeping a trailing slash.
    static func canonicalURI(path: String, doubleEncode: Bool, normalize: Bool) -> String {
        if path.isEmpty {
            return "/"
        }
        if doubleEncode && path.hasPrefix("/") && !hasDotOrEmptySegment(path) {
            // The usual path (labels already encoded once, nothing to normalise): one pass over the bytes.
            return PercentEncoding.encode(path, keepingSlash: true)
        }
        let encodeSegment: (Substring) -> String = { segment in
            doubleEncode
                ? PercentEncoding.encode(String(segment))
                : PercentEncoding.encode(bytes: PercentEncoding.decodeBytes(String(segment)))
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard normalize else {
            return segments.map(encodeSegment).joined(separator: "/")
        }
        var kept = [Substring]()
        for segment in segments where !segment.isEmpty && segment != "." {
            if segment == ".." {
                _ = kept.popLast()
            } else {
                kept.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !kept.isEmpty ? "/" : ""
        return leading + kept.map(encodeSegment).joined(separator: "/") + trailing
    }

    /// True when some segment after the leading slash is empty, `.` or `..` (so normalising changes the path).
    private static func hasDotOrEmptySegment(_ path: String) -> Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var segmentStart = true
            var dots = 0
            for byte in bytes.dropFirst() {
                if byte == UInt8(ascii: "/") {
                    if segmentStart || dots > 0 { return true }
                    segmentStart = true
                } else if byte == UInt8(ascii: ".") && (segmentStart || dots > 0) {
                    dots += 1
                    if dots > 2 { dots = 0 }
                    segmentStart = false
                } else {
                    segmentStart = false
                    dots = 0
                }
            }
            return dots > 0
        }
        var path = path
        return path.withUTF8(scan)
    }

    /// Sorted by encoded name, then encoded value, and joined as `name=value&...`.
    static func canonicalQuery(_ encodedPairs: [(String, String)]) -> String {
        encodedPairs
            .sorted { left, right in
                left.0 == right.0
                    ? left.1.utf8.lexicographicallyPrecedes(right.1.utf8)
                    : left.0.utf8.lexicographicallyPrecedes(right.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    static func canonicalHeaderName(_ name: String) -> String {
        // Most names are ASCII without surrounding blanks: lower-cased on their bytes, or not copied at all when they
        // are lower-case already.
        let fast = name.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, first != 0x09, last != 0x20,
                  last != 0x09 else { return nil }
            var upper = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte &- 0x41 < 26 { upper = true }
            }
            guard upper else { return name }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for (index, byte) in bytes.enumerated() { out[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte }
                return bytes.count
            }
        }
        if let fast, let lowered = fast { return lowered }
        return name.trimmingWhitespaces().lowercased()
    }

    /// Trims the value and collapses each inner run of whitespace (line folds included) into one space.
    static func canonicalHeaderValue(_ value: String) -> String {
        // Most values are printable ASCII with single spaces inside: nothing to fold, and the Unicode
        // property lookups below would dominate signing.
        if Self.isFolded(value) { return value }
        var words = [Substring]()
        var current = value.unicodeScalars.startIndex
        let scalars = value.unicodeScalars
        while current < scalars.endIndex {
            while current < scalars.endIndex, isWhitespace(scalars[current]) {
                current = scalars.index(after: current)
            }
            let start = current
            while current < scalars.endIndex, !isWhitespace(scalars[current]) {
                current = scalars.index(after: current)
            }
            if start < current {
                words.append(Substring(scalars[start..<current]))
            }
        }
        return words.joined(separator: " ")
    }

    /// True when `value` is printable ASCII without leading, trailing or doubled spaces.
    private static func isFolded(_ value: String) -> Bool {
        func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var previousSpace = true
            for byte in bytes {
                guard byte >= 0x20, byte < 0x7f else { return false }
                if byte == 0x20 && previousSpace { return false }
                previousSpace = byte == 0x20
            }
            return !previousSpace || bytes.isEmpty
        }
        var value = value
        return value.withUTF8(check)
    }

    // The same set as Python's str.split(), which is what botocore uses.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1c...0x1f).contains(scalar.value)
    }
}

extension String {
    fileprivate func trimmingWhitespaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" {
            scalars = scalars.dropFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" {
            scalars = scalars.dropLast()
        }
        return String(scalars)
    }
}
