/// Levenshtein distance between two scalar sequences, the measure behind every "did you mean"
/// suggestion. Callers bound the inputs (names are short; a hostile 1 MB name must not cost
/// a quadratic table), so this function computes the plain distance of what it is given.
public func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// Levenshtein distance, bounded by the short inputs it is used on (names, keywords).
package func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    // Names longer than any real one are simply "far"; no table is built for them.
    if !x.isEmpty, !y.isEmpty, x.count > 64 || y.count > 64 { return max(x.count, y.count) }
    return editDistance(x, y)
}

/// The closest candidate to `word`: an exact case-insensitive match first, then the smallest edit
/// distance within a third of the word's length (at least 1, at most 3). Package-wide so every
/// "did you mean" over names (expressions, `--secret-output`) chooses the same way.
package func suggest(_ word: String, among candidates: some Sequence<String>) -> String? {
    let lower = word.lowercased()
    var best: (String, Int)?
    for candidate in candidates {
        let c = candidate.lowercased()
        if c == lower { return candidate }
        let d = editDistance(lower, c)
        if let current = best, current.1 <= d { continue }
        best = (candidate, d)
    }
    guard let (candidate, distance) = best else { return nil }
    let limit = word.count <= 3 ? 1 : min(3, max(2, word.count / 3))
    return distance <= limit ? candidate : nil
}

