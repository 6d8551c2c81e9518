import Foundation
import XCTest

@testable import CognitoSyncModel

/// The hand-compiled patterns answer as ICU (`NSRegularExpression`) answered for the same pattern with `\w`, `\d`
/// and `\s` rewritten to their ASCII classes and the whole string anchored, which is how the model's patterns were
/// matched before.
final class PatternMatcherTests: XCTestCase {
    private let idPattern = "[\\w-]+:[0-9a-f-]+"
    private let namePattern = "[a-zA-Z0-9_.:-]+"

    func testMatchesStayPerPattern() {
        let matcher = PatternMatcher()
        for _ in 0..<2 {
            XCTAssertTrue(matcher.matches("us-east-1:abc-123", pattern: idPattern))
            XCTAssertFalse(matcher.matches("us-east-1:ABC", pattern: idPattern))
            XCTAssertFalse(matcher.matches("has space", pattern: namePattern))
        }
        XCTAssertTrue(matcher.matches("us-east-1:abc-123", pattern: namePattern))
        XCTAssertFalse(matcher.matches("plain", pattern: idPattern))
        XCTAssertTrue(matcher.matches("plain", pattern: namePattern))
        XCTAssertFalse(matcher.matches("plain", pattern: idPattern))
    }

    func testClassesAreAsciiAndEscapesLiteral() {
        let matcher = PatternMatcher()
        XCTAssertFalse(matcher.matches("é", pattern: #"\w"#))
        XCTAssertFalse(matcher.matches("٣", pattern: #"\d"#))
        XCTAssertFalse(matcher.matches("\u{A0}", pattern: #"\s"#))
        XCTAssertTrue(matcher.matches("a.b\\w", pattern: #"a\.b\\w"#))
        XCTAssertFalse(matcher.matches("aXb\\w", pattern: #"a\.b\\w"#))
    }

    /// Syntax outside the supported part leaves the check to the service, as a pattern ICU could not compile did.
    func testUnsupportedSyntaxMatchesEverything() {
        for pattern in ["a{2}", "[[a]]", "^a$", "a+?", "\\bword", "(?i)a", "[]", "(a"] {
            XCTAssertNil(PatternMatcher().compiled(pattern), pattern)
            XCTAssertTrue(PatternMatcher().matches("anything", pattern: pattern), pattern)
        }
    }

    func testEveryPatternOfBothModelsMatchesAsICUDid() throws {
        let patterns = Set(ServiceModel.all.flatMap { service in
            service.shapes.values.compactMap { shape -> String? in
                guard case let .string(constraints) = shape.kind else { return nil }
                return constraints.pattern
            }
        })
        XCTAssertGreaterThan(patterns.count, 10)
        for pattern in patterns.sorted() {
            let compiled = try XCTUnwrap(PatternMatcher().compiled(pattern), pattern)
            let reference = try NSRegularExpression(pattern: "\\A(?:" + Self.asciiClasses(pattern) + ")\\z")
            var checked = 0
            // The standard library knows Unicode 17 and Foundation's ICU knows 16: the scalars assigned in 17 are
            // letters, marks and the like to one and unassigned to the other.
            for text in Self.samples(for: pattern)
            where !text.unicodeScalars.contains(where: { ($0.properties.age?.major ?? 0) > 16 }) {
                let expected = reference.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                if compiled.matches(text) != expected {
                    XCTFail("\(pattern) on \(text.unicodeScalars.map { String($0.value, radix: 16) }): ICU says \(expected)")
                    return
                }
                checked += 1
            }
            XCTAssertGreaterThan(checked, 60_000, pattern)
        }
    }

    /// Every scalar of the Basic Multilingual Plane alone and some above it; each alphabet scalar repeated (the
    /// `+` patterns); and random strings and random edits of valid examples, over scalars that sit on the edges
    /// of the classes.
    private static func samples(for pattern: String) -> [String] {
        var samples = [""]
        for value in stride(from: 0, through: 0x10FFFF, by: 1) where value < 0x1_0000 || value % 61 == 0 {
            if let scalar = Unicode.Scalar(value) { samples.append(String(Character(scalar))) }
        }
        let alphabet = Array(Set(pattern.unicodeScalars + edgeScalars.unicodeScalars))
        for scalar in alphabet {
            samples.append(String(String.UnicodeScalarView(repeatElement(scalar, count: 3))))
        }
        var random = SplitMix64(seed: UInt64(pattern.utf8.count))
        for _ in 0..<3_000 {
            let count = Int(random.next() % 14)
            samples.append(String(String.UnicodeScalarView((0..<count).map { _ in alphabet[random.next(below: alphabet.count)] })))
        }
        for example in validExamples {
            samples.append(example)
            for _ in 0..<400 {
                var scalars = Array(example.unicodeScalars)
                for _ in 0..<(1 + Int(random.next() % 2)) {
                    let position = random.next(below: scalars.count + 1)
                    switch random.next() % 3 {
                    case 0: scalars.insert(alphabet[random.next(below: alphabet.count)], at: position)
                    case 1 where position < scalars.count: scalars.remove(at: position)
                    default: if position < scalars.count { scalars[position] = alphabet[random.next(below: alphabet.count)] }
                    }
                }
                samples.append(String(String.UnicodeScalarView(scalars)))
            }
        }
        return samples
    }

    private static let edgeScalars = "aZz09_-:./;=+,@ AGz\t\n\r\u{0B}\u{0C}\u{85}\u{A0}\u{2028}\u{2029}\u{3000}\u{1680}"
        + "é٣ß😀\u{0301}\u{200B}\u{FEFF}\u{E000}$€^`|~\\\"'()[]{}#%&*!?<>"

    private static let validExamples = [
        "us-east-1:0123abcd-0000-4000-8000-00000000beef", "arn:aws:iam::123456789012:role/admin",
        "arn:aws:sns:us-east-1:123456789012:app/GCM/my-app", "authenticated", "unauthenticated", "1234",
        "login.provider.com", "a.b;c_d/e-f", "abc_DEF", "name+tag=1,x.y@z-w", "Dataset.Name:1", "token",
    ]

    /// The rewrite the patterns were given before ICU compiled them.
    private static func asciiClasses(_ pattern: String) -> String {
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
