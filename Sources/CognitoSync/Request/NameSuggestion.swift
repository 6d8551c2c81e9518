/// Finds the known name a misspelt one was most likely meant to be, for "did you mean" hints on members,
/// client options and operation names.
public enum NameSuggestion {
    /// The member name a misspelt one most likely meant: equal ignoring case, or within two edits.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        if let caseMatch = candidates.first(where: { $0.lowercased() == name.lowercased() }) {
            return caseMatch
        }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(name, candidate)
            if distance <= 2 && distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Levenshtein distance over Unicode scalars.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars)
        let b = Array(rhs.unicodeScalars)
        if a.isEmpty || b.isEmpty {
            return max(a.count, b.count)
        }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
