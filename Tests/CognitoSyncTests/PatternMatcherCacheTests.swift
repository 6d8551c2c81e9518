import XCTest

@testable import CognitoSync
@testable import CognitoSyncModel

final class PatternMatcherCacheTests: XCTestCase {
    private let idPattern = "[\\w-]+:[0-9a-f-]+"
    private let namePattern = "[a-zA-Z0-9_.:-]+"

    /// Remembered matches answer the same as the regular expression, per pattern, and failures are never
    /// remembered.
    func testRememberedMatchesStayPerPattern() {
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

    func testTheMemoryIsBounded() {
        let matcher = PatternMatcher()
        for i in 0..<(PatternMatcher.recentLimit + 10) {
            XCTAssertTrue(matcher.matches("us-east-1:\(String(i, radix: 16))", pattern: idPattern))
        }
        XCTAssertTrue(matcher.matches("us-east-1:0", pattern: idPattern))
        XCTAssertFalse(matcher.matches("us-east-1:g", pattern: idPattern))
    }
}
