/// Applies ``TextEdit``s to a file's text: the engine behind `arazzo-run fix`.
///
/// Positions are lines and Unicode-scalar columns (what every ``SourceRange`` holds); they are
/// turned into offsets against the very text being edited, so a CRLF file keeps its CRLFs and every
/// byte outside the edited ranges stays as it was.
package enum TextEditing {
    /// What applying a set of edits did.
    package struct Outcome: Sendable, Hashable {
        /// The edited text.
        package var text: String
        /// How many edits were applied.
        package var applied: Int
        /// Edits left out because they overlapped an earlier one or pointed outside the text; a
        /// second `fix` run picks up what is still wrong.
        package var skipped: [TextEdit]
    }

    /// Applies `edits` to `text`. Edits are applied from the end of the text backwards so earlier
    /// positions stay valid; of two overlapping edits, the one that starts first wins. Identical
    /// edits (the same fix-it reported twice) count once.
    package static func apply(_ edits: [TextEdit], to text: String) -> Outcome {
        let scalars = Array(text.unicodeScalars)
        let lineStarts = Self.lineStarts(scalars)
        func offset(_ p: SourcePosition) -> Int? {
            guard p.line >= 1, p.line <= lineStarts.count, p.column >= 1 else { return nil }
            let start = lineStarts[p.line - 1]
            let lineEnd = p.line < lineStarts.count ? lineStarts[p.line] : scalars.count
            let o = start + p.column - 1
            return o <= lineEnd ? o : nil
        }
        var unique: [TextEdit] = []
        var seen: Set<TextEdit> = []
        for edit in edits where seen.insert(edit).inserted { unique.append(edit) }
        var resolved: [(lower: Int, upper: Int, edit: TextEdit)] = []
        var skipped: [TextEdit] = []
        for edit in unique {
            guard let lower = offset(edit.range.start), let upper = offset(edit.range.end), lower <= upper else {
                skipped.append(edit)
                continue
            }
            resolved.append((lower, upper, edit))
        }
        resolved.sort { ($0.lower, $0.upper) < ($1.lower, $1.upper) }
        var accepted: [(lower: Int, upper: Int, edit: TextEdit)] = []
        for candidate in resolved {
            if let last = accepted.last, candidate.lower < last.upper || (candidate.lower == last.lower && last.lower == last.upper && candidate.lower == candidate.upper) {
                skipped.append(candidate.edit)
                continue
            }
            accepted.append(candidate)
        }
        var out = String.UnicodeScalarView()
        var cursor = 0
        for item in accepted {
            out.append(contentsOf: scalars[cursor..<item.lower])
            out.append(contentsOf: item.edit.replacement.unicodeScalars)
            cursor = item.upper
        }
        out.append(contentsOf: scalars[cursor...])
        return Outcome(text: String(out), applied: accepted.count, skipped: skipped)
    }

    /// The scalar offset where each line starts; a line ends after `\n`, after `\r\n`, or after a
    /// lone `\r` (libyaml counts all three as breaks).
    package static func lineStarts(_ scalars: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\r" {
                if i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                starts.append(i + 1)
            } else if scalars[i] == "\n" {
                starts.append(i + 1)
            }
            i += 1
        }
        return starts
    }

    /// A unified diff (`diff -u` style, three lines of context) from `old` to `new`, or "" when
    /// they are equal. `path` names both sides (`--- a/path`, `+++ b/path`).
    package static func unifiedDiff(from old: String, to new: String, path: String) -> String {
        guard old != new else { return "" }
        let a = splitLines(old)
        let b = splitLines(new)
        // Trim the common head and tail; fix-its touch a few lines of large files, so the
        // quadratic table below only sees the changed middle.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let midA = Array(a[head..<(a.count - tail)])
        let midB = Array(b[head..<(b.count - tail)])
        enum Op { case same(Int, Int), del(Int), ins(Int) }
        var ops: [Op] = []
        for i in 0..<head { ops.append(.same(i, i)) }
        if midA.count * midB.count <= 4_000_000 {
            var lcs = Array(repeating: Array(repeating: 0, count: midB.count + 1), count: midA.count + 1)
            for i in stride(from: midA.count - 1, through: 0, by: -1) {
                for j in stride(from: midB.count - 1, through: 0, by: -1) {
                    lcs[i][j] = midA[i] == midB[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < midA.count || j < midB.count {
                if i < midA.count, j < midB.count, midA[i] == midB[j] {
                    ops.append(.same(head + i, head + j)); i += 1; j += 1
                } else if i < midA.count, j == midB.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                    // Deletions before insertions, as `diff -u` prints them.
                    ops.append(.del(head + i)); i += 1
                } else {
                    ops.append(.ins(head + j)); j += 1
                }
            }
        } else {
            for i in 0..<midA.count { ops.append(.del(head + i)) }
            for j in 0..<midB.count { ops.append(.ins(head + j)) }
        }
        for k in 0..<tail { ops.append(.same(a.count - tail + k, b.count - tail + k)) }

        // Lines of each side consumed before each op, for the hunk headers.
        var aBefore: [Int] = [], bBefore: [Int] = []
        var ai = 0, bi = 0
        for op in ops {
            aBefore.append(ai); bBefore.append(bi)
            switch op {
            case .same: ai += 1; bi += 1
            case .del: ai += 1
            case .ins: bi += 1
            }
        }
        func isChange(_ op: Op) -> Bool {
            if case .same = op { return false }
            return true
        }
        // Group the changes into hunks with three lines of context.
        let context = 3
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        var index = 0
        while index < ops.count {
            guard let firstChange = ops[index...].firstIndex(where: isChange) else { break }
            let start = max(index, firstChange - context)
            var lastChange = firstChange
            var k = firstChange + 1
            while k < ops.count {
                if isChange(ops[k]) { lastChange = k } else if k - lastChange > 2 * context { break }
                k += 1
            }
            let end = min(ops.count, lastChange + context + 1)
            var aCount = 0, bCount = 0
            var body = ""
            for op in ops[start..<end] {
                switch op {
                case .same(let i, _):
                    aCount += 1; bCount += 1
                    body += " " + a[i] + "\n"
                case .del(let i):
                    aCount += 1
                    body += "-" + a[i] + "\n"
                case .ins(let j):
                    bCount += 1
                    body += "+" + b[j] + "\n"
                }
            }
            let aStart = aCount == 0 ? aBefore[start] : aBefore[start] + 1
            let bStart = bCount == 0 ? bBefore[start] : bBefore[start] + 1
            out += "@@ -\(aStart),\(aCount) +\(bStart),\(bCount) @@\n" + body
            index = end
        }
        return out
    }

    /// Lines without their terminators (a final terminator makes no extra empty line), split
    /// where ``lineStarts(_:)`` splits, so diffs and edits agree on what a line is.
    static func splitLines(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let starts = lineStarts(scalars)
        var lines: [String] = []
        for (k, start) in starts.enumerated() {
            let isLast = k + 1 == starts.count
            var end = isLast ? scalars.count : starts[k + 1]
            // Every line but the last ends with its break: `\n`, `\r\n` or `\r`.
            if !isLast {
                end -= 1
                if scalars[end] == "\n", end > start, scalars[end - 1] == "\r" { end -= 1 }
            }
            if isLast, start == end { break }
            lines.append(String(String.UnicodeScalarView(scalars[start..<end])))
        }
        return lines
    }
}
