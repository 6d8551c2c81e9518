import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

final class ValidationTests: XCTestCase {
    private let pool = "us-east-1:0123abcd-0000-4000-8000-00000000beef"
    private let identity = "us-east-1:0123abcd-0000-4000-8000-00000000cafe"

    private func operation(_ name: String) throws -> CognitoSyncModel.Operation {
        try XCTUnwrap(ServiceModel.cognitoSync.operation(named: name))
    }

    private func listRecordsParams(_ extra: [(String, Value)] = []) -> Value {
        .map([("IdentityPoolId", .string(pool)), ("IdentityId", .string(identity)),
              ("DatasetName", .string("settings"))] + extra)
    }

    private func patch(_ entries: [(String, Value)]) -> Value {
        .map(entries)
    }

    private func updateParams(patches: Value, extra: [(String, Value)] = []) -> Value {
        .map([("IdentityPoolId", .string(pool)), ("IdentityId", .string(identity)), ("DatasetName", .string("d")),
              ("SyncSessionToken", .string("token")), ("RecordPatches", patches)] + extra)
    }

    private let goodPatch: Value = .map([("Op", .string("replace")), ("Key", .string("k")), ("SyncCount", .int(0))])

    private func assertRejects(
        _ operationName: String, _ params: Value, validation: ValidationOptions = .all, code: String, path: String,
        message: String? = nil, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let operation = try operation(operationName)
        XCTAssertThrowsError(try operation.prepare(params: params, validation: validation), file: file, line: line) {
            guard let error = $0 as? ValidationError else {
                return XCTFail("not a ValidationError: \($0)", file: file, line: line)
            }
            XCTAssertEqual(error.code, code, error.message, file: file, line: line)
            XCTAssertEqual(error.path, path, error.message, file: file, line: line)
            XCTAssertTrue(error.message.contains(path), "message does not name the path: \(error.message)",
                          file: file, line: line)
            if let message {
                XCTAssertTrue(error.message.contains(message), "\(error.message) lacks \(message)",
                              file: file, line: line)
            }
        }
    }

    // MARK: - Required and unexpected members

    func testMissingRequiredParameter() throws {
        try assertRejects("listRecords", .map([("IdentityPoolId", .string(pool)), ("IdentityId", .string(identity))]),
                          code: "MissingRequiredParameter", path: "params.DatasetName")
        try assertRejects("listRecords", .null, code: "MissingRequiredParameter", path: "params.DatasetName")
    }

    func testNullCountsAsMissing() throws {
        try assertRejects("listRecords", listRecordsParams([("DatasetName", .null)]).withoutFirst("DatasetName"),
                          code: "MissingRequiredParameter", path: "params.DatasetName")
    }

    func testMissingRequiredMemberInsideAList() throws {
        let second = patch([("Key", .string("k")), ("SyncCount", .int(1))])
        try assertRejects("updateRecords", updateParams(patches: .list([goodPatch, second])),
                          code: "MissingRequiredParameter", path: "params.RecordPatches[2].Op")
    }

