/// A fast matcher for the patterns most schemas use: an optional `^`, a sequence of literals,
/// `.`, character classes (`[a-z0-9_]`, `[^…]`, `\d`, `\w`) each with an optional quantifier
/// (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), and an optional final `$`. Patterns outside that subset
/// (groups, alternation, `\s`, `\b`, lookaround, …) are left to ICU.
///
/// `NSRegularExpression` costs microseconds per call in bridging alone, which dominated validating
/// large bodies; this matcher runs on the string's scalars directly with ECMA-262 meanings (`.`
/// excludes line terminators, `\d`/`\w` are ASCII, `$` is the very end). Whether a match exists
/// does not depend on greediness, so lazy quantifiers are read as greedy.
struct SimplePattern: Sendable {
    private enum Atom: Sendable {
        case scalar(UInt32)
        case set([ClosedRange<UInt32>], negated: Bool)
        case any
    }
    private struct Piece: Sendable {
        let atom: Atom
        let min: Int
        let max: Int
    }

    private let anchoredStart: Bool
    private let anchoredEnd: Bool
    private let pieces: [Piece]
    /// The least number of scalars a match needs, to skip hopeless start positions.
    private let minimumLength: Int

    private static let digit: [ClosedRange<UInt32>] = [48...57]
    private static let word: [ClosedRange<UInt32>] = [48...57, 65...90, 95...95, 97...122]

    init?(_ source: String) {
        var scalars = Array(source.unicodeScalars.map(\.value))[...]
        anchoredStart = scalars.first == 94  // ^
        if anchoredStart { scalars = scalars.dropFirst() }
        var end = false
        if scalars.last == 36 {  // $, unless escaped
            var backslashes = 0
            var i = scalars.endIndex - 2
            while i >= scalars.startIndex, scalars[i] == 92 { backslashes += 1; i -= 1 }
            if backslashes % 2 == 0 {
                end = true
                scalars = scalars.dropLast()
            }
        }
        anchoredEnd = end
        var pieces: [Piece] = []
        var i = scalars.startIndex
        func escape(_ c: UInt32) -> Atom? {
            switch c {
            case 100: return .set(Self.digit, negated: false)  // d
            case 68: return .set(Self.digit, negated: true)  // D
            case 119: return .set(Self.word, negated: false)  // w
            case 87: return .set(Self.word, negated: true)  // W
            case 110: return .scalar(10)  // n
            case 116: return .scalar(9)  // t
            case 114: return .scalar(13)  // r
            default:
                // Escaped syntax characters stand for themselves; other escapes (\s, \b, \u, …) are ICU's.
                let literal: Set<UInt32> = Set("\\^$.|?*+()[]{}/-".unicodeScalars.map(\.value))
                return literal.contains(c) ? .scalar(c) : nil
            }
        }
        while i < scalars.endIndex {
            let c = scalars[i]
            i += 1
            var atom: Atom
            switch c {
            case 92:  // backslash
                guard i < scalars.endIndex, let escaped = escape(scalars[i]) else { return nil }
                atom = escaped
                i += 1
            case 46:
                atom = .any
            case 91:  // [
                var negated = false
                if i < scalars.endIndex, scalars[i] == 94 { negated = true; i += 1 }
                var ranges: [ClosedRange<UInt32>] = []
                var closed = false
                while i < scalars.endIndex {
                    var member = scalars[i]
                    i += 1
                    if member == 93 { closed = true; break }
                    if member == 92 {
                        guard i < scalars.endIndex else { return nil }
                        let e = scalars[i]
                        i += 1
                        switch e {
                        case 100, 119:
                            // `[\d-z]` reads differently across ECMA-262 modes; leave such classes to ICU.
                            if i < scalars.endIndex, scalars[i] == 45 { return nil }
                            ranges += e == 100 ? Self.digit : Self.word
                            continue
                        case 110: member = 10
                        case 116: member = 9
                        case 114: member = 13
                        default:
                            let literal: Set<UInt32> = Set("\\^$.|?*+()[]{}/-".unicodeScalars.map(\.value))
                            guard literal.contains(e) else { return nil }
                            member = e
                        }
                    }
                    if i + 1 < scalars.endIndex, scalars[i] == 45, scalars[i + 1] != 93 {  // a-b
                        let upper = scalars[i + 1]
                        guard upper != 92, upper >= member else { return nil }
                        ranges.append(member...upper)
                        i += 2
                    } else {
                        ranges.append(member...member)
                    }
                }
                guard closed, !ranges.isEmpty else { return nil }
                atom = .set(ranges, negated: negated)
            case 40, 41, 124, 42, 43, 63, 123, 125, 93, 36, 94:
                // Groups, alternation, a quantifier with nothing to repeat, stray anchors.
                return nil
            default:
                atom = .scalar(c)
            }
            var low = 1, high = 1
            if i < scalars.endIndex {
                switch scalars[i] {
                case 42: low = 0; high = Int.max; i += 1
                case 43: low = 1; high = Int.max; i += 1
                case 63: low = 0; high = 1; i += 1
                case 123:
                    var j = i + 1
                    func number() -> Int? {
                        let start = j
                        var n = 0
                        while j < scalars.endIndex, scalars[j] >= 48, scalars[j] <= 57, n < 100_000 {
                            n = n * 10 + Int(scalars[j] - 48)
                            j += 1
                        }
                        return j > start ? n : nil
                    }
                    guard let first = number() else { return nil }
                    low = first
                    high = first
                    if j < scalars.endIndex, scalars[j] == 44 {
                        j += 1
                        high = number() ?? Int.max
                    }
                    guard j < scalars.endIndex, scalars[j] == 125, high >= low else { return nil }
                    i = j + 1
                default:
                    break
                }
                if low != 1 || high != 1, i < scalars.endIndex, scalars[i] == 63 { i += 1 }  // lazy
                if i < scalars.endIndex, [42, 43, 63, 123].contains(scalars[i]) { return nil }
            }
            pieces.append(Piece(atom: atom, min: low, max: high))
        }
        self.pieces = pieces
        self.minimumLength = pieces.reduce(0) { $0 + $1.min }
    }

