import ArazzoDiagnostics
import ArazzoModel
import Testing
import Foundation

/// Issue 11: unknown fields, `$schema`, ids outside the SHOULD-pattern and wrong scalar types,
/// read through the public reader; fix-its are applied with `TextEditing` and the result re-read.
@Suite("Lenient reading of fields (issue 11)")
struct LenientFieldTests {
    static func document(_ step: String, root: String = "") -> String {
        """
        \(root)arazzo: 1.0.1
        info: {title: t, version: v}
        sourceDescriptions: [{name: a, url: u}]
        workflows:
          - workflowId: w
            steps:
              - stepId: s
        \(step)
        """
    }

    /// The text after applying the first fix-it of every diagnostic.
    static func fixed(_ text: String, _ result: ArazzoReadResult) -> String {
        TextEditing.apply(result.diagnostics.compactMap { $0.fixIts.first }.flatMap(\.edits), to: text).text
    }

    @Test("a case-only field name is read as that field, with a warning whose fix-it renames the key")
    func caseOnly() throws {
        let text = Self.document("        operationID: getPet\n        SuccessCriteria: [{condition: $statusCode == 200}]")
        let result = ArazzoDocumentReader.read(text: text, file: "d.yaml")
        #expect(!result.diagnostics.hasErrors)
        let step = try #require(result.document?.workflows.first?.steps.first)
        #expect(step.target.expression.text == "getPet")
        #expect(step.successCriteria.count == 1)
        #expect(result.diagnostics.all.map(\.code) == ["unknown-field", "unknown-field"])
        let again = ArazzoDocumentReader.read(text: Self.fixed(text, result), file: "d.yaml")
        #expect(again.diagnostics.all.isEmpty)
        #expect(Self.fixed(text, result).contains("operationId: getPet"))
    }

    @Test("a misspelt successCriteria is ignored loudly: the warning says the step succeeds on any response")
    func misspeltCriteria() throws {
        let text = Self.document("        operationId: getPet\n        sucessCriteria: [{condition: $statusCode == 200}]")
        let result = ArazzoDocumentReader.read(text: text, file: "d.yaml")
        #expect(!result.diagnostics.hasErrors)
        #expect(result.document?.workflows.first?.steps.first?.successCriteria.isEmpty == true)
        let warning = try #require(result.diagnostics.warnings.first)
        #expect(warning.message.contains("succeeds on any response"))
        #expect(warning.fixIts.first?.edits.first?.replacement == "successCriteria")
        #expect(ArazzoDocumentReader.read(text: Self.fixed(text, result), file: "d.yaml").diagnostics.all.isEmpty)
    }

    @Test("a near miss that leaves a REQUIRED field missing is an error naming the typo")
    func requiredMissing() {
        let text = Self.document("        opertionId: getPet")
        let result = ArazzoDocumentReader.read(text: text, file: "d.yaml")
        #expect(result.document == nil)
        let error = result.diagnostics.errors.first
        #expect(error?.code == "step-target")
        #expect(error?.message.contains("`opertionId` is probably `operationId`") == true)
        #expect(ArazzoDocumentReader.read(text: Self.fixed(text, result), file: "d.yaml").diagnostics.all.isEmpty)
    }

    @Test("a 1.1 field keeps its message and is ignored with a warning")
    func newerField() {
        let result = ArazzoDocumentReader.read(text: Self.document("        operationId: x\n        timeout: 5"), file: "d.yaml")
        #expect(!result.diagnostics.hasErrors)
        #expect(result.diagnostics.all.first?.message.contains("Arazzo 1.1 field") == true)
    }

    @Test("a renamed key that is already written gets no fix-it (it would duplicate the key)")
    func noDuplicateRename() {
        let result = ArazzoDocumentReader.read(
            text: Self.document("        operationId: x\n        operationID: y"), file: "d.yaml")
        #expect(result.document?.workflows.first?.steps.first?.target.expression.text == "x")
        #expect(result.diagnostics.all.first?.fixIts.isEmpty == true)
    }

    @Test("a root $schema is a warning whose fix-it deletes the entry, in block YAML and in JSON, first or last")
    func schemaKey() {
        let yaml = Self.document("        operationId: x", root: "$schema: https://example.com/schema.json\n")
        let json = """
            {"$schema": "https://example.com/s", "arazzo": "1.0.1", "info": {"title": "t", "version": "v"},
             "sourceDescriptions": [{"name": "a", "url": "u"}],
             "workflows": [{"workflowId": "w", "steps": [{"stepId": "s", "operationId": "x"}]}]}
            """
        let jsonLast = """
            {"arazzo": "1.0.1", "info": {"title": "t", "version": "v"},
             "sourceDescriptions": [{"name": "a", "url": "u"}],
             "workflows": [{"workflowId": "w", "steps": [{"stepId": "s", "operationId": "x"}]}],
             "$schema": "https://example.com/s"}
            """
        for text in [yaml, json, jsonLast] {
            let result = ArazzoDocumentReader.read(text: text, file: "d")
            #expect(result.diagnostics.all.map(\.code) == ["schema-key"])
            #expect(result.diagnostics.all.first?.severity == .warning)
            let fixed = Self.fixed(text, result)
            #expect(!fixed.contains("$schema"))
            let again = ArazzoDocumentReader.read(text: fixed, file: "d")
            #expect(again.diagnostics.all.isEmpty, "\(fixed)")
        }
    }

    @Test("ids and keys outside the SHOULD-pattern are warnings; a dotted id says expressions cannot name it")
    func identifiers() {
        let text = """
            arazzo: 1.0.1
            info: {title: t, version: v}
            sourceDescriptions: [{name: my.api, url: u}]
            workflows:
              - workflowId: buy pet
                steps:
                  - stepId: step.one
                    operationId: x
                    outputs: {token value: $statusCode}
            """
        let result = ArazzoDocumentReader.read(text: text, file: "d.yaml")
        #expect(!result.diagnostics.hasErrors)
        #expect(result.diagnostics.all.map(\.code) == ["invalid-id", "invalid-id", "invalid-id", "invalid-key"])
        #expect(result.diagnostics.all[2].message.contains("`$steps.step.one` reads `step`"))
    }

    @Test("quoting is offered, with a fix-it, only where any text is valid; the fixed document reads cleanly")
    func quoteHint() {
        let text = Self.document("        operationId: x", root: "").replacingOccurrences(of: "stepId: s", with: "stepId: 12")
            .replacingOccurrences(of: "title: t", with: "title: 2024")
        let result = ArazzoDocumentReader.read(text: text, file: "d.yaml")
        #expect(result.diagnostics.errors.count == 2)
        #expect(result.diagnostics.errors.allSatisfy { $0.fixIts.count == 1 })
        #expect(ArazzoDocumentReader.read(text: Self.fixed(text, result), file: "d.yaml").diagnostics.all.isEmpty)

        let reference = ArazzoDocumentReader.read(
            text: Self.document("        operationId: x\n        onSuccess: [{name: n, type: goto, stepId: 7}]"), file: "d.yaml")
        #expect(reference.diagnostics.errors.first?.message.contains("quote it") == false)
        #expect(reference.diagnostics.errors.first?.fixIts.isEmpty == true)
    }
}
