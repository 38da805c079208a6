import ArazzoDiagnostics
import ArazzoRegex
import Testing

/// One `test()` expectation: pattern, flags, input, what JavaScript's `RegExp.prototype.test` gives.
struct MatchCase: CustomTestStringConvertible, Sendable {
    let pattern: String
    let flags: String
    let input: String
    let expected: Bool

    init(_ pattern: String, _ input: String, _ expected: Bool, flags: String = "") {
        self.pattern = pattern
        self.flags = flags
        self.input = input
        self.expected = expected
    }

    var testDescription: String { "/\(pattern)/\(flags) on \(input.debugDescription) → \(expected)" }
}

/// Every row of platform-notes §5, with the ECMA-262 answer.
let platformTableCases: [MatchCase] = [
    MatchCase("^ok-[0-9]+$", "ok-123", true),
    MatchCase("^\\d{3}$", "123", true),
    MatchCase("^(?<year>\\d{4})-(?<month>\\d{2})$", "2024-05", true),
    MatchCase("^(?<ch>[a-z])\\k<ch>$", "aa", true),
    MatchCase("^(?<ch>[a-z])\\k<ch>$", "ab", false),
    MatchCase("\\u0041", "xAx", true),
    MatchCase("foo(?=bar)", "foobar", true),
    MatchCase("foo(?=bar)", "foobaz", false),
    MatchCase("^application/(json|.*\\+json)$", "application/problem+json", true),
    MatchCase("^application/(json|.*\\+json)$", "application/xml", false),
    MatchCase("(?<=\\$)\\d+", "cost: $42", true),
    MatchCase("(?<=\\$)\\d+", "cost: 42", false),
    MatchCase("\\cJ", "a\nb", true),
    MatchCase("^\\d+$", "١٢٣", false),
    MatchCase("^\\w+$", "héllo", false),
    MatchCase("^\\w+$", "hello_1", true),
    MatchCase("^abc$", "abc\n", false),
    MatchCase("^abc$", "abc", true),
    MatchCase("^.$", "e\u{301}", false),
    MatchCase("^[^]$", "\n", true),
    MatchCase("a[^]c", "a\u{2028}c", true),
    MatchCase("[\\b]", "\u{8}", true),
    MatchCase("[\\b]", "b", false),
    MatchCase("\\u{41}", "A", true, flags: "u"),
]

