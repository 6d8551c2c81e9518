import Foundation
import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

/// Checks the generated Swift model against the official API model file and the generator itself.
final class GeneratedModelTests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each generated service with the file it comes from.
    private static let services: [(ServiceModel, String)] = [
        (.cognitoSync, "cognito-sync-2014-06-30.service.json"),
        (.cognitoIdentity, "cognito-identity-2014-06-30.service.json"),
    ]

    private func loadModel(_ file: String = "cognito-sync-2014-06-30.service.json") throws -> [String: Any] {
        let url = Self.packageRoot.appendingPathComponent("models").appendingPathComponent(file)
        let data = try Data(contentsOf: url)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs a command in the package root; its exit status and standard error.
    private func run(_ arguments: String...) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = Self.packageRoot
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, message)
    }

    func testCommittedOutputIsCurrent() throws {
        let (status, message) = try run("python3", "scripts/gen-model", "--check")
        XCTAssertEqual(status, 0, "generated model is stale: \(message)")
    }

    func testOperationsMatchTheModelFile() throws {
        XCTAssertEqual(ServiceModel.cognitoSync.operations.count, 17)
        XCTAssertEqual(ServiceModel.cognitoIdentity.operations.count, 23)
        for (service, file) in Self.services {
            try checkOperations(service, try loadModel(file))
        }
    }

    private func checkOperations(_ service: ServiceModel, _ model: [String: Any]) throws {
        let operations = try XCTUnwrap(model["operations"] as? [String: [String: Any]])
        let metadata = try XCTUnwrap(model["metadata"] as? [String: Any])
        XCTAssertEqual(Set(service.operations.map(\.name)), Set(operations.keys))
        for operation in service.operations {
            let source = try XCTUnwrap(operations[operation.name])
            let http = try XCTUnwrap(source["http"] as? [String: Any])
            XCTAssertEqual(operation.method, http["method"] as? String, operation.name)
            XCTAssertEqual(operation.uriTemplate, http["requestUri"] as? String, operation.name)
            XCTAssertEqual(operation.input?.name, (source["input"] as? [String: Any])?["shape"] as? String)
            XCTAssertEqual(operation.output?.name, (source["output"] as? [String: Any])?["shape"] as? String)
            let errors = (source["errors"] as? [[String: Any]] ?? []).compactMap { $0["shape"] as? String }
            XCTAssertEqual(operation.errors, errors, operation.name)
            XCTAssertEqual(operation.signed, source["authtype"] as? String != "none", operation.name)
            if let prefix = metadata["targetPrefix"] as? String, let version = metadata["jsonVersion"] as? String {
                XCTAssertEqual(operation.wire, .awsJSON(version: version, target: "\(prefix).\(operation.name)"))
            } else {
                XCTAssertEqual(operation.wire, .restJSON, operation.name)
            }
        }
    }

    func testShapesMatchTheModelFile() throws {
        for (service, file) in Self.services {
            try checkShapes(service, try loadModel(file))
        }
    }

    private func checkShapes(_ service: ServiceModel, _ model: [String: Any]) throws {
        let shapes = try XCTUnwrap(model["shapes"] as? [String: [String: Any]])
        XCTAssertFalse(service.shapes.isEmpty)
        for (name, shape) in service.shapes {
            let source = try XCTUnwrap(shapes[name], name)
            XCTAssertEqual(shape.name, name)
            XCTAssertEqual(shape.typeName, source["type"] as? String, name)
            switch shape.kind {
            case .string(let constraints):
                XCTAssertEqual(constraints.min, source["min"] as? Int, name)
                XCTAssertEqual(constraints.max, source["max"] as? Int, name)
                XCTAssertEqual(constraints.pattern, source["pattern"] as? String, name)
                XCTAssertEqual(constraints.enumValues, source["enum"] as? [String], name)
            case .integer(let min, let max), .long(let min, let max):
                XCTAssertEqual(min, (source["min"] as? Int).map(Int64.init), name)
                XCTAssertEqual(max, (source["max"] as? Int).map(Int64.init), name)
            case .boolean, .timestamp:
                break
            case .list(let member, let min, let max):
                XCTAssertEqual(member.name, (source["member"] as? [String: Any])?["shape"] as? String, name)
                XCTAssertEqual(min, source["min"] as? Int, name)
                XCTAssertEqual(max, source["max"] as? Int, name)
            case .map(let key, let value, let min, let max):
                XCTAssertEqual(key.name, (source["key"] as? [String: Any])?["shape"] as? String, name)
                XCTAssertEqual(value.name, (source["value"] as? [String: Any])?["shape"] as? String, name)
                XCTAssertEqual(min, source["min"] as? Int, name)
                XCTAssertEqual(max, source["max"] as? Int, name)
            case .structure(let members, let required):
                let sourceMembers = source["members"] as? [String: [String: Any]] ?? [:]
                XCTAssertEqual(Set(members.map(\.name)), Set(sourceMembers.keys), name)
                XCTAssertEqual(required, Set(source["required"] as? [String] ?? []), name)
                for member in members {
                    let sourceMember = try XCTUnwrap(sourceMembers[member.name])
                    XCTAssertEqual(member.shape.name, sourceMember["shape"] as? String, "\(name).\(member.name)")
                    let wireName = sourceMember["locationName"] as? String ?? ""
                    let expected: Location
                    switch sourceMember["location"] as? String {
                    case "uri": expected = .uri(wireName)
                    case "querystring": expected = .querystring(wireName)
                    case "header": expected = .header(wireName)
                    default: expected = .body
                    }
                    XCTAssertEqual(member.location, expected, "\(name).\(member.name)")
                }
            }
        }
    }

    func testErrorShapesAndStatuses() throws {
        for (service, file) in Self.services {
            let shapes = try XCTUnwrap(try loadModel(file)["shapes"] as? [String: [String: Any]])
            let expected = shapes.filter { $0.value["exception"] as? Bool == true }.mapValues {
                ($0["error"] as? [String: Any])?["httpStatusCode"] as? Int ?? ($0["fault"] as? Bool == true ? 500 : 400)
            }
            XCTAssertEqual(service.errors, expected, service.serviceId)
        }
        XCTAssertEqual(ServiceModel.cognitoSync.errors["ResourceConflictException"], 409)
        XCTAssertEqual(ServiceModel.cognitoSync.errors["LambdaThrottledException"], 429)
        XCTAssertNil(ServiceModel.cognitoSync.shapes["ResourceConflictException"], "error shapes are not request/response shapes")
    }

    func testMetadata() throws {
        for (service, file) in Self.services {
            let metadata = try XCTUnwrap(try loadModel(file)["metadata"] as? [String: Any])
            XCTAssertEqual(service.apiVersion, metadata["apiVersion"] as? String)
            XCTAssertEqual(service.endpointPrefix, metadata["endpointPrefix"] as? String)
            XCTAssertEqual(service.serviceId, metadata["serviceId"] as? String)
            XCTAssertEqual(service.serviceFullName, metadata["serviceFullName"] as? String)
            XCTAssertEqual(service.protocolName, metadata["protocol"] as? String)
        }
        let metadata = try XCTUnwrap(try loadModel()["metadata"] as? [String: Any])
        XCTAssertEqual(ServiceModel.cognitoSync.apiVersion, "2014-06-30")
        XCTAssertEqual(ServiceModel.cognitoSync.apiVersion, metadata["apiVersion"] as? String)
        XCTAssertEqual(ServiceModel.cognitoSync.signingName, "cognito-sync")
        XCTAssertEqual(ServiceModel.cognitoSync.endpointPrefix, metadata["endpointPrefix"] as? String)
        XCTAssertEqual(ServiceModel.cognitoSync.serviceId, "Cognito Sync")
        XCTAssertEqual(ServiceModel.cognitoSync.protocolName, "rest-json")
    }

    func testNoDocumentationProseInOutputs() throws {
        for (service, file) in Self.services {
            let prose = try XCTUnwrap(try loadModel(file)["documentation"] as? String)
            let fragment = String(prose.replacingOccurrences(of: "<p>", with: "").prefix(40))
            let swift = "Sources/CognitoSyncModel/Generated/ServiceModel+\(service.serviceId.filter { $0 != " " }).swift"
            for path in [swift, "types/\(service.module).lua"] {
                let text = try String(contentsOf: Self.packageRoot.appendingPathComponent(path), encoding: .utf8)
                XCTAssertFalse(text.contains(fragment), path)
                XCTAssertFalse(text.contains("<p>"), path)
            }
        }
    }

    func testLuaAnnotationsAreValidLua() throws {
        // One file per run: Debian's luac5.4 aborts when given several.
        for file in ["types/cognitosync.lua", "types/cognitoidentity.lua"] {
            let (status, message) = try run("luac5.4", "-p", file)
            if status == 127 {
                throw SetUpFailure("luac5.4 is not installed")
            }
            XCTAssertEqual(status, 0, "\(file): \(message)")
        }
    }

    func testLuaAnnotationsCoverEveryOperation() throws {
        var texts: [String: String] = [:]
        for (service, _) in Self.services {
            let url = Self.packageRoot.appendingPathComponent("types/\(service.module).lua")
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("---@meta \(service.module)"))
            for operation in service.operations {
                XCTAssertTrue(text.contains("function Client:\(operation.luaName)(params) end"), operation.luaName)
                if let input = operation.input {
                    XCTAssertTrue(text.contains("---@param params \(service.module).\(input.name)\n"), operation.luaName)
                }
            }
            texts[service.module] = text
        }
        let sync = try XCTUnwrap(texts["cognitosync"]), identity = try XCTUnwrap(texts["cognitoidentity"])
        XCTAssertTrue(sync.contains("---@field Op \"replace\"|\"remove\""))
        XCTAssertTrue(sync.contains("---@field SyncCount integer"))
        XCTAssertTrue(sync.contains("---@field DeviceLastModifiedDate? number|string"))
        XCTAssertTrue(sync.contains("---@field RecordPatches? cognitosync.RecordPatch[]"))
        XCTAssertTrue(identity.contains("---@class cognitoidentity.Client: cognitosync.Client\n"))
        XCTAssertTrue(identity.contains("---@field MaxResults integer # range 1..60"))
    }
}
