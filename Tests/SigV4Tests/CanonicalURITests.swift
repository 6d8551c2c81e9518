import XCTest

@testable import SigV4

final class CanonicalURITests: XCTestCase {
    /// Double-encoded canonical URIs, on both sides of the single-pass shortcut for paths with nothing to normalise.
    func testDoubleEncodedPaths() {
        let cases: [(String, String)] = [
            ("/", "/"),
            ("/identitypools/us-east-1%3Aabc/identities", "/identitypools/us-east-1%253Aabc/identities"),
            ("/a/", "/a/"),
            ("/a/.b/c..d/...", "/a/.b/c..d/..."),
            ("/a/./b", "/a/b"),
            ("/a/../b", "/b"),
            ("/a//b", "/a/b"),
            ("/a/b/..", "/a"),
            ("/a/b/.", "/a/b"),
            ("/sp%20ace/~tilde", "/sp%2520ace/~tilde"),
        ]
        for (path, expected) in cases {
            XCTAssertEqual(CanonicalRequest.canonicalURI(path: path, doubleEncode: true, normalize: true), expected, path)
        }
    }
}