/// ECMA-262 semantics the translator must get right beyond the table.
let semanticsCases: [MatchCase] = [
    // `.` excludes exactly \n \r U+2028 U+2029 — and nothing else — unless `s`.
    MatchCase("^a.c$", "a\nc", false),
    MatchCase("^a.c$", "a\rc", false),
    MatchCase("^a.c$", "a\u{2028}c", false),
    MatchCase("^a.c$", "a\u{2029}c", false),
    MatchCase("^a.c$", "a\u{85}c", true),
    MatchCase("^a.c$", "a\tc", true),
    MatchCase("^a.c$", "a\nc", true, flags: "s"),
    MatchCase("^.$", "\r\n", false, flags: "s"),
    // `^` / `$` are input anchors unless `m`; with `m` they also split at \r and U+2028.
    MatchCase("^b", "a\nb", false),
    MatchCase("^b", "a\nb", true, flags: "m"),
    MatchCase("a$", "a\nb", false),
    MatchCase("a$", "a\nb", true, flags: "m"),
    MatchCase("^b$", "a\rb\rc", true, flags: "m"),
    MatchCase("^b$", "a\u{2028}b", true, flags: "m"),
    MatchCase("^$", "a\r\nb", true, flags: "m"),
    // \s is the ECMA set: includes U+FEFF and U+00A0, excludes U+0085 and U+180E.
    MatchCase("^\\s$", "\u{FEFF}", true),
    MatchCase("^\\s$", "\u{A0}", true),
    MatchCase("^\\s$", "\u{0B}", true),
    MatchCase("^\\s$", "\u{85}", false),
    MatchCase("^\\s$", "\u{180E}", false),
    MatchCase("^\\S$", "\u{85}", true),
    MatchCase("^\\S$", " ", false),
    MatchCase("^[\\s]$", "\u{3000}", true),
    MatchCase("^\\D+$", "abc", true),
    MatchCase("^\\D$", "٣", true),
    MatchCase("^\\D$", "3", false),
    MatchCase("^\\W$", "é", true),
    MatchCase("^\\W$", "_", false),
    MatchCase("^[\\W\\d]+$", "é3", true),
    MatchCase("^[^\\d]$", "٣", true),
    MatchCase("^[^\\w]$", "a", false),
    // \b uses the ASCII word set.
    MatchCase("\\bcafé\\b", "a café", false),
    MatchCase("\\bcat\\b", "a cat!", true),
    MatchCase("\\bcat\\b", "concat", false),
    MatchCase("\\Bcat", "concat", true),
    MatchCase("é\\b", "é", false),
    // Escapes.
    MatchCase("\\x41\\u0042", "AB", true),
    MatchCase("\\uD83D\\uDE00", "😀", true),
    MatchCase("^\\u{1F600}$", "😀", true, flags: "u"),
    MatchCase("\\v", "\u{0B}", true),
    MatchCase("\\v", "\n", false),
    MatchCase("\\0", "\u{0}", true),
    MatchCase("\\cj", "\n", true),
    MatchCase("\\/", "a/b", true),
    MatchCase("a\\.b", "a.b", true),
    MatchCase("a\\.b", "axb", false),
    MatchCase("\\q", "q", true),
    MatchCase("\\A", "A", true),
    MatchCase("[\\cJ]", "\n", true),
    MatchCase("\\101", "A", true),
    MatchCase("\\8", "8", true),
    MatchCase("\\c", "\\c", true),
    MatchCase("a{,3}", "a{,3}", true),
    MatchCase("x{", "x{", true),
    MatchCase("]", "]", true),
    MatchCase("\\p{L}", "p{L}", true),
    MatchCase("^\\p{L}+$", "héllo", true, flags: "u"),
    MatchCase("^\\P{L}$", "1", true, flags: "u"),
    MatchCase("^\\p{Script=Greek}$", "α", true, flags: "u"),
    // Classes: ICU set syntax must never leak through.
    MatchCase("^[a&&b]+$", "a&b", true),
    MatchCase("^[+--]+$", "+,-", true),
    MatchCase("^[a-]+$", "a-", true),
    MatchCase("^[[a]+$", "[a", true),
    MatchCase("^[a-c]+$", "abc", true),
    MatchCase("^[a\\-c]+$", "a-c", true),
    MatchCase("^[a\\-c]+$", "b", false),
    MatchCase("^[\\d-z]+$", "1-z", true),
    MatchCase("^[$^]+$", "$^", true),
    MatchCase("[]", "anything", false),
    MatchCase("^[]*a$", "a", true),
    MatchCase("x[]?y", "xy", true),
    MatchCase("^[^a]$", "\n", true),
    MatchCase("^[.]$", "x", false),
    // Groups, alternation, quantifiers, back-references.
    MatchCase("^(a|b)+$", "abba", true),
    MatchCase("^(?:ab){2}$", "abab", true),
    MatchCase("^a{2,3}$", "aaaa", false),
    MatchCase("^a{2,}$", "aaaa", true),
    MatchCase("^a+?b$", "aaab", true),
    MatchCase("^(a)\\1$", "aa", true),
    MatchCase("^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10$", "abcdefghijj", true),
    MatchCase("^(a)\\10$", "a\u{8}", true),
    MatchCase("(?<!\\$)\\b\\d+", "$5 and 7", true),
    MatchCase("foo(?!bar)", "foobar", false),
    // Empty alternatives and groups, and \B on the empty string.
    MatchCase("a|", "xyz", true),
    MatchCase("^(|b)c$", "c", true),
    MatchCase("^()(?:)$", "", true),
    MatchCase("\\B", "", true),
    MatchCase("\\b", "", false),
    MatchCase("^[\\d-]+$", "1-2", true),
    MatchCase("^[-a]+$", "-a", true),
    // A reference to a group that has not captured matches the empty string.
    MatchCase("^(?:(a)|b)\\1$", "b", true),
    MatchCase("^(a)?\\1b$", "b", true),
    MatchCase("^\\1(a)$", "a", true),
    MatchCase("^(a\\1)$", "a", true),
    MatchCase("^(a)|\\1x$", "x", true),
    MatchCase("^(a)\\1$", "ab", false),
    MatchCase("^(?<n>x)?\\k<n>y$", "y", true),
    MatchCase("^(?<n>x)?\\k<n>y$", "xxy", true),
    MatchCase("^(?<n>x)?\\k<n>y$", "xy", false),
    MatchCase("^\\1+(a)$", "a", true),
    // Annex B: a lookahead may be quantified; minimum 0 makes it optional, 1+ makes it required.
    MatchCase("^(?=a)*b", "b", true),
    MatchCase("^(?=a)+b", "b", false),
    MatchCase("^(?=a){2}a", "a", true),
    MatchCase("^(?!a)?a", "a", true),
    MatchCase("x(?=a)+?|$", "q", true),
    // Search, not whole match.
    MatchCase("b", "abc", true),
    MatchCase("B", "abc", false),
    // Flags.
    MatchCase("B", "abc", true, flags: "i"),
    MatchCase("^[a-z]+$", "ABC", true, flags: "i"),
    MatchCase("b", "abc", false, flags: "y"),
    MatchCase("a", "abc", true, flags: "y"),
    MatchCase("b", "abc", true, flags: "g"),
    MatchCase("b", "abc", true, flags: "dgimsu"),
]

