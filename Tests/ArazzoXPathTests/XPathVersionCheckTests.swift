import ArazzoXPath
import Testing

private let sample = Array("<pets><pet id=\"1\" born=\"2019\"><name>Tom</name></pet><pet id=\"2\"><name>Rex</name></pet></pets>".utf8)

/// Valid XPath 1.0 that must never be reported as a later construct: names that are 2.0
/// keywords in operand position, `div`/`mod`/`and`/`or`, `*` both ways, commas in calls, `!=`.
private let version1Expressions = [
    "/pets/pet", "//pet[@id='1']/name", "count(//pet) > 1", "count(/pets/pet) * 2 = 4",
    "/pets/*", "//*[local-name()='pet']", "/a/div", "/a/eq", "/a/to/for", "child::div",
    "//if", "/a/some", "/a/every[@is]", "/a/instance/of", "5 div 2", "7 mod 3 = 1",
    "//pet[1] and //pet[2]", "//pet[1] or //pet[9]", "concat('a', 'b', name(/pets))",
    "substring('abcdef', 2, 3)", "translate(name, 'abc', 'ABC')", "//pet[@id != '2']",
    "not(//pet[@id='3'])", "string-length(//pet[1]/name) > 2", "//pet[position() = last()]",
    "//text()", "//node()", "//comment()", "//processing-instruction('x')", "-1 < 0",
    "2 * * ", "//pet[name = \"Tom\"]", "sum(//pet/@id) = 3", "//pet | //name", "..",
    "ancestor-or-self::*", "//pet[@born > 2000]", "number(//pet/@born) >= 2019",
    "'it' = 'it'", "1 < 2", "@id <= 2", "self::node()", "//a-b/c.d", "ns:pet/ns:name",
    "//ns:*", "boolean(id('x'))", "lang('en')", "round(2.5) = 3", "floor(1.5) + ceiling(1.5)",
]

@Test("valid XPath 1.0 is never reported as needing a later version", arguments: version1Expressions)
func version1IsAccepted(_ expression: String) {
    #expect(XPath.laterVersionFeatures(in: expression, laterSemantics: false) == [])
}

@Test("later constructs are named with the version that introduced them", arguments: [
    ("matches(//name, '^T')", "the function `matches()`", "2.0", 0),
    ("string-join(//name, ',')", "the function `string-join()`", "2.0", 0),
    ("upper-case(//name) = 'TOM'", "the function `upper-case()`", "2.0", 0),
    ("exists(//pet)", "the function `exists()`", "2.0", 0),
    ("if (//pet) then 1 else 0", "an `if (…) then … else …` expression", "2.0", 0),
    ("for $p in //pet return $p/name", "a `for` expression", "2.0", 0),
    ("let $p := //pet return count($p)", "a `let` expression", "3.0", 0),
    ("some $p in //pet satisfies $p/@id = '1'", "a quantified `some` expression", "2.0", 0),
    ("every $p in //pet satisfies $p/name", "a quantified `every` expression", "2.0", 0),
    ("(1, 2, 3)", "a sequence built with `,`", "2.0", 2),
    ("//pet[1, 2]", "a sequence built with `,`", "2.0", 7),
    ("//pet instance of element()", "an `instance of` expression", "2.0", 6),
    ("//pet/@id cast as xs:integer", "a `cast as` expression", "2.0", 10),
    ("//pet/@id castable as xs:integer", "a `castable as` expression", "2.0", 10),
    ("//name treat as node()", "a `treat as` expression", "2.0", 7),
    ("//name || 'x'", "the string concatenation operator `||`", "3.0", 7),
    ("//pet ! name", "the simple map operator `!`", "3.0", 6),
    ("//name => upper-case()", "the arrow operator `=>`", "3.1", 7),
    ("count(1 to 5)", "the range expression `to`", "2.0", 8),
    ("//pet[1]/@id eq '1'", "the value comparison `eq`", "2.0", 13),
    ("count(//pet) gt 1", "the value comparison `gt`", "2.0", 13),
    ("//pet[1] is //pet[1]", "the node comparison `is`", "2.0", 9),
    ("//pet[1] << //pet[2]", "the node comparison `<<`", "2.0", 9),
    ("//pet intersect //pet[1]", "the set operator `intersect`", "2.0", 6),
    ("//pet except //pet[1]", "the set operator `except`", "2.0", 6),
    ("//pet union //name", "the set operator `union`", "2.0", 6),
    ("7 idiv 2", "the integer division `idiv`", "2.0", 2),
    ("xs:date('2020-01-01')", "the typed constructor `xs:date()`", "2.0", 0),
    ("fn:count(//pet)", "the `fn:` namespace (`fn:count()`)", "2.0", 0),
    ("math:pi()", "the function `math:pi()`", "3.0", 0),
    ("map:keys($m)", "the function `map:keys()`", "3.1", 0),
    ("//pet (: the pets :)", "a comment `(: … :)`", "2.0", 6),
    ("//name = 'it''s'", "a doubled quote inside a string literal (an escaped quote)", "2.0", 9),
    ("head(//pet)", "the function `head()`", "3.0", 0),
    ("parse-json('{}')", "the function `parse-json()`", "3.1", 0),
    ("function($x) { $x }", "an inline function `function(…) { … }`", "3.0", 0),
    ("//pet/element()", "the kind test `element()`", "2.0", 6),
    ("upper-case#1", "a named function reference `name#arity`", "3.0", 10),
    ("$m?key", "the lookup operator `?`", "3.1", 2),
] as [(String, String, String, Int)])
func laterConstructs(_ expression: String, _ construct: String, _ version: String, _ offset: Int) {
    let first = XPath.laterVersionFeatures(in: expression).first
    #expect(first?.construct == construct)
    #expect(first?.version == version)
    #expect(first?.offset == offset)
    #expect(first?.isSemanticDifference == false)
}

