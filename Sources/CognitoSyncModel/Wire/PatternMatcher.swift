import Synchronization

/// Matches strings against the model's patterns the way the service does: the whole string must match,
/// and `\w`, `\d`, `\s` mean their ASCII classes (Java's defaults) rather than Unicode ones.
///
/// The models' patterns use a small part of the regular expression language (literals, `.`, bracket classes
/// with ranges, `\w \d \s \S`, `\p{L}`-style general categories, groups, `|`, `? * +`), so they are compiled
/// here to a small automaton over Unicode scalars rather than to ICU's engine through Foundation, which
/// every start of the binary would pay for. A match runs in time linear in the text. Each pattern is
/// compiled once and kept.
public final class PatternMatcher: Sendable {
    /// The process-wide matcher and its compiled patterns.
    public static let shared = PatternMatcher()

    private let cache = Mutex<[String: CompiledPattern?]>([:])

    public init() {}

    /// Whether the whole of `text` matches `pattern`; a pattern that does not compile matches everything,
    /// leaving the check to the service.
    public func matches(_ text: String, pattern: String) -> Bool {
        compiled(pattern)?.matches(text) ?? true
    }

    /// `matches` for a text of ASCII bytes, which need not be made a `String` first.
    public func matches(ascii bytes: UnsafeRawBufferPointer, pattern: String) -> Bool {
        guard let compiled = compiled(pattern) else { return true }
        return compiled.matchesASCII(bytes) ?? compiled.matches(String(decoding: bytes, as: UTF8.self))
    }

    /// The compiled form of `pattern`, or `nil` if it uses syntax outside the supported part.
    func compiled(_ pattern: String) -> CompiledPattern? {
        cache.withLock { cache in
            if let known = cache[pattern] { return known }
            let made = CompiledPattern(pattern)
            cache[pattern] = made
            return made
        }
    }
}

/// A pattern as a Thompson automaton: a program of scalar tests, splits and jumps, run over all threads at once.
struct CompiledPattern: Sendable {
    enum Instruction: Sendable {
        case scalar(ScalarTest)
        /// Continue at both targets; the first is preferred, which only matters to engines that capture.
        case split(Int, Int)
        case jump(Int)
        case match
    }

    let program: [Instruction]
    /// The same automaton made deterministic over ASCII, for the usual text; nil when that takes too many states.
    private var ascii: AsciiAutomaton?

    init?(_ pattern: String) {
        var parser = PatternParser(Array(pattern.unicodeScalars))
        guard let node = parser.parseWhole() else { return nil }
        var program: [Instruction] = []
        node.emit(into: &program)
        program.append(.match)
        self.program = program
        ascii = nil
        ascii = AsciiAutomaton(self)
    }

    /// The answer of the ASCII automaton for `bytes`; nil when the pattern has none.
    func matchesASCII(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        ascii?.matches(bytes)
    }

    func matches(_ text: String) -> Bool {
        if let ascii, let answer = ascii.matches(text) { return answer }
        var current: [Int] = []
        var next: [Int] = []
        // The step at which each instruction was last added, so a thread is added once per step.
        var seen = [Int](repeating: -1, count: program.count)
        add(0, to: &current, seen: &seen, step: 0)
        var step = 0
        for scalar in text.unicodeScalars {
            step += 1
            next.removeAll(keepingCapacity: true)
            for pc in current {
                if case let .scalar(test) = program[pc], test.accepts(scalar) {
                    add(pc + 1, to: &next, seen: &seen, step: step)
                }
            }
            if next.isEmpty { return false }
            swap(&current, &next)
        }
        return accepts(current)
    }

    /// The threads at the start, before any scalar.
    fileprivate var start: [Int] {
        var seen = [Int](repeating: -1, count: program.count)
        var threads: [Int] = []
        add(0, to: &threads, seen: &seen, step: 0)
        return threads.sorted()
    }

    /// The threads after `scalar` from `threads`, in order; empty when none survives.
    fileprivate func step(_ threads: [Int], over scalar: Unicode.Scalar) -> [Int] {
        var seen = [Int](repeating: -1, count: program.count)
        var next: [Int] = []
        for pc in threads {
            if case let .scalar(test) = program[pc], test.accepts(scalar) {
                add(pc + 1, to: &next, seen: &seen, step: 0)
            }
        }
        return next.sorted()
    }

    fileprivate func accepts(_ threads: [Int]) -> Bool {
        threads.contains { if case .match = program[$0] { true } else { false } }
    }