@Test("platform-notes §5 table rows give the ECMA-262 result", arguments: platformTableCases)
func platformTable(_ c: MatchCase) throws {
    let regex = try ECMARegex(c.pattern, flags: c.flags)
    #expect(regex.test(c.input) == c.expected)
}

@Test("ECMA-262 semantics beyond the table", arguments: semanticsCases)
func semantics(_ c: MatchCase) throws {
    let regex = try ECMARegex(c.pattern, flags: c.flags)
    #expect(regex.test(c.input) == c.expected)
}

/// A pattern ECMA-262 (or this implementation) rejects, with the expected error.
struct SyntaxCase: CustomTestStringConvertible, Sendable {
    let pattern: String
    let flags: String
    let offset: Int
    let message: String

    init(_ pattern: String, flags: String = "", offset: Int, _ message: String) {
        self.pattern = pattern
        self.flags = flags
        self.offset = offset
        self.message = message
    }

    var testDescription: String { "/\(pattern)/\(flags)" }
}

let syntaxCases: [SyntaxCase] = [
    SyntaxCase("a*+", offset: 2, "possessive quantifiers (`x*+`) are not ECMA-262; remove the `+`"),
    SyntaxCase("a**", offset: 2, "nothing to repeat: a quantifier cannot follow another quantifier"),
    SyntaxCase("(?i)abc", offset: 0,
        "`(?` must be followed by `:`, `=`, `!`, `<=`, `<!` or `<name>`; inline flags and other ICU/PCRE group syntax are not ECMA-262"),
    SyntaxCase("x(?>a)", offset: 1,
        "`(?` must be followed by `:`, `=`, `!`, `<=`, `<!` or `<name>`; inline flags and other ICU/PCRE group syntax are not ECMA-262"),
    SyntaxCase("ab[[:alpha:]]", offset: 3,
        "POSIX classes like `[[:alpha:]]` are not ECMA-262; write the range, e.g. `[A-Za-z]`"),
    SyntaxCase("\\u{41}", offset: 0, "`\\u{…}` needs the `u` flag; without it write `\\uXXXX`"),
    SyntaxCase("\\u{110000}", flags: "u", offset: 0, "`\\u{…}` value is above U+10FFFF"),
    SyntaxCase("*a", offset: 0, "nothing to repeat before `*`"),
    SyntaxCase("a|?", offset: 2, "nothing to repeat before `?`"),
    SyntaxCase("{2}", offset: 0, "nothing to repeat before `{2}`"),
    SyntaxCase("^*", offset: 1, "an assertion cannot be repeated"),
    SyntaxCase("(?<=a)*", offset: 6, "an assertion cannot be repeated"),
    SyntaxCase("(?=a)*", flags: "u", offset: 5, "an assertion cannot be repeated"),
    SyntaxCase("a{3,1}", offset: 1, "numbers out of order in `{3,1}` quantifier"),
    SyntaxCase("[z-a]", offset: 1, "range out of order in character class"),
    SyntaxCase("[a--b]", offset: 1, "range out of order in character class"),
    SyntaxCase("(ab", offset: 3, "missing `)`: a group is not closed"),
    SyntaxCase("ab)", offset: 2, "unmatched `)`; escape it as `\\)` to match a parenthesis"),
    SyntaxCase("ab[cd", offset: 2, "missing `]`: a character class is not closed"),
    SyntaxCase("ab\\", offset: 2, "`\\` at end of pattern"),
    SyntaxCase("(?<n>a)(?<n>b)", offset: 10, "duplicate group name `n`"),
    SyntaxCase("(?<1x>a)", offset: 3, "`1x` is not a valid group name"),
    SyntaxCase("(?<n>a)\\k<m>", offset: 7, "`\\k<m>` refers to a group name that does not exist"),
    SyntaxCase("\\2(a)", flags: "u", offset: 0, "back-reference \\2 refers to a group that does not exist"),
    SyntaxCase("\\q", flags: "u", offset: 0, "`\\q` is not a valid escape with the `u` flag"),
    SyntaxCase("a{", flags: "u", offset: 1, "lone `{`; escape it as `\\{`"),
    SyntaxCase("]", flags: "u", offset: 0, "lone `]`; escape it as `\\]`"),
    SyntaxCase("[\\d-z]", flags: "u", offset: 4, "a class escape like `\\d` cannot be a range endpoint"),
    SyntaxCase("\\c1", flags: "u", offset: 0, "`\\c` must be followed by a letter A–Z"),
    // Offsets count Characters, so a decomposed `é` before the error counts once.
    SyntaxCase("e\u{301}é*+", offset: 3, "possessive quantifiers (`x*+`) are not ECMA-262; remove the `+`"),
    SyntaxCase("(?<=a+)b", offset: 0,
        "the platform regex engine (ICU) cannot compile this pattern; lookbehind must have a bounded length on this platform"),
    SyntaxCase("a", flags: "ii", offset: 0, "flag `i` is given twice"),
    SyntaxCase("a", flags: "x", offset: 0, "unknown flag `x`; ECMA-262 flags are d, g, i, m, s, u, y"),
    SyntaxCase("a", flags: "v", offset: 0, "the `v` (unicodeSets) flag is not supported; use `u`"),
]

