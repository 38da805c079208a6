import ArazzoDiagnostics
import ArazzoModel
import Testing

/// Decision UR1: `$self` and source `url` are RFC 3986 URI references.
@Suite("URI references ($self, source url)")
struct URIReferenceTests {
    static func document(self selfURI: String, url: String) -> String {
        """
        arazzo: 1.1.0
        $self: \(selfURI)
        info: {title: t, version: v}
        sourceDescriptions: [{name: a, url: \(url), type: openapi}]
        workflows:
          - workflowId: w
            steps:
              - {stepId: s, operationId: op}
        """
    }

    static func uriWarnings(_ text: String) -> [Diagnostic] {
        ArazzoDocumentReader.read(text: text, file: "d.yaml").diagnostics.all.filter { $0.code == "uri-reference" }
    }

    @Test("valid references, escapes included, are silent")
    func valid() {
        #expect(Self.uriWarnings(Self.document(self: "https://x.example/a%20b.yaml?q=1&r=[2]", url: "./specs/api.yaml#/x")).isEmpty)
    }

    @Test("a space, a brace, a non-ASCII letter and a stray % are percent-encoded by the fix-it, quoted as written")
    func encoded() throws {
        let text = Self.document(self: "'https://x.example/a b/{id}/é'", url: "\"./50%/api.yaml\"")
        let warnings = Self.uriWarnings(text)
        #expect(warnings.count == 2)
        let fixed = TextEditing.apply(warnings.compactMap { $0.fixIts.first }.flatMap(\.edits), to: text).text
        #expect(fixed.contains("$self: 'https://x.example/a%20b/%7Bid%7D/%C3%A9'"))
        #expect(fixed.contains("url: \"./50%25/api.yaml\""))
        #expect(Self.uriWarnings(fixed).isEmpty)
    }

    @Test("a Windows path separator gets no fix-it: encoding it would name another file")
    func backslash() throws {
        let warnings = Self.uriWarnings(Self.document(self: "https://x.example/doc.yaml", url: "'specs\\api.yaml'"))
        let warning = try #require(warnings.first)
        #expect(warning.fixIts.isEmpty)
        #expect(warning.message.contains("`/` separators"))
    }
}
