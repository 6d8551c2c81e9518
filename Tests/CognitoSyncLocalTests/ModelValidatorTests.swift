import CognitoSyncModel
@testable import CognitoSyncLocal
import XCTest

final class ModelValidatorTests: XCTestCase {
    private typealias EndpointError = CognitoSyncLocal.ServiceError

    private let pool = "us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    private let identity = "us-east-1:11111111-2222-3333-4444-555555555555"

    private func inputShape(_ operation: String) throws -> Shape {
        try XCTUnwrap(ServiceModel.cognitoSync.operation(named: operation)?.input, operation)
    }

    private func validate(
        _ shape: Shape, labels: [String: String] = [:], query: [String: String] = [:],
        headers: [(String, String)] = [], body: String = ""
    ) throws -> Value {
        try ModelValidator.input(
            for: shape, labels: labels, query: query, headers: headers, body: Array(body.utf8),
            minimums: SyncService.inputMinimums
        )
    }

    /// The error the validator throws for the input; fails the test when it accepts it.
    private func rejection(
        _ shape: Shape, labels: [String: String] = [:], query: [String: String] = [:], body: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) -> EndpointError? {
        do {
            let input = try validate(shape, labels: labels, query: query, body: body)
            XCTFail("accepted as \(input)", file: file, line: line)
        } catch let error as EndpointError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    /// The InvalidParameterException message for the input.
    private func violations(
        _ shape: Shape, labels: [String: String] = [:], query: [String: String] = [:], body: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) -> String? {
        let error = rejection(shape, labels: labels, query: query, body: body, file: file, line: line)
        XCTAssertEqual(error?.code, "InvalidParameterException", file: file, line: line)
        XCTAssertEqual(error?.status, 400, file: file, line: line)
        return error?.message
    }

    private func datasetLabels(_ dataset: String = "settings") -> [String: String] {
        ["IdentityPoolId": pool, "IdentityId": identity, "DatasetName": dataset]
    }

    func testPatternFromTheModelOverTheWholeValue() throws {
        let shape = try inputShape("DescribeIdentityPoolUsage")
        XCTAssertEqual(
            violations(shape, labels: ["IdentityPoolId": "no-colon"]),
            "1 validation error detected: Value 'no-colon' at 'identityPoolId' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"
        )
        XCTAssertNotNil(violations(shape, labels: ["IdentityPoolId": pool + " trailing"]))
        XCTAssertEqual(try validate(shape, labels: ["IdentityPoolId": pool])["IdentityPoolId"], .string(pool))
    }

    func testWordClassIsASCIIAsInJava() throws {
        let shape = try inputShape("DescribeIdentityPoolUsage")
        let message = violations(shape, labels: ["IdentityPoolId": "us-éast-1:abc"])
        XCTAssertEqual(message?.hasPrefix("1 validation error detected: Value 'us-éast-1:abc'"), true, message ?? "")
        XCTAssertNoThrow(try validate(shape, labels: ["IdentityPoolId": "us_east-1:abc-123"]))
    }

    func testLengthsFromTheModelCountUTF16CodeUnits() throws {
        let shape = try inputShape("SetIdentityPoolConfiguration")
        let fits = String(repeating: "😀", count: 64)
        XCTAssertNoThrow(
            try validate(
                shape, labels: ["IdentityPoolId": pool], body: #"{"CognitoStreams": {"StreamName": "\#(fits)"}}"#)
        )
        let tooLong = String(repeating: "😀", count: 65)
        XCTAssertEqual(
            violations(
                shape, labels: ["IdentityPoolId": pool], body: #"{"CognitoStreams": {"StreamName": "\#(tooLong)"}}"#),
            "1 validation error detected: Value '\(fits)...' at 'cognitoStreams.streamName' failed to satisfy "
                + "constraint: Member must have length less than or equal to 128"
        )
        let describe = try inputShape("DescribeDataset")
        XCTAssertEqual(
            violations(describe, labels: datasetLabels(String(repeating: "a", count: 129))),
            "1 validation error detected: Value '\(String(repeating: "a", count: 64))...' at 'datasetName' failed "
                + "to satisfy constraint: Member must have length less than or equal to 128"
        )
    }

    func testEveryBrokenConstraintOfAMemberIsListed() throws {
        let shape = try inputShape("DescribeIdentityPoolUsage")
        XCTAssertEqual(
            violations(shape, labels: ["IdentityPoolId": ""]),
            "2 validation errors detected: Value '' at 'identityPoolId' failed to satisfy constraint: Member must "
                + "have length greater than or equal to 1; Value '' at 'identityPoolId' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"
        )
    }

    func testViolationsOfSeveralMembersInModelOrder() throws {
        let shape = try inputShape("DescribeDataset")
        let message = violations(
            shape, labels: ["IdentityPoolId": "bad", "IdentityId": "worse", "DatasetName": "no spaces"])
        XCTAssertEqual(message?.hasPrefix("3 validation errors detected: Value 'no spaces' at 'datasetName'"), true)
        XCTAssertEqual(message?.components(separatedBy: "failed to satisfy constraint").count, 4)
        XCTAssertEqual(message?.contains("Value 'worse' at 'identityId'"), true)
        XCTAssertEqual(message?.hasSuffix("Value 'bad' at 'identityPoolId' failed to satisfy constraint: "
            + "Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"), true)
    }

    func testEnumInsideAListOfStructures() throws {
        let shape = try inputShape("UpdateRecords")
        XCTAssertEqual(
            violations(
                shape, labels: datasetLabels(),
                body: #"{"SyncSessionToken": "t", "RecordPatches": [{"Op": "replace", "Key": "a", "SyncCount": 0}, "#
                    + #"{"Op": "upsert", "Key": "b", "SyncCount": 0}]}"#
            ),
            "1 validation error detected: Value 'upsert' at 'recordPatches.2.member.op' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [replace, remove]"
        )
        let register = try inputShape("RegisterDevice")
        XCTAssertEqual(
            violations(
                register, labels: ["IdentityPoolId": pool, "IdentityId": identity],
                body: #"{"Platform": "WINDOWS", "Token": "t"}"#),
            "1 validation error detected: Value 'WINDOWS' at 'platform' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [APNS, APNS_SANDBOX, GCM, ADM]"
        )
    }

    func testRequiredMembersAtEveryDepth() throws {
        let shape = try inputShape("UpdateRecords")
        XCTAssertEqual(
            violations(shape, labels: datasetLabels(), body: #"{"RecordPatches": [{"Op": "replace"}]}"#),
            "3 validation errors detected: "
                + "Value null at 'recordPatches.1.member.key' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'recordPatches.1.member.syncCount' failed to satisfy constraint: Member must not be "
                + "null; Value null at 'syncSessionToken' failed to satisfy constraint: Member must not be null"
        )
        XCTAssertEqual(
            violations(try inputShape("SetCognitoEvents"), labels: ["IdentityPoolId": pool], body: "{}"),
            "1 validation error detected: Value null at 'events' failed to satisfy constraint: Member must not be null"
        )
        XCTAssertEqual(
            violations(try inputShape("ListDatasets"), labels: ["IdentityPoolId": pool]),
            "1 validation error detected: Value null at 'identityId' failed to satisfy constraint: Member must not be "
                + "null"
        )
    }

    func testMapAndListSizesFromTheModel() throws {
        let shape = try inputShape("SetCognitoEvents")
        XCTAssertEqual(
            violations(
                shape, labels: ["IdentityPoolId": pool], body: #"{"Events": {"SyncTrigger": "a", "Other": "b"}}"#),
            "1 validation error detected: Value '{SyncTrigger=a, Other=b}' at 'events' failed to satisfy constraint: "
                + "Member must have length less than or equal to 1"
        )
        XCTAssertEqual(
            try validate(shape, labels: ["IdentityPoolId": pool], body: #"{"Events": {"SyncTrigger": "a"}}"#)["Events"],
            .map([("SyncTrigger", .string("a"))])
        )
    }

    func testListElementsAndNestedStructures() throws {
        let shape = try inputShape("SetIdentityPoolConfiguration")
        let body = #"{"PushSync": {"ApplicationArns": ["arn:aws:sns:us-east-1:123:app/GCM/a", "#
            + #""arn:aws:sns:us-east-1:123:topic/x"], "RoleArn": "not-a-role-arn-at-all"}}"#
        XCTAssertEqual(
            violations(shape, labels: ["IdentityPoolId": pool], body: body),
            "2 validation errors detected: Value 'arn:aws:sns:us-east-1:123:topic/x' at "
                + "'pushSync.applicationArns.2.member' failed to satisfy constraint: Member must satisfy regular "
                + "expression pattern: arn:aws:sns:[-0-9a-z]+:\\d+:app/[A-Z_]+/[a-zA-Z0-9_.-]+; Value "
                + "'not-a-role-arn-at-all' at 'pushSync.roleArn' failed to satisfy constraint: Member must satisfy "
                + "regular expression pattern: arn:aws:iam::\\d+:role/.*"
        )
    }

    func testQueryNumbersAreReadByTheModelsType() throws {
        let shape = try inputShape("ListRecords")
        XCTAssertEqual(
            violations(shape, labels: datasetLabels(), query: ["lastSyncCount": "seven", "maxResults": "0"]),
            "2 validation errors detected: Value 'seven' at 'lastSyncCount' failed to satisfy constraint: Member "
                + "must be a number; Value '0' at 'maxResults' failed to satisfy constraint: Member must have value "
                + "greater than or equal to 1"
        )
        XCTAssertEqual(
            violations(shape, labels: datasetLabels(), query: ["lastSyncCount": "-1"]),
            "1 validation error detected: Value '-1' at 'lastSyncCount' failed to satisfy constraint: Member must "
                + "have value greater than or equal to 0"
        )
        // MaxResults is a 32-bit integer in the model; LastSyncCount a 64-bit long.
        XCTAssertNotNil(violations(shape, labels: datasetLabels(), query: ["maxResults": "2147483648"]))
        let input = try validate(
            shape, labels: datasetLabels(),
            query: ["lastSyncCount": "9007199254740993", "maxResults": "10", "nextToken": "abc"])
        XCTAssertEqual(input["LastSyncCount"], .int(9_007_199_254_740_993))
        XCTAssertEqual(input["MaxResults"], .int(10))
        XCTAssertEqual(input["NextToken"], .string("abc"))
    }

    func testBodyValuesOfTheWrongTypeAreSerializationErrors() throws {
        let shape = try inputShape("UpdateRecords")
        let cases = [
            (#"{"SyncSessionToken": "t", "RecordPatches": [{"Op": "replace", "Key": "k", "SyncCount": "zero"}]}"#,
             "Unexpected value type at 'recordPatches.1.member.syncCount'"),
            (#"{"SyncSessionToken": "t", "RecordPatches": [{"Op": "replace", "Key": "k", "SyncCount": 1.5}]}"#,
             "Unexpected value type at 'recordPatches.1.member.syncCount'"),
            (#"{"SyncSessionToken": "t", "RecordPatches": {"Op": "replace"}}"#,
             "Unexpected value type at 'recordPatches'"),
            (#"{"SyncSessionToken": "t", "RecordPatches": [null]}"#,
             "Unexpected value type at 'recordPatches.1.member'"),
            (#"{"SyncSessionToken": 7}"#, "Unexpected value type at 'syncSessionToken'"),
            ("{not json", "The request body is not valid JSON"),
            ("[]", "The request body is not a JSON object"),
        ]
        for (body, message) in cases {
            let error = rejection(shape, labels: datasetLabels(), body: body)
            XCTAssertEqual(error?.code, "SerializationException", body)
            XCTAssertEqual(error?.message, message, body)
        }
    }

    func testInputIsTypedAsTheModelSays() throws {
        let shape = try inputShape("UpdateRecords")
        let body = #"{"SyncSessionToken": "t", "Unknown": 1, "DeviceId": null, "RecordPatches": [{"Op": "remove", "#
            + #""Key": "k", "SyncCount": 3.0, "DeviceLastModifiedDate": 1700000000}]}"#
        let input = try validate(
            shape, labels: datasetLabels(), headers: [("X-Amz-Client-Context", "ctx")], body: body)
        XCTAssertEqual(
            input,
            .map([
                ("ClientContext", .string("ctx")), ("DatasetName", .string("settings")),
                ("IdentityId", .string(identity)), ("IdentityPoolId", .string(pool)),
                ("RecordPatches", .list([.map([
                    ("DeviceLastModifiedDate", .double(1_700_000_000)), ("Key", .string("k")),
                    ("Op", .string("remove")), ("SyncCount", .int(3)),
                ])])),
                ("SyncSessionToken", .string("t")),
            ])
        )
    }

    func testConstraintKindsTheCognitoSyncModelDoesNotUse() throws {
        let code = Shape(name: "Code", kind: .string(StringConstraints(min: 2, max: 3, pattern: "[A-Z]+")))
        let note = Shape(name: "Note", kind: .string(StringConstraints(max: 2)))
        let shape = Shape(
            name: "Input",
            kind: .structure(
                members: [
                    Member(name: "Codes", shape: Shape(name: "Codes", kind: .list(member: code, min: 1, max: 2))),
                    Member(
                        name: "Notes", shape: Shape(name: "Notes", kind: .map(key: code, value: note, min: 1, max: nil))
                    ),
                    Member(name: "Count", shape: Shape(name: "Count", kind: .integer(min: 1, max: 10))),
                    Member(name: "Total", shape: Shape(name: "Total", kind: .long(min: -5, max: nil))),
                ],
                required: ["Count"]
            )
        )
        XCTAssertEqual(
            violations(
                shape, body: #"{"Codes": [], "Notes": {"a": "long", "AB": "ok", "b": "x"}, "Count": 11, "Total": -6}"#),
            "5 validation errors detected: "
                + "Value '[]' at 'codes' failed to satisfy constraint: Member must have length greater than or equal "
                + "to 1; "
                + "Value '{a=long, AB=ok, b=x}' at 'notes' failed to satisfy constraint: Map keys must satisfy "
                + "constraint: [Member must have length greater than or equal to 2, Member must satisfy regular "
                + "expression pattern: [A-Z]+]; "
                + "Value '{a=long, AB=ok, b=x}' at 'notes' failed to satisfy constraint: Map value must satisfy "
                + "constraint: [Member must have length less than or equal to 2]; "
                + "Value '11' at 'count' failed to satisfy constraint: Member must have value less than or equal to "
                + "10; "
                + "Value '-6' at 'total' failed to satisfy constraint: Member must have value greater than or equal "
                + "to -5"
        )
        XCTAssertEqual(
            violations(shape, body: #"{"Codes": ["AB", "ABC", "ABCD"], "Notes": {}}"#),
            "4 validation errors detected: "
                + "Value '[AB, ABC, ABCD]' at 'codes' failed to satisfy constraint: Member must have length less than "
                + "or equal to 2; "
                + "Value 'ABCD' at 'codes.3.member' failed to satisfy constraint: Member must have length less than "
                + "or equal to 3; "
                + "Value '{}' at 'notes' failed to satisfy constraint: Member must have length greater than or equal "
                + "to 1; "
                + "Value null at 'count' failed to satisfy constraint: Member must not be null"
        )
        XCTAssertNoThrow(try validate(shape, body: #"{"Codes": ["AB"], "Notes": {"AB": "ok"}, "Count": 10}"#))
    }

    func testAcceptsChecksTypeAndConstraints() throws {
        let identityId = try XCTUnwrap(ServiceModel.cognitoSync.shapes["IdentityId"])
        XCTAssertTrue(ModelValidator.accepts(.string(identity), as: identityId))
        XCTAssertFalse(ModelValidator.accepts(.string("settings"), as: identityId))
        let tooLong = "us-east-1:" + String(repeating: "a", count: 50)
        XCTAssertFalse(ModelValidator.accepts(.string(tooLong), as: identityId))
        XCTAssertFalse(ModelValidator.accepts(.int(1), as: identityId))
    }
}