@Test("syntax errors carry a message and a Character offset", arguments: syntaxCases)
func syntaxErrors(_ c: SyntaxCase) {
    #expect(throws: RegexSyntaxError(message: c.message, offset: c.offset)) {
        _ = try ECMARegex(c.pattern, flags: c.flags)
    }
}

@Test("translated patterns spell the ECMA sets out explicitly")
func translatedPatterns() throws {
    #expect(try ECMARegex("^\\d$").translatedPattern == "^[0-9]\\z")
    #expect(try ECMARegex("\\w").translatedPattern == "[A-Za-z0-9_]")
    #expect(try ECMARegex("[\\b]").translatedPattern == "[\\x{8}]")
    #expect(try ECMARegex("[^]").translatedPattern == "[\\s\\S]")
    #expect(try ECMARegex("(?<n>a)\\k<n>").translatedPattern == "(a())(?:\\2\\1|(?!\\2))")
    #expect(try ECMARegex("\\1(a)").translatedPattern == "(?:)(a())")
    #expect(try ECMARegex(".").translatedPattern == "[^\\x{0A}\\x{0D}\\x{2028}\\x{2029}]")
}

@Test("inputs above the length cap are not searched")
func inputCap() throws {
    let regex = try ECMARegex("a")
    let long = String(repeating: "b", count: ECMARegex.maximumInputLength) + "a"
    #expect(regex.test(String(long.dropFirst())))
    #expect(!regex.test(long))
    #expect(
        regex.evaluate(long)
            == .failure(RegexMatchError(
                kind: .inputTooLong,
                message: "the input is 1048577 UTF-16 units long; regex conditions search at most 1048576")))
}

