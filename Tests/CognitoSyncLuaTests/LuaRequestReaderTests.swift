import CLua
@testable import CognitoSync
@testable import CognitoSyncModel
@testable import CognitoSyncLua
import XCTest

/// A script's params go straight from its table into the request when they are valid. That shortcut must lay out
/// exactly the request the full path (`LuaValueReader`, `prepare`, `serialize`) lays out, must never let through
/// what the full path refuses, and must be taken for every valid table it can read (any without a map).
final class LuaRequestReaderTests: XCTestCase {
    /// The same cases on every run.
    private struct Generator {
        var random: SplitMix64
        mutating func next(_ bound: Int) -> Int { random.next(below: bound) }
        mutating func chance(_ percent: Int) -> Bool { next(100) < percent }
    }

    private static let strings = [
        "us-east-1:00000000-0000-4000-8000-000000000001", "data_set-1", "key", "value with spaces", "", "é",
        "line\nbreak", String(repeating: "x", count: 200), "2026-01-02T03:04:05Z", "replace", "GCM", "true", "7",
        "arn:aws:iam::000000000000:role/push", "arn:aws:sns:us-east-1:000000000000:app/GCM/app", "graph.facebook.com",
        "login.example.com", "12345", "abcdefghijklmnopqrstuvwxyz0123456789", "A1",
    ]

    /// A string the model allows for `constraints`, when the pool has one.
    private static func fitting(_ constraints: StringConstraints, _ random: inout Generator) -> String? {
        let fits = strings.filter { text in
            let length = text.unicodeScalars.count
            return length >= (constraints.min ?? 0) && length <= (constraints.max ?? .max)
                && constraints.pattern.map { PatternMatcher.shared.matches(text, pattern: $0) } ?? true
        }
        return fits.isEmpty ? nil : fits[random.next(fits.count)]
    }

    private func value(for shape: Shape, _ random: inout Generator) -> Value {
        // Now and then a value of the wrong type, for the full path to refuse.
        if random.chance(2) {
            return [Value.int(3), .string("x"), .bool(true), .list([.int(1)]), .map([("Bogus", .int(1))])][random.next(5)]
        }
        switch shape.kind {
        case .structure(let members, let required):
            var entries: [(String, Value)] = []
            for member in members where random.chance(required.contains(member.name) ? 96 : 60) {
                entries.append((member.name, value(for: member.shape, &random)))
            }
            if random.chance(2) { entries.append(("Bogus", .int(1))) }
            return .map(entries)
        case .list(let element, _, _):
            let count = random.chance(3) ? 60 : 1 + random.next(3)
            return .list((0..<count).map { _ in value(for: element, &random) })
        case .map(_, let valueShape, _, _):
            return .map((0..<random.next(3)).map { ("k\($0)", value(for: valueShape, &random)) })
        case .string(let constraints):
            if let values = constraints.enumValues, random.chance(90) { return .string(values[random.next(values.count)]) }
            if random.chance(85), let text = Self.fitting(constraints, &random) { return .string(text) }
            return .string(Self.strings[random.next(Self.strings.count)])
        case .integer, .long:
            return [Value.int(0), .int(1), .int(5), .int(100), .int(-1), .int(1 << 40), .double(3), .double(2.5)][random.next(8)]
        case .boolean:
            return .bool(random.chance(50))
        case .timestamp:
            return [Value.int(1_700_000_000), .double(1_700_000_000.75), .string("2026-01-02T03:04:05Z"),
                    .string("bad")][random.next(random.chance(90) ? 3 : 4)]
        }
    }

    private static func hasMap(_ shape: Shape, _ seen: inout Set<ObjectIdentifier>) -> Bool {
        guard seen.insert(ObjectIdentifier(shape)).inserted else { return false }
        switch shape.kind {
        case .map: return true
        case .list(let element, _, _): return hasMap(element, &seen)
        case .structure(let members, _): return members.contains { hasMap($0.shape, &seen) }
        default: return false
        }
    }

    func testTheShortcutLaysOutWhatTheFullPathDoesAndRefusesWhatItRefuses() throws {
        let L = try XCTUnwrap(luaL_newstate())
        defer { lua_close(L) }
        var random = Generator(random: SplitMix64(seed: 42))
        var taken = 0, valid = 0
        for model in ServiceModel.all {
            for operation in model.operations {
                var seen = Set<ObjectIdentifier>()
                let readsAll = !(operation.input.map { Self.hasMap($0, &seen) } ?? false)
                for _ in 0..<200 {
                    let params = random.chance(3) ? Value.null
                        : value(for: operation.input ?? Shape.emptyStructure, &random)
                    LuaValueWriter(L: L).push(params)
                    let top = lua_gettop(L)
                    // Now and then only some of the checks, as `paramValidation = {min = true, ...}` chooses.
                    let validation = random.chance(75) ? ValidationOptions.all : ValidationOptions(
                        min: random.chance(50), max: random.chance(50), pattern: random.chance(50),
                        enum: random.chance(50))
                    let direct = LuaRequestReader(L: L).request(-1, operation: operation, validation: validation)
                    XCTAssertEqual(lua_gettop(L), top, "the shortcut leaves the stack as it found it")
                    let full: HTTPRequest?
                    do {
                        var read = try LuaValueReader(L: L).read(-1, path: "params")
                        if case .null = read { read = .map([]) }
                        full = operation.serialize(try operation.prepare(params: read, validation: validation))
                    } catch {
                        full = nil
                    }
                    lua_settop(L, top - 1)
                    let name = "\(operation.name) \(params)"
                    guard let full else {
                        XCTAssertNil(direct, "taken where the full path refuses: \(name)")
                        continue
                    }
                    valid += 1
                    if readsAll { XCTAssertNotNil(direct, "valid params not taken: \(name)") }
                    guard let direct else { continue }
                    taken += 1
                    assertSameLayout(direct, full, name)
                }
            }
        }
        // The generator must reach both sides: enough valid params, and the shortcut taken for most of them.
        XCTAssertGreaterThan(valid, 1500)
        XCTAssertGreaterThan(taken, valid / 2)
    }

