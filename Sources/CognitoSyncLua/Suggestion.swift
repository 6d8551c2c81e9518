/// Finds the known name a mistyped one was probably meant to be.
enum Suggestion {
    /// The candidate within edit distance 2 of `name` (or equal ignoring case), closest first.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let lowered = name.lowercased()
        if let sameCase = candidates.first(where: { $0.lowercased() == lowered }) { return sameCase }
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(Array(lowered.unicodeScalars), Array(candidate.lowercased().unicodeScalars))
            if d <= 2 && d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    private static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var row = previous
        for i in 1...a.count {
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}
