import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

/// The response reader goes from the body's bytes to the output in one pass; these are the cases where a pass in
/// body order could differ from reading a parsed document by the shape: repeated keys, several faults, faults
/// before a syntax error, and the checks it makes on fields it skips.
final class ResponseReaderTests: XCTestCase {
    private func read(_ name: String, _ body: String) throws -> Result<Value, ServiceError> {
        try XCTUnwrap(ServiceModel.cognitoSync.operation(named: name)).parseResponse(status: 200, headers: [],
                                                                          body: Array(body.utf8))
    }

    private func value(_ name: String, _ body: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> Value? {
        switch try read(name, body) {
        case .success(let value): return value
        case .failure(let error):
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    private func message(_ name: String, _ body: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> String? {
        switch try read(name, body) {
        case .success(let value):
            XCTFail("unexpected success \(value)", file: file, line: line)
            return nil
        case .failure(let error):
            XCTAssertEqual(error.code, "InvalidResponse", file: file, line: line)
            return error.message
        }
    }

    func testARepeatedKeyReadsItsLastValue() throws {
        XCTAssertEqual(try value("listRecords", #"{"Count": 1, "Count": 2}"#), .map([("Count", .int(2))]))
        XCTAssertEqual(try value("listRecords", #"{"Count": 1, "NextToken": "t", "Count": null}"#),
                       .map([("NextToken", .string("t"))]), "a later null removes the member")
        XCTAssertEqual(try value("listRecords", #"{"Count": "x", "Count": 3}"#), .map([("Count", .int(3))]),
                       "a value that did not fit is replaced")
        XCTAssertEqual(try value("listRecords", #"{"Records": [{"SyncCount": "x"}], "Records": []}"#),
                       .map([("Records", .list([]))]), "also one that failed deep inside")
        XCTAssertEqual(try message("listRecords", #"{"Count": 3, "Count": "x"}"#),
                       "response.Count: expected integer, got string")
        XCTAssertEqual(try value("getCognitoEvents", #"{"Events": {"a": "1", "a": "2"}}"#),
                       .map([("Events", .map([("a", .string("1")), ("a", .string("2"))]))]),
                       "a map keeps its entries as the body has them")
    }

    func testMembersAreGivenInModelOrderWhateverTheBodyOrder() throws {
        let value = try XCTUnwrap(try value("listRecords", #"{"SyncSessionToken": "s", "Count": 0, "Records": []}"#))
        guard case .map(let entries) = value else { return XCTFail("not a map") }
        XCTAssertEqual(entries.map(\.0), ["Count", "Records", "SyncSessionToken"])
    }

    func testTheFirstFaultInModelOrderIsReported() throws {
        XCTAssertEqual(try message("listRecords", #"{"Records": [{"SyncCount": "x"}], "Count": "y"}"#),
                       "response.Count: expected integer, got string")
        XCTAssertEqual(try message("listRecords", #"{"Records": [{"Value": 1, "Key": 2}]}"#),
                       "response.Records[1].Key: expected string, got integer")
        XCTAssertEqual(try message("listRecords", #"{"Records": [{"Key": "a"}, {"Key": 1}, {"Key": 2}]}"#),
                       "response.Records[2].Key: expected string, got integer", "the first element in the body")
    }

    func testNullElementsAreLeftOutButCounted() throws {
        XCTAssertEqual(try value("listRecords", #"{"Records": [null, {"Key": "a"}, null]}"#),
                       .map([("Records", .list([.map([("Key", .string("a"))])]))]))
        XCTAssertEqual(try message("listRecords", #"{"Records": [null, {"Key": "a"}, null, {"Key": 1}]}"#),
                       "response.Records[4].Key: expected string, got integer")
    }

    func testABodyThatIsNotJSONFailsAsSuchEvenAfterAFault() throws {
        let text = try XCTUnwrap(try message("listRecords", #"{"Count": "x", "Records": [1,]}"#))
        XCTAssertTrue(text.hasPrefix("response body is not valid JSON: invalid JSON at byte 29"), text)
        let trailing = try XCTUnwrap(try message("listRecords", #"{"Count": "x"} {}"#))
        XCTAssertTrue(trailing.hasSuffix("unexpected data after the JSON value"), trailing)
        let skipped = try XCTUnwrap(try message("listRecords", "{\"Unknown\": \"\u{1}\"}"))
        XCTAssertTrue(skipped.contains("control character"), "fields that are dropped are still checked: \(skipped)")
    }

    func testSkippedFieldsNestNoDeeperThanTheParserAllows() throws {
        let depth = JSONParser.maximumDepth - 1
        let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        XCTAssertEqual(try value("listRecords", #"{"Unknown": \#(deep)}"#), .map([]), "512 levels with the object")
        let text = try XCTUnwrap(try message("listRecords", #"{"Unknown": [\#(deep)]}"#))
        XCTAssertTrue(text.contains("nesting deeper than 512 levels"), text)
    }

    func testKeysMatchMemberNamesAsSwiftStringsCompare() throws {
        // U+212A KELVIN SIGN is canonically equivalent to K, so it names the member Key.
        XCTAssertEqual(try value("listRecords", #"{"Records": [{"\u212Aey": "k", "Valu\u0065": "v"}]}"#),
                       .map([("Records", .list([.map([("Key", .string("k")), ("Value", .string("v"))])]))]))
    }

    func testScalarsOfEveryKindAndWrongKindsOfContainer() throws {
        XCTAssertEqual(try value("describeDataset", #"""
            {"Dataset": {"CreationDate": 5.0, "LastModifiedDate": "2026-11-27T01:02:03Z", "NumRecords": 2e0,
                         "DataStorage": -7, "DatasetName": "a\"b"}}
            """#), .map([("Dataset", .map([
                ("CreationDate", .double(5)), ("DataStorage", .int(-7)), ("DatasetName", .string("a\"b")),
                ("LastModifiedDate", .int(1_795_741_323)), ("NumRecords", .int(2)),
            ]))]))
        XCTAssertEqual(try message("describeDataset", #"{"Dataset": [{"a": [1, {"b": null}]}]}"#),
                       "response.Dataset: expected object, got array")
        XCTAssertEqual(try message("describeDataset", #"{"Dataset": {"DatasetName": 1.5}}"#),
                       "response.Dataset.DatasetName: expected string, got number 1.5")
        XCTAssertEqual(try message("getCognitoEvents", #"{"Events": {"a": "1", "b": true, "c": 2}}"#),
                       #"response.Events["b"]: expected string, got boolean"#)
        XCTAssertEqual(try message("listRecords", "null"), "response: expected object, got null")
    }
}

/// A sink with room for `levels` nested containers that records what it is asked to do.
private final class CrampedSink: ResponseSink {
    let levels: Int
    var depth = 0
    var calls: [String] = []

    init(levels: Int) {
        self.levels = levels
    }
    private let inner = ValueSink()

    /// The member names of each open container (none for a list or map).
    private var names: [[String]] = []

    func beginStructure(_ shape: Shape) -> Bool {
        guard case .structure(let members, _) = shape.kind else { return false }
        return begin(members.map(\.name)) { inner.beginStructure(shape) }
    }
    func beginList() -> Bool { begin([]) { inner.beginList() } }
    func beginMap() -> Bool { begin([]) { inner.beginMap() } }

    private func begin(_ memberNames: [String], _ body: () -> Bool) -> Bool {
        guard depth < levels else {
            calls.append("refused")
            return false
        }
        depth += 1
        names.append(memberNames)
        return body()
    }

    func end() {
        depth -= 1
        names.removeLast()
        inner.end()
    }

    func discard() {
        depth -= 1
        names.removeLast()
        calls.append("discard")
        inner.discard()
    }

    func string(_ bytes: UnsafeBufferPointer<UInt8>) { inner.string(bytes) }
    func integer(_ value: Int64) { inner.integer(value) }
    func number(_ value: Double) { inner.number(value) }
    func boolean(_ value: Bool) { inner.boolean(value) }

    func beginMember(_ index: Int) { inner.beginMember(index) }
    func abandonMember() { inner.abandonMember() }

    func setMember(_ index: Int) {
        calls.append("set \(names[names.count - 1][index])")
        inner.setMember(index)
    }

    func clearMember(_ index: Int) {
        calls.append("clear \(names[names.count - 1][index])")
        inner.clearMember(index)
    }

    func setElement(_ position: Int) { inner.setElement(position) }
    func setEntry(_ key: UnsafeBufferPointer<UInt8>) { inner.setEntry(key) }
    func reset() { inner.reset() }
}

final class ResponseReaderRoomTests: XCTestCase {
    /// A structure of 70 string members, inside a structure member `Inner`: members past the 64th are cleared by
    /// name whenever a null names them, since only the first 64 are tracked.
    private let operation: CognitoSyncModel.Operation = {
        let string = Shape(name: "String", kind: .string(StringConstraints()))
        let inner = Shape(name: "Inner", kind: .structure(
            members: (0..<70).map { Member(name: "M\($0)", shape: string) }, required: []))
        let outer = Shape(name: "Outer", kind: .structure(members: [Member(name: "Inner", shape: inner)], required: []))
        return CognitoSyncModel.Operation(name: "Get", luaName: "get", method: "GET", uriTemplate: "/", input: nil,
                                          output: outer, errors: [])
    }()

    func testMembersPastTheSixtyFourthAreClearedWhenANullNamesThem() throws {
        let sink = CrampedSink(levels: 2)
        let body = #"{"Inner": {"M69": "a", "M69": null, "M1": null, "M2": "b"}}"#
        guard case .success = operation.readResponse(status: 200, headers: [], body: Array(body.utf8), into: sink)
        else { return XCTFail("failed") }
        XCTAssertEqual(sink.calls, ["set M69", "clear M69", "set M2", "set Inner"])
    }

    func testAStructureWithoutRoomIsNeverWrittenTo() throws {
        let sink = CrampedSink(levels: 1)
        let body = #"{"Inner": {"M69": "a", "M69": null, "M1": null}}"#
        guard case let .failure(error) = operation.readResponse(status: 200, headers: [], body: Array(body.utf8),
                                                                into: sink)
        else { return XCTFail("succeeded") }
        XCTAssertEqual(error.code, "InvalidResponse")
        XCTAssertEqual(sink.calls, ["refused", "discard"], "nothing is set or cleared in a structure never begun")
    }
}
