/// An AWS shared config or credentials file, parsed the way botocore parses it (Python's `RawConfigParser` plus
/// one level of sub-sections).
///
/// - `#` and `;` start full-line comments; there are no inline comments (`a = b # c` has the value `b # c`).
/// - `key = value` or `key: value`; keys are case-insensitive (stored lower-case), values are trimmed.
/// - A line indented deeper than its key continues that key's value. A key whose value is empty and continues on
///   indented `name = value` lines is a sub-section (`services` sections use this).
/// - A section or key that appears twice is merged, the later value winning.
struct INIFile: Equatable {
    /// A key's value: plain text, or a sub-section of indented `name = value` lines.
    enum Value: Equatable {
        case text(String)
        case subsection([String: String])

        /// The text, or `nil` for a sub-section.
        var text: String? {
            if case .text(let value) = self { return value }
            return nil
        }
    }

    /// Section names in the order they first appear.
    private(set) var sectionNames: [String] = []
    /// The keys of each section, by section name (as written between the brackets, trimmed).
    private(set) var sections: [String: [String: Value]] = [:]

    /// Why a file could not be parsed; `line` is 1-based. The text of the line is left out: it may hold a secret.
    struct ParseError: Error, Equatable {
        let line: Int
        let reason: String
    }

    /// Parses the text of a file.
    static func parse(_ text: String) throws -> INIFile {
        var file = INIFile()
        var section: String?
        var pending: (key: String, indent: Int, lines: [(number: Int, text: String)])?

        func finishPending() throws {
            guard let current = pending, let name = section else {
                return
            }
            pending = nil
            file.sections[name, default: [:]][current.key] = try value(of: current.lines)
        }

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if let current = pending, indent > current.indent {
                pending?.lines.append((index + 1, String(trimmed)))
                continue
            }
            try finishPending()
            if trimmed.hasPrefix("["), let close = trimmed.lastIndex(of: "]") {
                let name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingWhitespace())
                if file.sections[name] == nil {
                    file.sectionNames.append(name)
                    file.sections[name] = [:]
                }
                section = name
                continue
            }
            guard section != nil else {
                throw ParseError(line: index + 1, reason: "a setting appears before any [section] header")
            }
            guard let delimiter = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ParseError(line: index + 1, reason: "expected 'name = value'")
            }
            let key = trimmed[..<delimiter].trimmingWhitespace().lowercased()
            let first = trimmed[trimmed.index(after: delimiter)...].trimmingWhitespace()
            pending = (key, indent, [(index + 1, String(first))])
        }
        try finishPending()
        return file
    }

    /// A key's value: continuation lines join with newlines; an empty first line makes a sub-section.
    private static func value(of lines: [(number: Int, text: String)]) throws -> Value {
        guard lines.count > 1, lines[0].text.isEmpty else {
            return .text(lines.map(\.text).joined(separator: "\n"))
        }
        var entries = [String: String]()
        for (number, line) in lines.dropFirst() {
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: number, reason: "expected 'name = value' in an indented sub-section")
            }
            entries[String(line[..<equals].trimmingWhitespace())] =
                String(line[line.index(after: equals)...].trimmingWhitespace())
        }
        return .subsection(entries)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line ends.
    fileprivate func trimmingWhitespace() -> SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[start...end]
    }
}