    /// Adds the thread at `pc`, following splits and jumps to the instructions that test a scalar or match.
    private func add(_ pc: Int, to list: inout [Int], seen: inout [Int], step: Int) {
        guard seen[pc] != step else { return }
        seen[pc] = step
        switch program[pc] {
        case let .split(first, second):
            add(first, to: &list, seen: &seen, step: step)
            add(second, to: &list, seen: &seen, step: step)
        case let .jump(target):
            add(target, to: &list, seen: &seen, step: step)
        case .scalar, .match:
            list.append(pc)
        }
    }
}

/// A pattern's automaton made deterministic over ASCII bytes (each state a set of the automaton's threads), built
/// when the pattern is compiled: a text of ASCII, which nearly every parameter is, is then matched with one table
/// lookup per byte instead of a step of every thread.
struct AsciiAutomaton: Sendable {
    /// `transitions[state * 128 + byte]`: the next state, or -1 when no thread survives.
    private let transitions: [Int32]
    private let accepting: [Bool]
    /// Beyond this many states the pattern is left to the threads.
    static let maximumStates = 256

    init?(_ pattern: CompiledPattern) {
        var states = [pattern.start]
        var numbers = [states[0]: 0]
        var transitions: [Int32] = []
        var accepting: [Bool] = []
        var next = 0
        while next < states.count {
            let threads = states[next]
            next += 1
            accepting.append(pattern.accepts(threads))
            for byte in 0..<128 {
                let after = pattern.step(threads, over: Unicode.Scalar(UInt8(byte)))
                if after.isEmpty {
                    transitions.append(-1)
                } else if let known = numbers[after] {
                    transitions.append(Int32(known))
                } else {
                    guard states.count < Self.maximumStates else { return nil }
                    numbers[after] = states.count
                    transitions.append(Int32(states.count))
                    states.append(after)
                }
            }
        }
        self.transitions = transitions
        self.accepting = accepting
    }

    /// Whether the whole of `text` matches; nil when it is not all ASCII.
    func matches(_ text: String) -> Bool? {
        let answer = text.utf8.withContiguousStorageIfAvailable { matches(UnsafeRawBufferPointer($0)) }
        return answer ?? nil
    }

    /// Whether the whole of `bytes` matches; nil when they are not all ASCII.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        var state = 0
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            let next = transitions[state &* 128 &+ Int(byte)]
            if next < 0 { return false }
            state = Int(next)
        }
        return accepting[state]
    }
}

/// What one position of a pattern accepts.
struct ScalarTest: Sendable {
    enum Item: Sendable {
        case range(ClosedRange<UInt32>)
        /// `\S`: anything but Unicode white space, as ICU reads it (the rewrite to ASCII covers lowercase `\s` only).
        case notWhiteSpace
        /// `\p{L}` and its kin: every general category whose name starts with the letter.
        case category(Character)
    }

    var items: [Item]
    var negated = false

    func accepts(_ scalar: Unicode.Scalar) -> Bool {
        items.contains { item in
            switch item {
            case let .range(range): return range.contains(scalar.value)
            case .notWhiteSpace: return !scalar.properties.isWhitespace
            case let .category(letter): return Self.majorCategory(scalar.properties.generalCategory) == letter
            }
        } != negated
    }

    /// `.` outside a class: anything but ICU's line terminators.
    static let anyButLineEnd = ScalarTest(
        items: [.range(0x0A...0x0D), .range(0x85...0x85), .range(0x2028...0x2029)], negated: true)
    static let word: [Item] = [.range(0x41...0x5A), .range(0x61...0x7A), .range(0x30...0x39), .range(0x5F...0x5F)]
    static let digit: [Item] = [.range(0x30...0x39)]
    static let space: [Item] = [.range(0x20...0x20), .range(0x09...0x0D)]

    private static func majorCategory(_ category: Unicode.GeneralCategory) -> Character {
        switch category {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: "L"
        case .nonspacingMark, .spacingMark, .enclosingMark: "M"
        case .decimalNumber, .letterNumber, .otherNumber: "N"
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: "P"
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: "S"
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: "Z"
        case .control, .format, .surrogate, .privateUse, .unassigned: "C"
        @unknown default: "C"
        }
    }
}

