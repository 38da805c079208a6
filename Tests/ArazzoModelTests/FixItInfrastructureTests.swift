import ArazzoDiagnostics
import ArazzoYAML
import Testing
import ArazzoJSON
import Foundation

/// Ranges from the parser, scalar rewrites and text edits: the pieces every fix-it is made of.
@Suite("Fix-it infrastructure (ranges, scalar edits, text edits, severity policy)")
struct FixItInfrastructureTests {
    func apply(_ edit: TextEdit, to text: String) -> String {
        TextEditing.apply([edit], to: text).text
    }

    @Test("nodes carry the range libyaml marks: plain, quoted, flow and block")
    func nodeRanges() throws {
        let text = "a: plain value\nb: 'quoted'\nc: [1, 22]\nd: |\n  block\ne: \"dq\"\n"
        let root = try YAMLParser.parse(text, file: "t.yaml")
        #expect(root["a"]?.range.start == SourcePosition(line: 1, column: 4))
        #expect(root["a"]?.range.end == SourcePosition(line: 1, column: 15))
        #expect(root["b"]?.range.end == SourcePosition(line: 2, column: 12))
        #expect(root["c"]?.range.end == SourcePosition(line: 3, column: 11))
        #expect(root["c"]?.sequence?.last?.range.start == SourcePosition(line: 3, column: 8))
        #expect(root.pair("e")?.keyRange.end == SourcePosition(line: 6, column: 2))
        #expect(root["d"]?.range.start == SourcePosition(line: 4, column: 4))
    }

    @Test(
        "a scalar rewrite keeps the style where it can and stays a string",
        arguments: [
            ("k: $response.body#id\n", "$response.body#/id", "k: $response.body#/id\n"),
            ("k: '$response.body#id'\n", "$response.body#/id", "k: '$response.body#/id'\n"),
            ("k: \"$response.body#id\"\n", "$response.body#/id", "k: \"$response.body#/id\"\n"),
            ("k: abc\n", "it's: here", "k: 'it''s: here'\n"),
            ("k: abc\n", "true", "k: 'true'\n"),
            ("k: abc\n", "12", "k: '12'\n"),
            ("k: abc # comment\n", "x y", "k: x y # comment\n"),
            ("k: |\n  $statusCode == \"a\"\nn: 1\n", "$statusCode == 'a'", "k: \"$statusCode == 'a'\"\nn: 1\n"),
            ("{\"k\": \"a\\\"b\", \"n\": 1}", "a\"c", "{\"k\": \"a\\\"c\", \"n\": 1}"),
        ])
    func scalarRewrite(_ text: String, _ newText: String, _ expected: String) throws {
        let root = try YAMLParser.parse(text, file: "t.yaml")
        let node = try #require(root["k"])
        let fixed = apply(node.replacingScalar(with: newText), to: text)
        #expect(fixed == expected)
        // The rewritten document reads back with the new text and everything else unchanged.
        let reparsed = try YAMLParser.parse(fixed, file: "t.yaml")
        #expect(reparsed["k"]?.scalar?.value == .string(newText))
    }

    @Test("edits on a CRLF file keep its CRLFs and every other byte")
    func crlf() throws {
        let text = "a: 1\r\nk: old\r\nz: 2\r\n"
        let root = try YAMLParser.parse(text, file: "t.yaml")
        let node = try #require(root["k"])
        #expect(apply(node.replacingScalar(with: "new"), to: text) == "a: 1\r\nk: new\r\nz: 2\r\n")
    }

    @Test("overlapping edits: the first wins, the other is reported skipped; repeats count once")
    func overlaps() {
        let r1 = SourceRange(file: "f", start: .init(line: 1, column: 1), end: .init(line: 1, column: 4))
        let r2 = SourceRange(file: "f", start: .init(line: 1, column: 3), end: .init(line: 1, column: 6))
        let e1 = TextEdit(range: r1, replacement: "X")
        let outcome = TextEditing.apply([e1, e1, TextEdit(range: r2, replacement: "Y")], to: "abcdefg")
        #expect(outcome.text == "Xdefg")
        #expect(outcome.applied == 1)
        #expect(outcome.skipped.count == 1)
    }

