import ArazzoDiagnostics
import Testing

/// The one "did you mean" rule (docs/decisions.md D1), at its boundaries.
@Suite struct SuggestionTests {
    @Test("edit distance counts insertions, deletions and substitutions")
    func distance() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
        #expect(editDistance("abc", "abc") == 0)
        // Past 64 scalars a name is as far as its length: no table is built.
        let long = String(repeating: "a", count: 65)
        #expect(editDistance(long, long) == 65)
    }

    @Test("a case-only difference is offered first, even for a one-letter name")
    func caseOnly() {
        #expect(suggest("operationID", among: ["operationIs", "operationId"]) == "operationId")
        #expect(suggest("X", among: ["x"]) == "x")
        #expect(suggest("IN", among: ["in"]) == "in")
    }

    @Test("words of up to 3 characters get 1 edit, 4 get 2")
    func shortBoundary() {
        #expect(suggest("abc", among: ["abd"]) == "abd")
        #expect(suggest("abc", among: ["axy"]) == nil)
        #expect(suggest("abcd", among: ["abxy"]) == "abxy")
        #expect(suggest("abcd", among: ["axyz"]) == nil)
    }

    @Test("words of 8 characters get 2 edits, 9 get 3")
    func longBoundary() {
        #expect(suggest("abcdefgh", among: ["abcdefxy"]) == "abcdefxy")
        #expect(suggest("abcdefgh", among: ["abcdexyz"]) == nil)
        #expect(suggest("abcdefghi", among: ["abcdefxyz"]) == "abcdefxyz")
        #expect(suggest("abcdefghi", among: ["abcdewxyz"]) == nil)
    }

    @Test("a word or candidate under 3 characters is offered only for a case-only difference")
    func tinyNames() {
        #expect(suggest("in", among: ["id"]) == nil)
        #expect(suggest("ab", among: ["abc"]) == nil)
        #expect(suggest("abc", among: ["ab"]) == nil)
    }

    @Test("the nearest wins; ties keep the caller's order")
    func ties() {
        #expect(suggest("abcdef", among: ["abxyef", "abcdex"]) == "abcdex")
        #expect(suggest("abcd", among: ["abce", "abcf"]) == "abce")
        #expect(suggest("abcd", among: ["abcf", "abce"]) == "abcf")
        #expect(suggestions("abcd", among: ["abxy", "abcf", "abce", "abcd"]) == ["abcd", "abcf", "abce"])
        #expect(suggestions("abcd", among: ["abcf", "abcf"], limit: 3) == ["abcf"])
    }
}
