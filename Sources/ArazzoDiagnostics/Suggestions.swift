/// Levenshtein distance between two names, the measure behind every "did you mean" (decision D1).
///
/// Names are short; a hostile 1 MB name must not cost a quadratic table, so a name longer than any
/// real one (64 scalars) is simply as far as its length.
package func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    if x.count > 64 || y.count > 64 { return max(x.count, y.count) }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// The candidates close enough to `word` to be a likely typo, nearest first, at most `limit` of
/// them: the one "did you mean" chooser of the package (decision D1).
///
/// Names are compared lowercased, so a case-only difference is distance 0 and always offered. Any
/// other difference is offered within 1 edit for a word of up to 3 characters, 2 edits for 4–8
/// and 3 edits for 9 or more; when the word or the candidate has fewer than 3 characters only a
/// case-only difference is offered (`in` is one edit away from far too many names to be a guess).
/// Candidates at the same distance keep the order they were given in.
package func suggestions(_ word: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
    let lower = word.lowercased()
    let length = word.count
    let allowed = length <= 3 ? 1 : length <= 8 ? 2 : 3
    var near: [(candidate: String, distance: Int)] = []
    var seen: Set<String> = []
    for candidate in candidates where seen.insert(candidate).inserted {
        let distance = editDistance(lower, candidate.lowercased())
        let bound = min(length, candidate.count) < 3 ? 0 : allowed
        if distance <= bound { near.append((candidate, distance)) }
    }
    // A stable sort: ties keep the caller's order.
    return near.enumerated()
        .sorted { ($0.element.distance, $0.offset) < ($1.element.distance, $1.offset) }
        .prefix(max(0, limit)).map(\.element.candidate)
}

/// The nearest candidate to `word` under ``suggestions(_:among:limit:)``'s rule, or nil when none
/// is close enough.
package func suggest(_ word: String, among candidates: some Sequence<String>) -> String? {
    suggestions(word, among: candidates, limit: 1).first
}
