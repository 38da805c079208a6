import ArazzoExpressions
import ArazzoJSON
import ArazzoJSONPath
import Testing
import ArazzoDiagnostics

/// Issue 11: `jsonpath` conditions written as comparisons (A28) and Goessner JSONPath (A9).
@Suite("Lenient JSONPath conditions")
struct LenientJSONPathTests {
    static let goessner = "draft-goessner-dispatch-jsonpath-00"

    static func criterion(_ condition: String, version: String? = nil) -> CompiledCriterion {
        CompiledCriterion(condition: condition, context: "$response.body", type: "jsonpath", version: version)
    }

    static func passes(_ c: CompiledCriterion, _ body: JSONValue) -> Bool {
        c.evaluate(in: ExpressionValues(responseBody: body)).passed
    }

    static let bodies: [JSONValue] = [
        ["status": "done", "count": 3, "name": "Rex"],
        ["status": "open", "count": 1],
        ["status": .null, "count": .null],
        ["status": ["done"], "count": "3"],
        ["deleted": true, "status": "done"],
        ["deleted": false],
        [:],
        [],
        ["done"],
        [["status": "done"]],
        "done",
        7,
        true,
    ]

    @Test(
        "a comparison condition runs as a filter on the context and its fix-it query agrees on every body",
        arguments: [
            "$.status == 'done'",
            "$.status == \"done\" && $.count > 1",
            "$.count >= 2",
            "$.count < 2 || $.status == 'done'",
            "$.status == null",
            "$.count <= 3",
            "length($.status) == 4",
            "match($.status, 'd.*')",
            "$.status == 'done' && !$.deleted",
            "($.status == 'done')",
        ])
    func comparisonWithFix(condition: String) throws {
        let c = Self.criterion(condition)
        #expect(c.isValid)
        let warning = try #require(c.issues.first)
        #expect(c.issues.count == 1)
        #expect(warning.code == "jsonpath-comparison")
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("passes when it selects at least one node"))
        #expect(!warning.message.contains("whitespace"))
        let fix = try #require(warning.fix)
        #expect(fix.text == "$[?\(condition)]")
        // The fix-it query compiles cleanly, as a real query, and gives the same verdicts.
        let fixed = Self.criterion(fix.text)
        #expect(fixed.issues.isEmpty)
        for body in Self.bodies {
            let filter = try JSONPathFilterExpression(condition)
            #expect(Self.passes(c, body) == filter.test(body), "\(body)")
            #expect(Self.passes(fixed, body) == Self.passes(c, body), "\(condition) on \(body)")
        }
    }

    @Test("verdicts of a comparison on sample bodies")
    func verdicts() {
        let c = Self.criterion("$.status == 'done' && $.count > 1")
        #expect(Self.passes(c, ["status": "done", "count": 3]))
        #expect(!Self.passes(c, ["status": "done", "count": 1]))
        #expect(!Self.passes(c, ["status": "done"]))
        #expect(!Self.passes(c, ["status": .null, "count": 3]))
        #expect(!Self.passes(c, [["status": "done", "count": 3]]))
        let v = c.evaluate(in: ExpressionValues(responseBody: ["status": "done", "count": 3]))
        #expect(v.explanation.contains("is true"))
    }

    @Test(
        "a comparison that can hold on a context without children warns without a fix-it",
        arguments: ["!$.deleted", "$.status != 'done'", "$.a == $.b", "count($.*) == 0", "$ == 7", "$.a || !$.b"])
    func comparisonWithoutFix(condition: String) throws {
        let c = Self.criterion(condition)
        #expect(c.isValid)
        let warning = try #require(c.issues.first)
        #expect(warning.code == "jsonpath-comparison")
        #expect(warning.fix == nil)
        #expect(warning.message.contains("no fix-it"))
        // `{}` makes these hold, yet no query other than `$` selects anything from `{}`.
        #expect(Self.passes(c, [:]) || condition == "$ == 7")
    }

    @Test("`!$.deleted` holds when the member is missing or false-y only by absence")
    func negation() {
        let c = Self.criterion("!$.deleted")
        #expect(Self.passes(c, ["status": "done"]))
        #expect(!Self.passes(c, ["deleted": false]))
        #expect(!Self.passes(c, ["deleted": .null]))
    }

    @Test("real queries stay queries, with no warning", arguments: ["$[?@.x == 1]", "$.items[0]", "$.status", "$..id"])
    func realQueries(condition: String) {
        #expect(Self.criterion(condition).issues.isEmpty)
    }

    @Test("a broken comparison reports the filter mistake, not trailing whitespace")
    func brokenComparison() throws {
        let c = Self.criterion("$.status == done")
        #expect(!c.isValid)
        let issue = try #require(c.issues.first)
        #expect(issue.code == "jsonpath-syntax")
        #expect(issue.message.contains("filter comparison"))
        #expect(!issue.message.contains("whitespace"))
        #expect(issue.offset == 12)
    }

    @Test("a null context still fails a comparison (A7)")
    func nullContext() {
        #expect(!Self.passes(Self.criterion("$.status == null"), .null))
    }

    @Test(
        "Goessner: constructs that differ between the dialects warn, others do not",
        arguments: [
            ("$.items.length", true), ("$.items[-1]", true), ("$.items[?@.owner == null]", true),
            ("$.items[?(@.tags.length > 1)]", true), ("$.items[?(@.price < 10)]", false), ("$..id", false),
            ("$.items[0:2]", false), ("$.items[-1:]", false),
        ])
    func goessnerDifferences(condition: String, differs: Bool) {
        let c = Self.criterion(condition, version: Self.goessner)
        #expect(c.isValid)
        #expect(c.issues.allSatisfy { $0.code == "jsonpath-goessner" && $0.severity == .warning && $0.fix == nil })
        #expect(c.issues.isEmpty == !differs)
    }

    @Test("Goessner: evaluated with RFC 9535 semantics")
    func goessnerRuns() {
        let c = Self.criterion("$.items[-1]", version: Self.goessner)
        #expect(Self.passes(c, ["items": [1, 2]]))
        #expect(!Self.passes(c, ["items": []]))
    }

    @Test("Goessner: a script expression is an RFC 9535 syntax error with a note")
    func goessnerScript() throws {
        let c = Self.criterion("$.pets[(@.length-1)]", version: Self.goessner)
        let issue = try #require(c.issues.first)
        #expect(issue.code == "jsonpath-syntax")
        #expect(issue.notes.first?.contains("script expressions") == true)
    }
}
