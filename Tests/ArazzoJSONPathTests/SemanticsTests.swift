import ArazzoJSON
import ArazzoJSONPath
import Testing
import OrderedCollections

/// Evaluation rules beyond the compliance suite.
@Suite("JSONPath semantics")
struct SemanticsTests {
    @Test("numbers compare by value across integer and floating-point forms")
    func numbers() throws {
        let document: JSONValue = [1, 1.0, "1", 2.5, 9_007_199_254_740_993]
        #expect(try JSONPathQuery("$[?@ == 1]").values(document) == [1, 1.0])
        #expect(try JSONPathQuery("$[?@ == 1.0]").values(document) == [1, 1.0])
        #expect(try JSONPathQuery("$[?@ > 2 && @ < 3]").values(document) == [2.5])
        // 2^53 + 1 is exact as an integer and compares above 2^53.
        #expect(try JSONPathQuery("$[?@ > 9007199254740992]").values(document) == [9_007_199_254_740_993])
    }

    @Test("strings compare by Unicode scalars, not canonical equivalence")
    func strings() throws {
        let document: JSONValue = ["e\u{301}", "\u{E9}", "a", "b"]
        #expect(try JSONPathQuery("$[?@ == '\u{E9}']").select(document).map(\.path) == ["$[1]"])
        #expect(try JSONPathQuery("$[?@ < 'b']").values(document) == ["a"])
        #expect(try JSONPathQuery("$[?@ > 'e']").select(document).map(\.path) == ["$[0]", "$[1]"])
    }

    @Test("member names match scalar by scalar")
    func memberNames() throws {
        var members = JSONObject()
        members["\u{E9}"] = 1
        let document = JSONValue.object(members)
        #expect(try JSONPathQuery("$['\u{E9}']").values(document) == [1])
        #expect(try JSONPathQuery("$['e\u{301}']").values(document) == [])
        #expect(try JSONPathQuery("$[?@['e\u{301}']]").values([document]) == [])
    }

    @Test("normalized paths escape quotes, backslashes and control characters")
    func normalizedPaths() throws {
        var members = JSONObject()
        members["a'b"] = 1
        members["\\"] = 2
        members["\u{1}\n"] = 3
        members["☺"] = 4
        let paths = try JSONPathQuery("$.*").select(.object(members)).map(\.path)
        #expect(paths == [#"$['a\'b']"#, #"$['\\']"#, #"$['\u0001\n']"#, "$['☺']"])
    }

    @Test("an invalid regular expression makes match and search false, not an error")
    func invalidRegex() throws {
        let document: JSONValue = ["(", "a"]
        #expect(try JSONPathQuery("$[?match(@, '(')]").values(document) == [])
        #expect(try JSONPathQuery("$[?!search(@, '(')]").values(document) == ["(", "a"])
        #expect(try JSONPathQuery("$[?match(@, $[1])]").values(document) == ["a"])
    }

    @Test("I-Regexp: dot excludes only LF and CR", arguments: [
        ("a\u{2028}b", true), ("a\u{85}b", true), ("a\u{1F600}b", true), ("a\nb", false), ("a\rb", false),
    ])
    func dot(_ subject: String, _ matches: Bool) throws {
        let query = try JSONPathQuery("$[?match(@, 'a.b')]")
        #expect(query.values([.string(subject)]).count == (matches ? 1 : 0))
    }

    @Test("I-Regexp: syntax ICU accepts but I-Regexp does not is rejected", arguments: [
        #"\\d"#, #"\\w+"#, "[[:alpha:]]", "(?i)a", "a*+", "a{,3}", #"\\x41"#, "a**", #"\\p{IsBasicLatin}"#,
        "[]", "[b-a]", "(a", "a)", "{2}",
    ])
    func rejectsNonIRegexp(_ pattern: String) throws {
        // Each pattern also matches literally nothing in the subject, so "no match" proves rejection.
        let query = try JSONPathQuery("$[?!search(@, '\(pattern)')]")
        #expect(query.values(["a", "1", "aaa", "A"]) == ["a", "1", "aaa", "A"])
    }

    @Test("I-Regexp: character classes and category escapes", arguments: [
        ("[a-c]+", "abc", true), ("[^a-c]", "d", true), ("[^a-c]", "b", false), (#"\\p{Lu}"#, "Q", true),
        (#"\\p{Lu}"#, "q", false), (#"\\P{L}"#, "1", true), (#"[\\p{Nd}x]+"#, "1x2", true), (#"[\\^-]+"#, "^-", true),
        ("a|b", "b", true), ("(ab){2}", "abab", true), ("(ab){2}", "ab", false), (#"\\."#, ".", true),
        (#"\\."#, "x", false), ("[.]", "x", false), ("&&", "&&", true), ("[a&&b]", "&", true), ("[a&&b]", "c", false),
    ])
    func classes(_ pattern: String, _ subject: String, _ matches: Bool) throws {
        let query = try JSONPathQuery("$[?match(@, '\(pattern)')]")
        #expect(query.values([.string(subject)]).count == (matches ? 1 : 0))
    }

    @Test("catastrophic backtracking gives up and counts as no match instead of hanging")
    func backtrackingBudget() throws {
        let subject = JSONValue.string(String(repeating: "a", count: 40))
        #expect(try JSONPathQuery("$[?match(@, '(a*)*b')]").values([subject]) == [])
        #expect(try JSONPathQuery("$[?search(@, '(a|aa)+b')]").values([subject]) == [])
        #expect(try JSONPathQuery("$[?match(@, '(a*)*')]").values([subject]) == [subject])
    }

    @Test("match is anchored to the whole string; search is not")
    func anchoring() throws {
        let document: JSONValue = ["xaby", "ab"]
        #expect(try JSONPathQuery("$[?match(@, 'ab')]").values(document) == ["ab"])
        #expect(try JSONPathQuery("$[?search(@, 'ab')]").values(document) == ["xaby", "ab"])
        #expect(try JSONPathQuery("$[?search(@, '')]").values(document) == ["xaby", "ab"])
        #expect(try JSONPathQuery("$[?match(@, '')]").values(document) == [])
    }

    @Test("queries are equal by text and report whether they are singular")
    func queryIdentity() throws {
        let a = try JSONPathQuery("$.a[0]")
        #expect(a == (try JSONPathQuery("$.a[0]")))
        #expect(a != (try JSONPathQuery("$['a'][0]")))
        #expect(a.isSingular)
        #expect(!(try JSONPathQuery("$.a[*]")).isSingular)
        #expect(a.description == "$.a[0]")
    }
}

@Test("search and match find a match far into a long string (the backtracking guard is a time budget, not a tick count)")
func farMatchInLongString() throws {
    let subject = String(repeating: "a", count: 5_000) + "x" + String(repeating: "a", count: 100)
    let search = try JSONPathQuery("$[?search(@, 'x')]")
    #expect(search.select(.array([.string(subject)])).count == 1)
    let match = try JSONPathQuery("$[?match(@, 'a*xa*')]")
    #expect(match.select(.array([.string(subject)])).count == 1)
}