@Test("a relational comparison with a string literal is a semantic difference only under 2.0+")
func stringComparison() {
    let found = XPath.laterVersionFeatures(in: "//pet/@born >= '2000'")
    #expect(found.count == 1)
    #expect(found.first?.isSemanticDifference == true)
    #expect(found.first?.offset == 12)
    #expect(XPath.laterVersionFeatures(in: "//pet/@born >= '2000'", laterSemantics: false) == [])
    // Equality and numeric comparisons read the same in every version.
    #expect(XPath.laterVersionFeatures(in: "//pet/@born = '2019'") == [])
    #expect(XPath.laterVersionFeatures(in: "//pet/@born > 2000") == [])
}

@Test("other 1.0 expressions whose 2.0+ meaning differs are refused under 2.0+ only", arguments: [
    ("//flag = true()", 7), ("false() != //flag", 8), ("'1' = 1", 4), ("1 != '1'", 2),
    ("count(//pet) div 0 > 1", 13), ("count(//pet) mod 0.0", 13),
] as [(String, Int)])
func otherSemanticDifferences(_ expression: String, _ offset: Int) {
    let found = XPath.laterVersionFeatures(in: expression)
    #expect(found.map(\.offset) == [offset])
    #expect(found.first?.isSemanticDifference == true)
    #expect(XPath.laterVersionFeatures(in: expression, laterSemantics: false) == [])
}

@Test("comparisons that agree across versions are not refused", arguments: [
    "boolean(//flag) = true()", "count(//pet) div 2", "count(//pet) div 10", "//pet[@id = 1]", "'a' = 'A'",
    "not(//flag)", "//pet[2] != //pet[1]", "true() = not(//x)", "contains(//a, 'b') != false()",
])
func agreeingComparisons(_ expression: String) {
    #expect(XPath.laterVersionFeatures(in: expression) == [])
}

@Test("validate and evaluate refuse later constructs with a message naming them")
func refusedWithNamedConstruct() {
    let problem = XPath.validate("matches(//name, '^T')", version: "xpath-31")
    #expect(problem?.kind == .unsupportedVersion)
    #expect(problem?.offset == 0)
    #expect(problem?.message.contains("the function `matches()`") == true)
    #expect(problem?.message.contains("needs XPath 2.0") == true)

    let declared10 = XPath.validate("//name || 'x'", version: "xpath-10")
    #expect(declared10?.message.hasPrefix("the string concatenation operator `||` (offset 7) is XPath 3.0, not XPath 1.0") == true)

    switch XPath.evaluate("//pet/@born >= '2000'", xml: sample, version: "xpath-30") {
    case .success(let value): Issue.record("evaluated to \(value) instead of being refused")
    case .failure(let error):
        #expect(error.kind == .unsupportedVersion)
        #expect(error.message.contains("means something else in XPath 2.0"))
    }
    // The same expression declared as XPath 1.0 means what libxml2 computes.
    #expect(XPath.evaluate("//pet/@born >= '2000'", xml: sample, version: "xpath-10") == .success(.boolean(true)))
    #expect(XPath.evaluate("count(//pet) = 2", xml: sample, version: "xpath-31") == .success(.boolean(true)))
}

@Test("the scan survives hostile input")
func hostileInput() {
    _ = XPath.laterVersionFeatures(in: String(repeating: "* ", count: 50_000))
    _ = XPath.laterVersionFeatures(in: String(repeating: "(", count: 50_000))
    _ = XPath.laterVersionFeatures(in: String(repeating: ")", count: 50_000))
    _ = XPath.laterVersionFeatures(in: "'unterminated")
    _ = XPath.laterVersionFeatures(in: "(: unterminated")
    _ = XPath.laterVersionFeatures(in: "")
}