/// A parsed pattern, before it is laid out as a program.
indirect enum PatternNode {
    case test(ScalarTest)
    case sequence([PatternNode])
    case alternatives([PatternNode])
    case optional(PatternNode)
    case star(PatternNode)
    case plus(PatternNode)

    func emit(into program: inout [CompiledPattern.Instruction]) {
        switch self {
        case let .test(test):
            program.append(.scalar(test))
        case let .sequence(nodes):
            for node in nodes { node.emit(into: &program) }
        case let .alternatives(nodes):
            // split(first, rest) ... first ... jump(end), then the rest the same way.
            var jumps: [Int] = []
            for (index, node) in nodes.enumerated() {
                if index == nodes.count - 1 {
                    node.emit(into: &program)
                } else {
                    let split = program.count
                    program.append(.split(split + 1, 0))
                    node.emit(into: &program)
                    jumps.append(program.count)
                    program.append(.jump(0))
                    program[split] = .split(split + 1, program.count)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case let .optional(node):
            let split = program.count
            program.append(.split(split + 1, 0))
            node.emit(into: &program)
            program[split] = .split(split + 1, program.count)
        case let .star(node):
            let split = program.count
            program.append(.split(split + 1, 0))
            node.emit(into: &program)
            program.append(.jump(split))
            program[split] = .split(split + 1, program.count)
        case let .plus(node):
            let start = program.count
            node.emit(into: &program)
            program.append(.split(start, program.count + 1))
        }
    }
}

/// Reads the supported part of the regular expression language; anything else fails the parse.
struct PatternParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    mutating func parseWhole() -> PatternNode? {
        guard let node = parseAlternatives(), index == scalars.count else { return nil }
        return node
    }

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func parseAlternatives() -> PatternNode? {
        var branches: [PatternNode] = []
        while true {
            guard let branch = parseSequence() else { return nil }
            branches.append(branch)
            guard peek == "|" else { break }
            index += 1
        }
        return branches.count == 1 ? branches[0] : .alternatives(branches)
    }

    private mutating func parseSequence() -> PatternNode? {
        var items: [PatternNode] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            guard var atom = parseAtom() else { return nil }
            switch peek {
            case "?": atom = .optional(atom)
            case "*": atom = .star(atom)
            case "+": atom = .plus(atom)
            default:
                items.append(atom)
                continue
            }
            index += 1
            // Lazy and possessive forms, counted repeats and stacked quantifiers are outside the supported part.
            if let after = peek, "?*+{".unicodeScalars.contains(after) { return nil }
            items.append(atom)
        }
        return .sequence(items)
    }

    private mutating func parseAtom() -> PatternNode? {
        guard let scalar = peek else { return nil }
        index += 1
        switch scalar {
        case "(":
            if peek == "?" {
                guard index + 1 < scalars.count, scalars[index + 1] == ":" else { return nil }
                index += 2
            }
            guard let inner = parseAlternatives(), peek == ")" else { return nil }
            index += 1
            return inner
        case "[":
            return parseClass().map { .test($0) }
        case ".":
            return .test(.anyButLineEnd)
        case "\\":
            return parseEscape().map { .test(ScalarTest(items: $0)) }
        case "*", "+", "?", "{", "}", ")", "]", "^", "$":
            return nil
        default:
            return .test(ScalarTest(items: [.range(scalar.value...scalar.value)]))
        }
    }

    /// The items after a backslash (consumed already), inside or outside a class.
    private mutating func parseEscape() -> [ScalarTest.Item]? {
        guard let scalar = peek else { return nil }
        index += 1
        switch scalar {
        case "w": return ScalarTest.word
        case "d": return ScalarTest.digit
        case "s": return ScalarTest.space
        case "S": return [.notWhiteSpace]
        case "p":
            guard peek == "{", index + 2 < scalars.count, scalars[index + 2] == "}",
                  "LMNPSZC".unicodeScalars.contains(scalars[index + 1]) else { return nil }
            let letter = Character(scalars[index + 1])
            index += 3
            return [.category(letter)]
        default:
            // An escaped letter or digit names a class or a special character; only punctuation stands for itself.
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else { return nil }
            return [.range(scalar.value...scalar.value)]
        }
    }

    /// A bracket class after its `[`: ranges, single scalars and escapes; `-` first or last stands for itself.
    /// An empty class and one that opens with `]` are outside the supported part.
    private mutating func parseClass() -> ScalarTest? {
        var test = ScalarTest(items: [])
        if peek == "^" {
            test.negated = true
            index += 1
        }
        guard peek != "]" else { return nil }
        while let scalar = peek {
            index += 1
            switch scalar {
            case "]":
                return test
            case "\\":
                guard let items = parseEscape() else { return nil }
                test.items += items
            case "[", "&":
                // Nested sets and set operations are outside the supported part.
                return nil
            default:
                if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                    let upper = scalars[index + 1]
                    guard upper != "\\", upper != "[", scalar.value <= upper.value else { return nil }
                    index += 2
                    test.items.append(.range(scalar.value...upper.value))
                } else {
                    test.items.append(.range(scalar.value...scalar.value))
                }
            }
        }
        return nil
    }
}