    private static func matches(_ atom: Atom, _ c: UInt32) -> Bool {
        switch atom {
        case .scalar(let s): return s == c
        case .any: return !(c == 10 || c == 13 || c == 0x2028 || c == 0x2029)
        case .set(let ranges, let negated):
            var inside = false
            for range in ranges where range.contains(c) {
                inside = true
                break
            }
            return inside != negated
        }
    }

    /// Whether the pattern matches somewhere in `text`; nil when the backtracking budget ran out
    /// (the caller then asks ICU).
    func search(_ text: String) -> Bool? {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars { scalars.append(s.value) }
        var budget = 200_000
        let lastStart = anchoredStart ? 0 : scalars.count - minimumLength
        guard lastStart >= 0 else { return false }
        for start in 0...lastStart {
            switch match(0, start, scalars, &budget) {
            case true?: return true
            case nil: return nil
            case false?: continue
            }
        }
        return false
    }

    private func match(_ p: Int, _ position: Int, _ text: [UInt32], _ budget: inout Int) -> Bool? {
        budget -= 1
        if budget < 0 { return nil }
        guard p < pieces.count else { return !anchoredEnd || position == text.count }
        let piece = pieces[p]
        var count = 0
        var pos = position
        while count < piece.max, pos < text.count, Self.matches(piece.atom, text[pos]) {
            count += 1
            pos += 1
        }
        guard count >= piece.min else { return false }
        while true {
            switch match(p + 1, position + count, text, &budget) {
            case true?: return true
            case nil: return nil
            case false?: break
            }
            if count == piece.min { return false }
            count -= 1
        }
    }
}
