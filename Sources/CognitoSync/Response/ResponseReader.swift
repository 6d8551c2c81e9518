import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a JSON response body by the output shape, straight from its bytes into a `ResponseSink`.
///
/// Unknown fields are ignored and `null` counts as absent (in a list it is left out). When a key repeats, its last
/// value counts. Timestamps are accepted as numbers (integer, fractional or in exponent form), numeric strings or
/// ISO-8601 strings, and given as epoch seconds. Integers must be exact: an integral JSON float like `5.0` is
/// accepted as 5, a fractional one is an error.
///
/// The whole body is always checked as `JSONParser` checks it, so a body that is not JSON fails with the parser's
/// error even where a field before the fault did not fit. A value that does not fit its shape is not given to the
/// sink; of several, the one reported is the first in model order for a structure's members and the first in the
/// body for a list's elements and a map's entries.
struct ResponseReader {
    struct Mismatch: Error {
        /// Where, from the innermost step outwards; the path is only rendered when a response is wrong.
        fileprivate var steps: [Step] = []
        let expected: String
        /// The JSON type found, e.g. `string` or `number 1.5`.
        let got: String
        /// The rendered path, e.g. `response.Records[1].SyncCount`; set by the outermost `read`.
        private(set) var path = ""

        init(expected: String, got: String) {
            self.expected = expected
            self.got = got
        }

        var message: String {
            "\(path): expected \(expected), got \(got)"
        }

        fileprivate func adding(_ step: Step) -> Mismatch {
            var mismatch = self
            mismatch.steps.append(step)
            return mismatch
        }

        fileprivate mutating func render(from root: String) {
            path = steps.reversed().reduce(root) { base, step in
                switch step {
                case .member(let name): return ValuePath.member(base, name)
                case .index(let index): return ValuePath.index(base, index)
                case .key(let key): return ValuePath.key(base, key)
                }
            }
        }
    }

    fileprivate enum Step {
        case member(String)
        case index(Int)
        case key(String)
    }

    /// How reading a body ended.
    enum Failure: Error {
        /// The body is not JSON.
        case syntax(JSONError)
        /// The body is JSON that does not fit the shape.
        case mismatch(Mismatch)
    }

    let sink: any ResponseSink

    /// Reads the JSON document `body` by `shape`; on success the sink holds exactly one more value.
    func read(_ body: UnsafeBufferPointer<UInt8>, shape: Shape, path: String) throws(Failure) {
        var cursor = JSONCursor(bytes: body)
        let found: Mismatch?
        do {
            cursor.skipWhitespace()
            found = try read(&cursor, shape, depth: 0)
            try cursor.finish()
        } catch let error as JSONError {
            throw .syntax(error)
        } catch {
            throw .syntax(JSONError(offset: 0, reason: "\(error)"))
        }
        if var mismatch = found {
            mismatch.render(from: path)
            throw .mismatch(mismatch)
        }
    }

    /// Reads the value at the cursor (`depth` as `JSONParser` counts it). A value that fits is pushed onto the sink
    /// and nil returned; one that does not is only checked, and returned as a mismatch.
    private func read(_ cursor: inout JSONCursor, _ shape: Shape, depth: Int) throws -> Mismatch? {
        let kind = try cursor.kind()
        switch (shape.kind, kind) {
        case (.structure(let members, _), .object):
            return try readStructure(&cursor, shape, members, depth: depth)
        case (.list(let member, _, _), .array):
            return try readList(&cursor, member, depth: depth)
        case (.map(_, let valueShape, _, _), .object):
            return try readMap(&cursor, valueShape, depth: depth)
        case (.string, .string):
            try cursor.readString { bytes, ascii in
                guard JSONCursor.isValid(bytes, ascii: ascii) else { return false }
                sink.string(bytes)
                return true
            }
            return nil
        case (.boolean, .bool):
            sink.boolean(try cursor.readBool())
            return nil
        case (.integer, .number), (.long, .number), (.timestamp, .number):
            switch try cursor.readNumber() {
            case .int(let whole):
                sink.integer(whole)
            case .double(let number):
                if case .timestamp = shape.kind {
                    sink.number(number)
                } else {
                    guard number.rounded() == number, abs(number) < 0x1p63 else {
                        return Mismatch(expected: "integer", got: "number \(number)")
                    }
                    sink.integer(Int64(number))
                }
            default:
                break
            }
            return nil
        case (.timestamp, .string):
            var text: String?
            try cursor.readString { bytes, ascii in
                guard JSONCursor.isValid(bytes, ascii: ascii) else { return false }
                text = String(decoding: bytes, as: UTF8.self)
                return true
            }
            guard let text, let seconds = Self.timestamp(text) else {
                return Mismatch(expected: "timestamp", got: "string")
            }
            switch seconds {
            case .int(let whole): sink.integer(whole)
            case .double(let number): sink.number(number)
            default: break
            }
            return nil
        default:
            let got: String
            if kind == .number {
                let number = try cursor.readNumber()
                got = number.intValue != nil ? "integer" : "number \(number.doubleValue ?? 0)"
            } else {
                got = Self.describe(kind)
                try cursor.skipValue(depth: depth)
            }
            return Mismatch(expected: Self.expectation(shape), got: got)
        }
    }