    private func assertSameLayout(_ direct: HTTPRequest, _ full: HTTPRequest, _ name: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(direct.method, full.method, name, file: file, line: line)
        XCTAssertEqual(direct.path, full.path, name, file: file, line: line)
        XCTAssertEqual(direct.query.map { "\($0)=\($1)" }, full.query.map { "\($0)=\($1)" }, name, file: file, line: line)
        XCTAssertEqual(direct.headers.map { "\($0): \($1)" }, full.headers.map { "\($0): \($1)" }, name,
                       file: file, line: line)
        XCTAssertEqual(String(decoding: direct.body, as: UTF8.self), String(decoding: full.body, as: UTF8.self), name,
                       file: file, line: line)
    }

    /// `merge` in cognitosync.lua on values: the params' own entries, then each bound one that names a member of
    /// the input and is not set yet.
    private static func merged(_ own: Value, _ bound: [(String, Value)], _ members: [Member]) -> Value {
        var entries: [(String, Value)] = []
        if case .map(let ownEntries) = own { entries = ownEntries }
        for (name, value) in bound where members.contains(where: { $0.name == name })
            && !entries.contains(where: { $0.0 == name }) {
            entries.append((name, value))
        }
        return .map(entries)
    }

    private static func sorted(_ entries: [(String, Value)]) -> [String] {
        entries.map { "\($0.0)=\($0.1)" }.sorted()
    }

    /// Bound params filled in by the host, with no merged table made, lay out what the full path lays out from the
    /// merged table; and the merged table the host makes for the full path is the one the module's merge makes.
    func testBoundParamsFillWhatTheCallLeavesUnsetAsTheModulesMergeDoes() throws {
        let L = try XCTUnwrap(luaL_newstate())
        defer { lua_close(L) }
        var random = Generator(random: SplitMix64(seed: 7))
        var taken = 0, filled = 0
        for model in ServiceModel.all {
            for operation in model.operations {
                guard let input = operation.input, case .structure(let members, _) = input.kind else { continue }
                for _ in 0..<100 {
                    // Params the module hands over with bound ones: a table or nil.
                    var own = value(for: input, &random)
                    if case .map = own {} else { own = .null }
                    if random.chance(5) { own = .null }
                    guard case .map(var bound) = value(for: input, &random) else { continue }
                    bound.append(("NotAMember", .int(1)))
                    let expected = Self.merged(own, bound, members)

                    LuaValueWriter(L: L).push(own)
                    LuaValueWriter(L: L).push(.map(bound))
                    let top = lua_gettop(L)
                    let reader = LuaRequestReader(L: L)
                    let direct = reader.request(top - 1, bound: top, operation: operation, validation: .all)
                    XCTAssertEqual(lua_gettop(L), top, "the shortcut leaves the stack as it found it")
                    try reader.mergeBound(top - 1, bound: top, operation: operation)
                    XCTAssertEqual(lua_gettop(L), top, "the merge leaves the stack as it found it")
                    let read = try LuaValueReader(L: L).read(top - 1, path: "params")
                    lua_settop(L, top - 2)
                    // As Lua holds it (a float with an integral value reads back as an integer).
                    LuaValueWriter(L: L).push(expected)
                    let expectedRead = try LuaValueReader(L: L).read(-1, path: "params")
                    lua_settop(L, top - 2)
                    let name = "\(operation.name) \(own) + \(bound)"
                    guard case .map(let expectedEntries) = expected else { continue }
                    switch (read, expectedRead) {
                    case (.map(let entries), .map(let expectedEntries)):
                        XCTAssertEqual(Self.sorted(entries), Self.sorted(expectedEntries), name)
                    case (.list(let items), .list(let expectedItems)) where items.isEmpty:
                        XCTAssertEqual(expectedItems.count, 0, name)
                    default:
                        XCTFail("the merge makes a table of params: \(name)")
                    }
                    if expectedEntries.count > (own.mapCount ?? 0) { filled += 1 }

                    let full = try? operation.serialize(operation.prepare(params: expected))
                    guard let full else {
                        XCTAssertNil(direct, "taken where the full path refuses: \(name)")
                        continue
                    }
                    guard let direct else { continue }
                    taken += 1
                    assertSameLayout(direct, full, name)
                }
            }
        }
        XCTAssertGreaterThan(taken, 300)
        XCTAssertGreaterThan(filled, 300)
    }
}

private extension Value {
    var mapCount: Int? {
        if case .map(let entries) = self { return entries.count }
        return nil
    }
}
