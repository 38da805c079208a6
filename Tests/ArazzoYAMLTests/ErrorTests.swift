import ArazzoDiagnostics
import ArazzoYAML
import Testing
import ArazzoJSON

/// Every rejection is a located diagnostic with a message that says what to fix.
@Suite("YAML errors")
struct ErrorTests {
    func failure(_ text: String, limits: YAMLLimits = .default) -> String {
        do {
            _ = try YAMLParser.parse(text, file: "bad.yaml", limits: limits)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test("libyaml syntax errors keep libyaml's problem text and position")
    func syntax() {
        #expect(failure("a: [1, 2\nb: }") == "bad.yaml:2:2: error: did not find expected ',' or ']' while parsing a flow sequence")
        #expect(failure("a: 'unterminated\n") == "bad.yaml:2:1: error: found unexpected end of stream while scanning a quoted scalar")
        #expect(failure("a:\n\t- b\n") == "bad.yaml:2:1: error: found character that cannot start any token while scanning for the next token")
    }

    @Test("duplicate keys point at the second key and name the first")
    func duplicates() {
        #expect(failure("a: 1\nb:\n  c: 1\n  c: 2\n") == "bad.yaml:4:3: error: duplicate key 'c' (first defined at line 3, column 3); remove one of them")
    }

    @Test("collections and aliases are not keys")
    func nonScalarKeys() {
        #expect(failure("? [a, b]\n: 1\n") == "bad.yaml:1:3: error: a sequence cannot be used as a mapping key; keys must be plain strings")
        #expect(failure("? {a: b}\n: 1\n") == "bad.yaml:1:3: error: a mapping cannot be used as a mapping key; keys must be plain strings")
        #expect(failure("x: &k key\n*k : 1\n") == "bad.yaml:2:1: error: an alias cannot be used as a mapping key; keys must be plain strings")
        #expect(failure("&k key: 1\n") == "bad.yaml:1:1: error: an anchor cannot be placed on a mapping key")
    }

    @Test("one document per file")
    func multipleDocuments() {
        #expect(failure("a: 1\n---\nb: 2\n") == "bad.yaml:2:1: error: the file holds more than one YAML document; an Arazzo or OpenAPI description must be a single document")
    }

    @Test("only JSON-schema tags")
    func tags() {
        #expect(failure("a: !!binary aGVsbG8=\n") == "bad.yaml:1:4: error: unsupported tag '!!binary'; only the JSON types (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) are allowed")
        #expect(failure("a: !custom x\n") == "bad.yaml:1:4: error: unsupported tag '!custom'; only the JSON types (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) are allowed")
        #expect(failure("a: !!timestamp 2001-12-14\n").contains("unsupported tag '!!timestamp'"))
        #expect(failure("a: !!int abc\n") == "bad.yaml:1:4: error: 'abc' is tagged !!int but is not an integer")
        #expect(failure("a: !!map [1]\n") == "bad.yaml:1:4: error: tag 'tag:yaml.org,2002:map' cannot be applied to a sequence")
    }

    @Test("an undefined alias")
    func undefinedAlias() {
        #expect(failure("a: *nowhere\n").contains("bad.yaml:1:4: error:"))
    }

    @Test("an alias bomb stops at the node cap, at the alias that crosses it")
    func aliasBomb() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let message = failure(text)
        #expect(message.hasPrefix("bad.yaml:"))
        #expect(message.contains("more than 2000000 nodes; aliases may be nested too deeply (an alias bomb)"))
    }

    @Test("deep nesting stops at the depth limit")
    func depth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(failure(deep) == "bad.yaml:1:513: error: nesting is deeper than 512 levels; flatten the document")
        #expect(failure("a: {b: {c: 1}}\n", limits: YAMLLimits(maxDepth: 2)) == "bad.yaml:1:8: error: nesting is deeper than 2 levels; flatten the document")
    }

    @Test("an empty stream has no document")
    func empty() {
        #expect(failure("") == "bad.yaml:1:1: error: the document is empty; expected a mapping")
        #expect(failure("# only a comment\n") == "bad.yaml:1:1: error: the document is empty; expected a mapping")
    }

    @Test("bytes that are not text")
    func encoding() {
        do {
            _ = try YAMLParser.parse(bytes: [0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x00], file: "bin.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "yaml-encoding")
            // The caret points at the offending byte (`a: ` then 0xFF).
            #expect(error.description.hasPrefix("bin.yaml:1:4: error: "))
        }
    }

    @Test("a UTF-8 byte-order mark is accepted")
    func bom() throws {
        let node = try YAMLParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8), file: "bom.yaml")
        #expect(node["a"]?.scalar?.value == 1)
    }

    @Test("diagnostics render with the source line and a caret")
    func rendering() {
        let text = "a: 1\nb:\n  c: 1\n  c: 2\n"
        do {
            _ = try YAMLParser.parse(text, file: "bad.yaml")
            Issue.record("expected an error")
        } catch {
            let rendered = DiagnosticRenderer(sources: ["bad.yaml": text]).render(error)
            #expect(rendered == """
                bad.yaml:4:3: error: duplicate key 'c' (first defined at line 3, column 3); remove one of them
                 4 |   c: 2
                   |   ^
                """)
        }
    }

    @Test("snippets find lines after CRLF, CR and LF breaks, as YAML counts them")
    func snippetLineBreaks() {
        let text = "a: 1\r\nbb: 2\rccc: 3\ndddd: 4"
        let renderer = DiagnosticRenderer(sources: ["f.yaml": text])
        func caretLine(_ line: Int, _ column: Int) -> String {
            renderer.render(.error("m", at: SourceLocation(file: "f.yaml", line: line, column: column)))
        }
        #expect(caretLine(2, 1) == "f.yaml:2:1: error: m\n 2 | bb: 2\n   | ^")
        #expect(caretLine(3, 2) == "f.yaml:3:2: error: m\n 3 | ccc: 3\n   |  ^")
        #expect(caretLine(4, 6) == "f.yaml:4:6: error: m\n 4 | dddd: 4\n   |      ^")
        #expect(caretLine(5, 1) == "f.yaml:5:1: error: m")
    }

    @Test("a long line is cut to a window around the caret, marked with …")
    func snippetWindow() {
        let line = String(repeating: "x", count: 299) + "Y" + String(repeating: "z", count: 300)
        let renderer = DiagnosticRenderer(sources: ["f.yaml": line])
        let rendered = renderer.render(.error("m", at: SourceLocation(file: "f.yaml", line: 1, column: 300)))
        let lines = rendered.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let shown = lines[1].dropFirst(" 1 | ".count)
        #expect(shown.hasPrefix("…") && shown.hasSuffix("…"))
        #expect(shown.unicodeScalars.count == 120 + 2)
        // The caret sits under the Y, whatever the window.
        let caretColumn = lines[2].dropFirst("   | ".count).count - 1
        #expect(Array(shown.unicodeScalars)[caretColumn] == "Y")
        // At the start of a long line there is no leading mark.
        let start = renderer.render(.error("m", at: SourceLocation(file: "f.yaml", line: 1, column: 1)))
        #expect(start.split(separator: "\n")[1].hasPrefix(" 1 | xxx"))
    }
}