    private func readStructure(_ cursor: inout JSONCursor, _ shape: Shape, _ members: [Member], depth: Int) throws
        -> Mismatch? {
        let room = sink.beginStructure(shape)
        // Members stored so far (by index, for the first 64), so a later null need only clear what is there.
        var stored: UInt64 = 0
        var mismatches: [Mismatch?] = []
        // Servers write members in model order, so the search for a key starts after the last one found.
        var next = 0
        if try cursor.enterObject(depth: depth + 1) {
            repeat {
                var found = -1
                try cursor.readKey { bytes, ascii in
                    if ascii {
                        found = Self.member(bytes, in: members, from: next)
                        return true
                    }
                    // A non-ASCII key can still equal a name as Swift compares strings (U+212A KELVIN SIGN is K).
                    guard let key = String(validating: bytes, as: UTF8.self) else { return false }
                    found = members.firstIndex { $0.name == key } ?? -1
                    return true
                }
                guard found >= 0 else {
                    try cursor.skipValue(depth: depth + 1)
                    continue
                }
                next = found + 1
                if found < mismatches.count { mismatches[found] = nil }
                if try cursor.kind() == .null {
                    try cursor.readNull()
                    if room && (found >= 64 || stored & (1 << found) != 0) { sink.clearMember(found) }
                    continue
                }
                guard room else {
                    try cursor.skipValue(depth: depth + 1)
                    continue
                }
                sink.beginMember(found)
                if let mismatch = try read(&cursor, members[found].shape, depth: depth + 1) {
                    sink.abandonMember()
                    if mismatches.isEmpty { mismatches = Array(repeating: nil, count: members.count) }
                    mismatches[found] = mismatch.adding(.member(members[found].name))
                } else {
                    sink.setMember(found)
                    if found < 64 { stored |= 1 << found }
                }
            } while try cursor.nextMember()
        }
        guard room else { return Self.tooDeep }
        if let mismatch = mismatches.lazy.compactMap({ $0 }).first {
            sink.discard()
            return mismatch
        }
        sink.end()
        return nil
    }

    private func readList(_ cursor: inout JSONCursor, _ member: Shape, depth: Int) throws -> Mismatch? {
        let room = sink.beginList()
        var mismatch: Mismatch? = room ? nil : Self.tooDeep
        var index = 0
        var stored = 0
        if try cursor.enterArray(depth: depth + 1) {
            repeat {
                defer { index += 1 }
                if mismatch != nil {
                    try cursor.skipValue(depth: depth + 1)
                } else if try cursor.kind() == .null {
                    try cursor.readNull()
                } else if let found = try read(&cursor, member, depth: depth + 1) {
                    mismatch = found.adding(.index(index))
                } else {
                    stored += 1
                    sink.setElement(stored)
                }
            } while try cursor.nextElement()
        }
        return close(room: room, mismatch)
    }

    private func readMap(_ cursor: inout JSONCursor, _ valueShape: Shape, depth: Int) throws -> Mismatch? {
        let room = sink.beginMap()
        var mismatch: Mismatch? = room ? nil : Self.tooDeep
        if try cursor.enterObject(depth: depth + 1) {
            repeat {
                // The key's bytes stay in the body or in a buffer the cursor drops; a copy outlives them.
                var key: [UInt8] = []
                try cursor.readKey { bytes, ascii in
                    guard JSONCursor.isValid(bytes, ascii: ascii) else { return false }
                    if mismatch == nil { key = Array(bytes) }
                    return true
                }
                if mismatch != nil {
                    try cursor.skipValue(depth: depth + 1)
                } else if try cursor.kind() == .null {
                    try cursor.readNull()
                } else if let found = try read(&cursor, valueShape, depth: depth + 1) {
                    mismatch = found.adding(.key(String(decoding: key, as: UTF8.self)))
                } else {
                    key.withUnsafeBufferPointer { sink.setEntry($0) }
                }
            } while try cursor.nextMember()
        }
        return close(room: room, mismatch)
    }

    /// Ends the list or map the sink began (when it had `room` for it), or drops it after a mismatch.
    private func close(room: Bool, _ mismatch: Mismatch?) -> Mismatch? {
        guard room else { return mismatch }
        if let mismatch {
            sink.discard()
            return mismatch
        }
        sink.end()
        return nil
    }

    /// The index of the member named by ASCII `key`, searching from `start` round to it; -1 when none is.
    private static func member(_ key: UnsafeBufferPointer<UInt8>, in members: [Member], from start: Int) -> Int {
        let count = members.count
        var offset = 0
        while offset < count {
            var index = start + offset
            if index >= count { index -= count }
            if members[index].name.utf8Equals(UnsafeRawBufferPointer(key)) { return index }
            offset += 1
        }
        return -1
    }

    /// A container the sink had no room to build (only far deeper than any model nests).
    private static let tooDeep = Mismatch(expected: "a value nested less deeply", got: "more nesting than there is room for")

    private static func timestamp(_ text: String) -> Value? {
        if let seconds = Timestamp.parseISO8601(text) {
            return seconds
        }
        if let whole = Int64(text) {
            return .int(whole)
        }
        if let seconds = Double(text), seconds.isFinite {
            return .double(seconds)
        }
        return nil
    }

    private static func describe(_ kind: JSONCursor.Kind) -> String {
        switch kind {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private static func expectation(_ shape: Shape) -> String {
        switch shape.kind {
        case .string: return "string"
        case .integer, .long: return "integer"
        case .boolean: return "boolean"
        case .timestamp: return "timestamp"
        case .list: return "array"
        case .map, .structure: return "object"
        }
    }
}