    @Test("unified diff of one changed line shows it with three lines of context")
    func diff() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        let expected = """
            --- a/f.yaml
            +++ b/f.yaml
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """
        #expect(TextEditing.unifiedDiff(from: old, to: new, path: "f.yaml") == expected)
        #expect(TextEditing.unifiedDiff(from: old, to: old, path: "f.yaml") == "")
        // CRLF and lone CR break lines as LF does; the terminators themselves are not shown.
        #expect(TextEditing.unifiedDiff(from: "a\r\nb\rc\n", to: "a\r\nB\rc\n", path: "f") == "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
    }

    @Test("severity policy: strict raises warnings, per-rule levels win, errors cannot be lowered")
    func policy() throws {
        let warning = Diagnostic.warning("w", code: "unknown-field")
        let other = Diagnostic.warning("w2", code: "dotted-navigation")
        let error = Diagnostic.error("e", code: "unknown-step")
        var policy = SeverityPolicy(strict: true)
        try policy.setting("dotted-navigation=off")
        let applied = policy.apply(to: Diagnostics([warning, other, error]))
        #expect(applied.all.map(\.severity) == [.error, .error])
        #expect(applied.all.map(\.code) == ["unknown-field", "unknown-step"])

        var lenient = SeverityPolicy()
        #expect(throws: SeverityPolicy.Refusal.self) { try lenient.setting("unknown-step=warn") }
        do {
            try lenient.setting("unknwn-field=off")
            Issue.record("an unknown code must be refused")
        } catch {
            #expect(error.message == "no rule has the code `unknwn-field`; did you mean `unknown-field`?")
        }
        #expect(throws: SeverityPolicy.Refusal.self) { try lenient.setting("unknown-field") }
        try lenient.setting("unknown-field=error")
        #expect(lenient.apply(to: Diagnostics([warning])).all.first?.severity == .error)
    }

    @Test("the catalogue has unique codes, each with a summary and reference")
    func catalogue() {
        let codes = DiagnosticRule.catalogue.map(\.code)
        #expect(Set(codes).count == codes.count)
        for rule in DiagnosticRule.catalogue {
            #expect(!rule.summary.isEmpty && !rule.reference.isEmpty, "\(rule.code)")
            #expect(rule.defaultSeverity != .note, "\(rule.code)")
        }
    }

    @Test("deduplication is by code and range, not by wording")
    func dedupe() {
        let range = SourceRange(file: "f", start: .init(line: 2, column: 3), end: .init(line: 2, column: 9))
        let a = Diagnostic.error("one wording", code: "unknown-step", range: range)
        let b = Diagnostic.error("another wording", code: "unknown-step", range: range)
        let c = Diagnostic.error("one wording", code: "unknown-workflow", range: range)
        #expect(Diagnostics([a, b, c]).deduplicated.all.map(\.message) == ["one wording", "one wording"])
    }
}

@Suite("Inserting a mapping entry")
struct InsertEntryTests {
    @Test(
        "block, flow and JSON mappings get the entry in their own style",
        arguments: [
            ("s:\n  - name: a\n    url: x\n", "s:\n  - type: openapi\n    name: a\n    url: x\n"),
            ("s: [{name: a, url: x}]\n", "s: [{type: openapi, name: a, url: x}]\n"),
            ("{\"s\": [{\"name\": \"a\"}]}", "{\"s\": [{\"type\": \"openapi\", \"name\": \"a\"}]}"),
        ])
    func insert(_ text: String, _ expected: String) throws {
        let root = try YAMLParser.parse(text, file: "t.yaml")
        let node = try #require(root["s"]?.sequence?.first)
        let edit = try #require(node.insertingFirstEntry(key: "type", value: "openapi"))
        let fixed = TextEditing.apply([edit], to: text).text
        #expect(fixed == expected)
        #expect((try YAMLParser.parse(fixed, file: "t.yaml"))["s"]?.sequence?.first?["type"]?.scalar?.value == .string("openapi"))
    }
}