@Test("overlong patterns are refused")
func patternCap() throws {
    #expect(throws: Never.self) { try ECMARegex(String(repeating: "a", count: ECMARegex.maximumPatternLength)) }
    #expect(throws: RegexSyntaxError(message: "the pattern is longer than 65536 characters", offset: 65536)) {
        try ECMARegex(String(repeating: "a", count: ECMARegex.maximumPatternLength + 1))
    }
}

@Test("catastrophic backtracking is abandoned at the time limit instead of hanging")
func backtrackingLimit() throws {
    let regex = try ECMARegex("^(a+)+$")
    let hostile = String(repeating: "a", count: 40) + "!"
    // A zero budget stops at the engine's first progress report, which a search of 2^40 paths
    // always reaches: no dependence on machine speed.
    #expect(
        regex.evaluate(hostile, timeLimit: .zero)
            == .failure(RegexMatchError(
                kind: .timeLimitExceeded,
                message: "the search for /^(a+)+$/ was abandoned after 0.0 seconds; the pattern backtracks too much on this input")))
    #expect(regex.evaluate("aaa") == .success(true))
    #expect(regex.evaluate("aab") == .success(false))
}

@Test("equality and hashing follow pattern and flags")
func equality() throws {
    #expect(try ECMARegex("a", flags: "i") == ECMARegex("a", flags: "i"))
    #expect(try ECMARegex("a", flags: "i") != ECMARegex("a"))
    #expect(try Set([ECMARegex("a"), ECMARegex("a"), ECMARegex("b")]).count == 2)
    #expect(RegexSyntaxError(message: "m", offset: 3).description == "m (at offset 3)")
}

@Test("a compiled expression is usable from concurrent tasks")
func concurrentUse() async throws {
    let regex = try ECMARegex("^ok-\\d+$")
    let results = await withTaskGroup(of: Bool.self) { group in
        for index in 0..<32 {
            group.addTask { regex.test("ok-\(index)") }
        }
        var all: [Bool] = []
        for await result in group { all.append(result) }
        return all
    }
    #expect(results.count == 32 && results.allSatisfy { $0 })
}

@Test("agrees with a reference ECMA-262 engine on recorded random patterns", arguments: recordedCases.indices)
func recorded(_ index: Int) {
    let recorded = recordedCases[index]
    guard let expected = recorded.results else {
        #expect(throws: RegexSyntaxError.self, "/\(recorded.pattern)/\(recorded.flags) must be rejected") {
            _ = try ECMARegex(recorded.pattern, flags: recorded.flags)
        }
        return
    }
    do {
        let regex = try ECMARegex(recorded.pattern, flags: recorded.flags)
        for (input, want) in zip(recorded.inputs, expected) {
            #expect(regex.test(input) == want, "/\(recorded.pattern)/\(recorded.flags) on \(input.debugDescription)")
        }
    } catch {
        Issue.record("/\(recorded.pattern)/\(recorded.flags) rejected: \(error)")
    }
}