    func testUnexpectedParameterWithSuggestion() throws {
        let params: Value = .map([("IdentityPoolId", .string(pool)), ("IdentityId", .string(identity)),
                                  ("DatasetNmae", .string("settings"))])
        try assertRejects("listRecords", params, code: "UnexpectedParameter", path: "params.DatasetNmae",
                          message: #"did you mean "DatasetName"?"#)
    }

    func testUnexpectedParameterDifferingOnlyByCase() throws {
        try assertRejects("listRecords", listRecordsParams([("maxresults", .int(5))]), code: "UnexpectedParameter",
                          path: "params.maxresults", message: #"did you mean "MaxResults"?"#)
    }

    func testUnexpectedParameterWithoutSuggestion() throws {
        let operation = try operation("listRecords")
        XCTAssertThrowsError(try operation.prepare(params: listRecordsParams([("Colour", .string("red"))]))) {
            let error = $0 as? ValidationError
            XCTAssertEqual(error?.code, "UnexpectedParameter")
            XCTAssertEqual(error?.path, "params.Colour")
            XCTAssertEqual(error?.message.contains("did you mean"), false)
        }
    }

    func testUnexpectedParameterNestedAndQuoted() throws {
        let bad = patch([("Op", .string("replace")), ("Key", .string("k")), ("SyncCount", .int(1)),
                         ("sync count", .int(1))])
        try assertRejects("updateRecords", updateParams(patches: .list([goodPatch, bad])),
                          code: "UnexpectedParameter", path: #"params.RecordPatches[2]["sync count"]"#)
    }

    func testUnexpectedIsReportedBeforeMissing() throws {
        let params: Value = .map([("IdentityPoolId", .string(pool)), ("IdentityID", .string(identity)),
                                  ("DatasetName", .string("d"))])
        try assertRejects("listRecords", params, code: "UnexpectedParameter", path: "params.IdentityID",
                          message: #"did you mean "IdentityId"?"#)
    }

    func testUnknownMemberSetToNullIsIgnored() throws {
        let prepared = try operation("listRecords").prepare(params: listRecordsParams([("Extra", .null)]))
        XCTAssertNil(prepared["Extra"])
    }

    func testSuggestionDistance() {
        XCTAssertEqual(NameSuggestion.editDistance("DatasetName", "DatasetNmae"), 2)
        XCTAssertEqual(NameSuggestion.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(NameSuggestion.closest(to: "DataSetName", among: ["DatasetName", "IdentityId"]),
                       "DatasetName")
        XCTAssertEqual(NameSuggestion.closest(to: "IdentityPoolID", among: ["IdentityId", "IdentityPoolId"]),
                       "IdentityPoolId")
        XCTAssertNil(NameSuggestion.closest(to: "Pool", among: ["IdentityPoolId"]))
    }

    // MARK: - Types

    func testInvalidParameterTypeNamesLuaTypes() throws {
        try assertRejects("listRecords", listRecordsParams([("MaxResults", .string("10"))]),
                          code: "InvalidParameterType", path: "params.MaxResults",
                          message: "to be an integer, got string")
        try assertRejects("listRecords", listRecordsParams([("LastSyncCount", .double(1.5))]),
                          code: "InvalidParameterType", path: "params.LastSyncCount",
                          message: "to be an integer, got float (1.5)")
        try assertRejects("listRecords", listRecordsParams([("NextToken", .int(3))]),
                          code: "InvalidParameterType", path: "params.NextToken",
                          message: "to be a string, got integer (3)")
        try assertRejects("listRecords", listRecordsParams([("NextToken", .bool(true))]),
                          code: "InvalidParameterType", path: "params.NextToken", message: "got boolean (true)")
        try assertRejects("listRecords", listRecordsParams([("NextToken", .map([("a", .int(1))]))]),
                          code: "InvalidParameterType", path: "params.NextToken",
                          message: "got a table with string keys")
    }

    func testStructureExpected() throws {
        try assertRejects("listRecords", .string("x"), code: "InvalidParameterType", path: "params",
                          message: "to be a table with string keys, got string")
        try assertRejects("updateRecords", updateParams(patches: .list([.list([.int(1)])])),
                          code: "InvalidParameterType", path: "params.RecordPatches[1]",
                          message: "got a sequence table")
    }

    func testListExpected() throws {
        try assertRejects("updateRecords", updateParams(patches: goodPatch), code: "InvalidParameterType",
                          path: "params.RecordPatches", message: "to be a list (a sequence table)")
    }

    func testNilInsideAList() throws {
        try assertRejects("updateRecords", updateParams(patches: .list([goodPatch, .null])),
                          code: "InvalidParameterType", path: "params.RecordPatches[2]", message: "got nil")
    }

    func testBooleanType() throws {
        let shape = Shape(name: "Flags", kind: .structure(
            members: [Member(name: "On", shape: Shape(name: "Boolean", kind: .boolean))], required: []))
        let validator = ParamValidator(options: .all)
        XCTAssertEqual(try validator.prepare(.map([("On", .bool(false))]), shape: shape, path: "params"),
                       .map([("On", .bool(false))]))
        XCTAssertThrowsError(try validator.prepare(.map([("On", .int(1))]), shape: shape, path: "params")) {
            XCTAssertEqual(($0 as? ValidationError)?.code, "InvalidParameterType")
            XCTAssertEqual(($0 as? ValidationError)?.path, "params.On")
        }
        let unchecked = ParamValidator(options: .none)
        XCTAssertEqual(try unchecked.prepare(.map([("On", .int(1))]), shape: shape, path: "params"),
                       .map([("On", .int(1))]))
    }

    func testMapValuesAndKeysArePathed() throws {
        let params: Value = .map([("IdentityPoolId", .string(pool)),
                                  ("Events", .map([("Sync\"Trigger", .int(5))]))])
        try assertRejects("setCognitoEvents", params, code: "InvalidParameterType",
                          path: #"params.Events["Sync\"Trigger"]"#, message: "to be a string, got integer (5)")
    }

    func testTimestampTypes() throws {
        func dated(_ date: Value) -> Value {
            updateParams(patches: .list([goodPatch.adding("DeviceLastModifiedDate", date)]))
        }
        let path = "params.RecordPatches[1].DeviceLastModifiedDate"
        try assertRejects("updateRecords", dated(.string("yesterday")), code: "InvalidParameterType", path: path,
                          message: #"got string "yesterday""#)
        try assertRejects("updateRecords", dated(.bool(true)), code: "InvalidParameterType", path: path)
        try assertRejects("updateRecords", dated(.double(.nan)), code: "InvalidParameterType", path: path,
                          message: "years 1 to 9999")
        try assertRejects("updateRecords", dated(.int(Timestamp.end)), code: "InvalidParameterType", path: path)
    }

    // MARK: - Lengths and ranges

    func testMinLengthErrorForStrings() throws {
        try assertRejects("listRecords", listRecordsParams().replacing("DatasetName", .string("")),
                          code: "MinLengthError", path: "params.DatasetName", message: "string length >= 1, got 0")
    }

    func testMaxLengthErrorCountsUnicodeScalars() throws {
        let operation = try operation("listRecords")
        let fits = String(repeating: "é", count: 128)
        let params = listRecordsParams().replacing("DatasetName", .string(fits))
        XCTAssertThrowsError(try operation.prepare(params: params)) {
            XCTAssertEqual(($0 as? ValidationError)?.code, "PatternMatchError", "128 scalars pass the length check")
        }
        try assertRejects("listRecords", listRecordsParams().replacing("DatasetName",
                                                                       .string(String(repeating: "a", count: 129))),
                          code: "MaxLengthError", path: "params.DatasetName", message: "string length <= 128, got 129")
        let device = String(repeating: "😀", count: 256)
        let register: Value = .map([("IdentityPoolId", .string(pool)), ("IdentityId", .string(identity)),
                                    ("DatasetName", .string("d")), ("DeviceId", .string(device))])
        XCTAssertNoThrow(try ServiceModel.cognitoSync.operation(named: "subscribeToDataset")!.prepare(params: register))
        try assertRejects("subscribeToDataset", register.replacing("DeviceId", .string(device + "x")),
                          code: "MaxLengthError", path: "params.DeviceId")
    }

    func testMaxLengthErrorForMaps() throws {
        let params: Value = .map([("IdentityPoolId", .string(pool)),
                                  ("Events", .map([("SyncTrigger", .string("a")), ("Other", .string("b"))]))])
        try assertRejects("setCognitoEvents", params, code: "MaxLengthError", path: "params.Events",
                          message: "map entry count <= 1, got 2")
    }

    func testListCountBounds() throws {
        let item = Shape(name: "Item", kind: .string(StringConstraints()))
        let shape = Shape(name: "Request", kind: .structure(
            members: [Member(name: "Items", shape: Shape(name: "Items", kind: .list(member: item, min: 1, max: 2)))],
            required: []))
        let validator = ParamValidator(options: .all)
        XCTAssertThrowsError(try validator.prepare(.map([("Items", .map([]))]), shape: shape, path: "params")) {
            let error = $0 as? ValidationError
            XCTAssertEqual(error?.code, "MinLengthError")
            XCTAssertEqual(error?.path, "params.Items")
            XCTAssertEqual(error?.message.contains("list length >= 1, got 0"), true)
        }
        let three: Value = .list([.string("a"), .string("b"), .string("c")])
        XCTAssertThrowsError(try validator.prepare(.map([("Items", three)]), shape: shape, path: "params")) {
            XCTAssertEqual(($0 as? ValidationError)?.code, "MaxLengthError")
        }
    }

    func testIntegerRanges() throws {
        let bounded = Shape(name: "Bounded", kind: .integer(min: 1, max: 60))
        let shape = Shape(name: "Request", kind: .structure(
            members: [Member(name: "MaxResults", shape: bounded, location: .querystring("maxResults"))],
            required: []))
        let validator = ParamValidator(options: .all)
        XCTAssertThrowsError(try validator.prepare(.map([("MaxResults", .int(0))]), shape: shape, path: "params")) {
            let error = $0 as? ValidationError
            XCTAssertEqual(error?.code, "MinRangeError")
            XCTAssertEqual(error?.path, "params.MaxResults")
            XCTAssertEqual(error?.message.contains("value >= 1, got 0"), true)
        }
        XCTAssertThrowsError(try validator.prepare(.map([("MaxResults", .int(61))]), shape: shape, path: "params")) {
            XCTAssertEqual(($0 as? ValidationError)?.code, "MaxRangeError")
        }
        let relaxed = ParamValidator(options: ValidationOptions(min: true))
        XCTAssertEqual(try relaxed.prepare(.map([("MaxResults", .int(61))]), shape: shape, path: "params"),
                       .map([("MaxResults", .int(61))]))
    }

    func testThirtyTwoBitIntegers() throws {
        try assertRejects("listRecords", listRecordsParams([("MaxResults", .int(1 << 31))]),
                          code: "MaxRangeError", path: "params.MaxResults", message: "32-bit")
        try assertRejects("listRecords", listRecordsParams([("MaxResults", .int(-(1 << 31) - 1))]),
                          code: "MinRangeError", path: "params.MaxResults")
        let prepared = try operation("listRecords").prepare(params: listRecordsParams([("LastSyncCount",
                                                                                       .int(Int64.max))]))
        XCTAssertEqual(prepared["LastSyncCount"], .int(Int64.max), "long members take all 64 bits")
    }

    // MARK: - Patterns and enumerations

    func testPatternMatchErrorMatchesTheWholeString() throws {
        for bad in ["no-colon", "xx us-east-1:abc", "us-east-1:abc\n", "us-east-1:ABC", "é:1", "us-east-1:12 "] {
            try assertRejects("listRecords", listRecordsParams().replacing("IdentityPoolId", .string(bad)),
                              code: "PatternMatchError", path: "params.IdentityPoolId", message: "[\\w-]+:[0-9a-f-]+")
        }
        XCTAssertNoThrow(try operation("listRecords").prepare(params: listRecordsParams()
            .replacing("IdentityPoolId", .string("eu_west-1:0a-f"))))
    }

    func testPatternInsideNestedStructure() throws {
        let params: Value = .map([("IdentityPoolId", .string(pool)),
                                  ("PushSync", .map([("ApplicationArns", .list([
                                      .string("arn:aws:sns:us-east-1:123456789012:app/GCM/my-app"),
                                      .string("arn:aws:sns:us-east-1:123456789012:app/gcm/my-app"),
                                  ]))]))])
        try assertRejects("setIdentityPoolConfiguration", params, code: "PatternMatchError",
                          path: "params.PushSync.ApplicationArns[2]")
    }

    func testEveryModelPatternCompiles() {
        for shape in ServiceModel.cognitoSync.shapes.values {
            if case .string(let constraints) = shape.kind, let pattern = constraints.pattern {
                XCTAssertNotNil(PatternMatcher.shared.compiled(pattern), shape.name)
            }
        }
    }

    func testEnumError() throws {
        let bad = patch([("Op", .string("replac")), ("Key", .string("k")), ("SyncCount", .int(1))])
        try assertRejects("updateRecords", updateParams(patches: .list([goodPatch, bad])), code: "EnumError",
                          path: "params.RecordPatches[2].Op", message: "replace|remove")
        try assertRejects("registerDevice",
                          .map([("IdentityPoolId", .string(pool)), ("IdentityId", .string(identity)),
                                ("Platform", .string("apns")), ("Token", .string("t"))]),
                          code: "EnumError", path: "params.Platform")
    }

    // MARK: - Location checks

    func testEmptyUriLabelWhenMinIsOff() throws {
        try assertRejects("listRecords", listRecordsParams().replacing("DatasetName", .string("")),
                          validation: ValidationOptions(), code: "UriParameterError",
                          path: "params.DatasetName")
    }

    func testMissingUriLabelWithValidationOff() throws {
        try assertRejects("listRecords", listRecordsParams().replacing("DatasetName", .null),
                          validation: .none, code: "UriParameterError", path: "params.DatasetName")
    }

    func testHeaderValueWithLineBreak() throws {
        try assertRejects("updateRecords",
                          updateParams(patches: .list([]), extra: [("ClientContext", .string("a\r\nX-Evil: 1"))]),
                          code: "InvalidHeaderValue", path: "params.ClientContext")
    }

    // MARK: - Options

    func testOptionsSelectConstraintChecks() throws {
        let operation = try operation("updateRecords")
        let odd = patch([("Op", .string("upsert")), ("Key", .string("")), ("SyncCount", .int(1))])
        let params = updateParams(patches: .list([odd])).replacing("IdentityPoolId", .string("not a pool id"))
        XCTAssertNoThrow(try operation.prepare(params: params, validation: ValidationOptions()))
        try assertRejects("updateRecords", params, validation: ValidationOptions(pattern: true),
                          code: "PatternMatchError", path: "params.IdentityPoolId")
        try assertRejects("updateRecords", params, validation: ValidationOptions(min: true),
                          code: "MinLengthError", path: "params.RecordPatches[1].Key")
        try assertRejects("updateRecords", params, validation: ValidationOptions(enum: true),
                          code: "EnumError", path: "params.RecordPatches[1].Op")
        try assertRejects("updateRecords", updateParams(patches: .list([odd])).withoutFirst("SyncSessionToken"),
                          validation: ValidationOptions(), code: "MissingRequiredParameter",
                          path: "params.SyncSessionToken")
    }

    func testNoneChecksNothingButStillNormalises() throws {
        let operation = try operation("updateRecords")
        let odd: Value = .map([("SyncCount", .double(3)), ("DeviceLastModifiedDate", .string("2026-11-27T01:02:03Z")),
                               ("Op", .string("nope"))])
        let params: Value = .map([("IdentityPoolId", .int(7)), ("IdentityId", .string(identity)),
                                  ("DatasetName", .string("d")), ("Bogus", .string("x")),
                                  ("RecordPatches", .list([odd]))])
        let prepared = try operation.prepare(params: params, validation: .none)
        XCTAssertEqual(prepared, .map([
            ("IdentityPoolId", .int(7)), ("IdentityId", .string(identity)), ("DatasetName", .string("d")),
            ("RecordPatches", .list([.map([("DeviceLastModifiedDate", .int(1_795_741_323)),
                                           ("Op", .string("nope")), ("SyncCount", .int(3))])])),
        ]))
    }

    // MARK: - Normalisation

    func testEmptyTableBecomesAnEmptyList() throws {
        let prepared = try operation("updateRecords").prepare(params: updateParams(patches: .map([])))
        XCTAssertEqual(prepared["RecordPatches"], .list([]))
        let config: Value = .map([("IdentityPoolId", .string(pool)),
                                  ("PushSync", .map([("ApplicationArns", .map([]))]))])
        let preparedConfig = try operation("setIdentityPoolConfiguration").prepare(params: config)
        XCTAssertEqual(preparedConfig["PushSync"]?["ApplicationArns"], .list([]))
    }

    func testEmptyTableIsAlsoAnEmptyMap() throws {
        let params: Value = .map([("IdentityPoolId", .string(pool)), ("Events", .map([]))])
        let prepared = try operation("setCognitoEvents").prepare(params: params)
        XCTAssertEqual(prepared["Events"], .map([]))
    }

    func testIntegralFloatsBecomeIntegers() throws {
        let prepared = try operation("listRecords").prepare(params: listRecordsParams([
            ("MaxResults", .double(10)), ("LastSyncCount", .double(9_007_199_254_740_992)),
        ]))
        XCTAssertEqual(prepared["MaxResults"], .int(10))
        XCTAssertEqual(prepared["LastSyncCount"], .int(9_007_199_254_740_992))
        try assertRejects("listRecords", listRecordsParams([("LastSyncCount", .double(0x1p63))]),
                          code: "InvalidParameterType", path: "params.LastSyncCount")
    }

    func testTimestampsBecomeEpochSeconds() throws {
        let cases: [(Value, Value)] = [
            (.string("2026-11-27T01:02:03Z"), .int(1_795_741_323)),
            (.string("2026-11-27T01:02:03.250+01:00"), .double(1_795_737_723.25)),
            (.string("2026-11-27T01:02:03.250+0100"), .double(1_795_737_723.25)),
            (.string("2026-11-27t01:02:03z"), .int(1_795_741_323)),
            (.string("2026-11-27 01:02:03"), .int(1_795_741_323)),
            (.string("2026-11-27T01:02:03-00:30"), .int(1_795_743_123)),
            (.string("2024-02-29"), .int(1_709_164_800)),
            (.string("1969-12-31T23:59:59.5Z"), .double(-0.5)),
            (.int(1_440_938_160), .int(1_440_938_160)),
            (.double(1_440_938_160.123), .double(1_440_938_160.123)),
        ]
        for (input, expected) in cases {
            let prepared = try operation("updateRecords").prepare(
                params: updateParams(patches: .list([goodPatch.adding("DeviceLastModifiedDate", input)])))
            XCTAssertEqual(prepared["RecordPatches"]?[0]?["DeviceLastModifiedDate"], expected, "\(input)")
        }
    }

    func testImpossibleDatesAreRejected() {
        for text in ["2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T01:60:00Z",
                     "2026-11-27T01:02:03+2400", "2026-11-27T01:02", "26-11-27", "2026-11-27T01:02:03.Z",
                     "2026-11-27T01:02:03Zjunk"] {
            XCTAssertNil(Timestamp.parseISO8601(text), text)
        }
        XCTAssertEqual(Timestamp.parseISO8601("0001-01-01T00:00:00Z"), .int(Timestamp.earliest))
        XCTAssertEqual(Timestamp.parseISO8601("9999-12-31T23:59:59Z"), .int(Timestamp.end - 1))
    }

    func testStructuresComeBackInModelOrderWithoutNulls() throws {
        let params: Value = .map([("SyncSessionToken", .string("s")), ("NextToken", .null),
                                  ("DatasetName", .string("d")), ("IdentityId", .string(identity)),
                                  ("IdentityPoolId", .string(pool)), ("LastSyncCount", .int((1 << 53) + 1))])
        let prepared = try operation("listRecords").prepare(params: params)
        guard case .map(let entries) = prepared else {
            return XCTFail("not a map")
        }
        XCTAssertEqual(entries.map(\.0), ["DatasetName", "IdentityId", "IdentityPoolId", "LastSyncCount",
                                          "SyncSessionToken"])
        XCTAssertEqual(prepared["LastSyncCount"], .int(9_007_199_254_740_993))
    }

    func testFirstProblemInMemberOrderIsReported() throws {
        let params: Value = .map([("IdentityPoolId", .string("bad")), ("IdentityId", .string("bad")),
                                  ("DatasetName", .string(""))])
        try assertRejects("listRecords", params, code: "MinLengthError", path: "params.DatasetName")
        try assertRejects("listRecords", params.replacing("DatasetName", .string("ok")), code: "PatternMatchError",
                          path: "params.IdentityId")
    }

    func testDescriptionIsOneLine() throws {
        let operation = try operation("listRecords")
        XCTAssertThrowsError(try operation.prepare(params: .map([]))) {
            let text = "\($0)"
            XCTAssertTrue(text.hasPrefix("MissingRequiredParameter: "), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }
}

private extension Value {
    func replacing(_ key: String, _ value: Value) -> Value {
        guard case .map(let entries) = self else {
            return self
        }
        return .map(entries.map { $0.0 == key ? (key, value) : $0 })
    }

    func adding(_ key: String, _ value: Value) -> Value {
        guard case .map(let entries) = self else {
            return self
        }
        return .map(entries + [(key, value)])
    }

    func withoutFirst(_ key: String) -> Value {
        guard case .map(let entries) = self, let index = entries.firstIndex(where: { $0.0 == key }) else {
            return self
        }
        var copy = entries
        copy.remove(at: index)
        return .map(copy)
    }
}
