import Foundation

/// Matches strings against the model's patterns the way the service does: the whole string must match,
/// and `\w`, `\d`, `\s` mean their ASCII classes (Java's defaults) rather than ICU's Unicode ones.
/// Each pattern is compiled once and cached.
public final class PatternMatcher: @unchecked Sendable {
    /// The process-wide matcher and its cache.
    public static let shared = PatternMatcher()

    private let lock = NSLock()
    private var cache: [String: NSRegularExpression] = [:]
    /// Values that matched lately, per pattern. A batch sends the same pool and identity ids again and again,
    /// and an ICU match costs more than the rest of validating a request.
    private var recentMatches: [String: Set<String>] = [:]
    static let recentLimit = 4096

    /// Whether the whole of `text` matches `pattern`; a pattern that does not compile matches everything,
    /// leaving the check to the service.
    public func matches(_ text: String, pattern: String) -> Bool {
        lock.lock()
        let known = recentMatches[pattern]?.contains(text) ?? false
        lock.unlock()
        if known {
            return true
        }
        guard let regex = compiled(pattern) else {
            return true
        }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        let matched = regex.firstMatch(in: text, options: [], range: range) != nil
        if matched {
            lock.lock()
            if recentMatches[pattern, default: []].count >= Self.recentLimit {
                recentMatches[pattern] = []
            }
            recentMatches[pattern, default: []].insert(text)
            lock.unlock()
        }
        return matched
    }

    /// The anchored, compiled form of `pattern`, or `nil` if it is not a valid regular expression.
    func compiled(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let regex = cache[pattern] {
            return regex
        }
        guard let regex = try? NSRegularExpression(pattern: "\\A(?:" + Self.asciiClasses(pattern) + ")\\z") else {
            return nil
        }
        cache[pattern] = regex
        return regex
    }

    /// Rewrites `\w`, `\d` and `\s` as explicit ASCII classes, inside and outside bracket expressions.
    static func asciiClasses(_ pattern: String) -> String {
        let outside: [Character: String] = ["w": "[A-Za-z0-9_]", "d": "[0-9]", "s": "[ \\t\\n\\x0B\\f\\r]"]
        let inside: [Character: String] = ["w": "A-Za-z0-9_", "d": "0-9", "s": " \\t\\n\\x0B\\f\\r"]
        var result = ""
        var inClass = false
        var iterator = pattern.makeIterator()
        while let character = iterator.next() {
            if character == "\\" {
                guard let escaped = iterator.next() else {
                    result.append(character)
                    break
                }
                if let replacement = (inClass ? inside : outside)[escaped] {
                    result += replacement
                } else {
                    result.append(character)
                    result.append(escaped)
                }
                continue
            }
            if character == "[" && !inClass {
                inClass = true
            } else if character == "]" && inClass {
                inClass = false
            }
            result.append(character)
        }
        return result
    }
}
