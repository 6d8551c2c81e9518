/// The SigV4 canonical request, built the same way for signing and for verifying.
struct CanonicalRequest {
    let method: String
    let uri: String
    let query: String
    /// `name:value` lines, sorted by name.
    let headerLines: [String]
    /// Lower-case header names joined with `;`.
    let signedHeaders: String
    let payloadHash: String

    /// - Parameters:
    ///   - encodedQuery: name/value pairs already percent-encoded with the unreserved set.
    ///   - headers: the headers to sign, any case, repeated names allowed (their values join with `,` in order).
    init(
        method: String, uri: String, encodedQuery: [(String, String)], headers: [(String, String)],
        payloadHash: String
    ) {
        self.method = method.uppercased()
        self.uri = uri
        query = Self.canonicalQuery(encodedQuery)
        // Sorted by name, a repeated name keeping its values in order (the position breaks ties), then joined: a
        // handful of headers, where a dictionary of lists cost more than the sort.
        let canonical = headers.enumerated().map { (Self.canonicalHeaderName($1.0), $0, $1.1) }.sorted {
            $0.0 == $1.0 ? $0.1 < $1.1 : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8)
        }
        var lines: [String] = []
        var names: [String] = []
        lines.reserveCapacity(canonical.count)
        names.reserveCapacity(canonical.count)
        for (name, _, value) in canonical {
            let text = Self.canonicalHeaderValue(value)
            if names.last == name {
                lines[lines.count - 1] += "," + text
            } else {
                names.append(name)
                lines.append(name + ":" + text)
            }
        }
        headerLines = lines
        signedHeaders = names.joined(separator: ";")
        self.payloadHash = payloadHash
    }

    /// The text that is hashed into the string to sign.
    var text: String {
        var text = method + "\n" + uri + "\n" + query + "\n"
        for line in headerLines {
            text += line
            text += "\n"
        }
        return text + "\n" + signedHeaders + "\n" + payloadHash
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
        var segmentStart = true
        var dots = 0
        for byte in path.utf8.dropFirst() {
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
        // Most names are already lower-case ASCII without surrounding blanks: nothing to copy.
        let bytes = name.utf8
        if let first = bytes.first, let last = bytes.last, first != 0x20, first != 0x09, last != 0x20, last != 0x09,
           !bytes.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) }) {
            return name
        }
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
        var previousSpace = true
        for byte in value.utf8 {
            guard byte > 0x20 || byte == 0x20, byte < 0x7f else { return false }
            if byte == 0x20 && previousSpace { return false }
            previousSpace = byte == 0x20
        }
        return !previousSpace || value.isEmpty
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
