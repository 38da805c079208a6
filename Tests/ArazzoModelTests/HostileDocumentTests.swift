import ArazzoDiagnostics
import ArazzoExpressions
import ArazzoJSON
import ArazzoModel
import ArazzoTestSupport
import ArazzoYAML
import Foundation
import Testing
import OrderedCollections

/// Malformed and hostile documents (`Fixtures/invalid/hostile/`, written by its `make-corpus.py`): each
/// must end, quickly, in located one-line diagnostics, never in a crash or a hang. The rendered
/// diagnostics of the reader, followed by those of the expression layer for every expression site,
/// are pinned in `<name>.expected`. Inputs too large to commit are generated here.
@Suite("Hostile documents")
struct HostileDocumentTests {
    static let folder = "Fixtures/invalid/hostile"
    static let fixtures = Repository.files(in: folder, extensions: ["yaml", "yml", "json", "bin"])

    /// CPU time (``ThreadCPUTime``) that reading plus the expression checks of one committed
    /// document may use in a debug build; the real figures are milliseconds.
    static let documentTimeCap: Duration = .seconds(5)
    /// CPU time of one criterion evaluation: the regex module abandons a search after one second.
    static let criterionTimeCap: Duration = .seconds(4)

    @Test("there are at least 100 hostile documents")
    func enoughFixtures() {
        #expect(Self.fixtures.count >= 100)
    }

    @Test("diagnostics match the golden text, in time", arguments: fixtures)
    func golden(_ name: String) throws {
        let path = "\(Self.folder)/\(name)"
        let bytes = [UInt8](try Data(contentsOf: Repository.url(path)))
        var outcome: HostileOutcome?
        let elapsed = ThreadCPUTime.measure { outcome = HostileOutcome(bytes: bytes, file: path) }
        #expect(elapsed < Self.documentTimeCap, "\(name) took \(elapsed)")
        guard let outcome else { return }

        #expect(!(outcome.diagnostics + outcome.expressionDiagnostics).isEmpty, "a hostile document must be reported")
        for diagnostic in outcome.diagnostics + outcome.expressionDiagnostics {
            #expect(diagnostic.code != nil, "every diagnostic has a code: \(diagnostic)")
            #expect(!diagnostic.message.contains("\n"), "messages are one line: \(diagnostic)")
            #expect(diagnostic.message.count <= 2_000, "messages stay readable: \(diagnostic.message.prefix(200))…")
            guard let location = diagnostic.location else {
                Issue.record("every diagnostic is located: \(diagnostic)")
                continue
            }
            #expect(location.line >= 1 && location.column >= 1, "\(diagnostic)")
            #expect(location.line <= outcome.lineCount + 1, "the line exists: \(diagnostic)")
        }
        try checkGolden(fixture: path, actual: outcome.rendered)

        for criterion in outcome.criteria {
            let took = ThreadCPUTime.measure { _ = criterion.evaluate(in: HostileOutcome.evaluationContext) }
            #expect(took < Self.criterionTimeCap, "\(name): criterion `\(criterion.condition.prefix(80))` took \(took)")
        }
    }

    // MARK: Generated at run time (too large to commit)

    static let megabytes100 = 100 * 1024 * 1024
    static let head = "arazzo: 1.0.1\ninfo:\n  title: Huge\n  version: 1.0.0\nsourceDescriptions:\n  - name: api\n    url: ./openapi.yaml\n"

    /// Reads a generated document, within `cap` of CPU time, and returns its diagnostics.
    func readGenerated(_ text: String, cap: Duration, _ what: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let elapsed = ThreadCPUTime.measure {
            diagnostics = ArazzoDocumentReader.read(text: text, file: "generated.yaml").diagnostics.all
        }
        #expect(elapsed < cap, "\(what) took \(elapsed)")
        #expect(!diagnostics.isEmpty, "\(what) must be reported")
        for diagnostic in diagnostics {
            #expect(diagnostic.location != nil, "located: \(diagnostic.message.prefix(200))")
            #expect(diagnostic.message.count <= 2_000, "readable: \(diagnostic.message.prefix(200))…")
        }
        return diagnostics
    }

    @Test("a 100 MB string value ends in a located diagnostic after it")
    func hugeString() {
        let text = Self.head + "workflows:\n  - workflowId: w\n    summary: \"" + String(repeating: "x", count: Self.megabytes100)
            + "\"\n    stepz: []\n"
        let diagnostics = readGenerated(text, cap: .seconds(120), "100 MB string")
        #expect(diagnostics.contains { $0.location?.line == 11 && $0.message.contains("stepz") })
    }

    @Test("a 100 MB unterminated string is a located YAML error")
    func hugeUnterminatedString() {
        let text = Self.head + "workflows:\n  - workflowId: '" + String(repeating: "y", count: Self.megabytes100)
        let diagnostics = readGenerated(text, cap: .seconds(120), "100 MB unterminated string")
        #expect(diagnostics.first?.code == "yaml-syntax")
    }

    @Test("a 100 MB key is reported without repeating it whole")
    func hugeKey() {
        // libyaml limits implicit keys to 1024 characters; an explicit key (`? key`) has no limit.
        let text = Self.head + "workflows:\n  - workflowId: w\n    ? " + String(repeating: "k", count: Self.megabytes100)
            + "\n    : 1\n    steps: []\n"
        let diagnostics = readGenerated(text, cap: .seconds(120), "100 MB key")
        #expect(diagnostics.contains { $0.location?.line == 10 && $0.code == "unknown-field" })
    }

    @Test("document text quoted in messages is cut short", arguments: [
        "workflows:\n  - workflowId: ID!\n    steps: [{stepId: s, operationId: op}]\n",
        "workflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        operationId: op\n        outputs:\n          ? ID!\n          : $statusCode\n",
        "workflows:\n  - workflowId: w\n    dependsOn: [ID]\n    steps: [{stepId: s, operationId: op}]\n",
    ])
    func clippedQuotes(_ template: String) throws {
        let id = String(repeating: "i", count: 1_000_000)
        let text = Self.head.replacingOccurrences(of: "1.0.1", with: "1.0." + id) + template.replacingOccurrences(of: "ID", with: id)
        let diagnostics = readGenerated(text, cap: .seconds(30), "a 1 MB id")
        #expect(diagnostics.contains { $0.message.contains("`1.0.iiii") && $0.message.contains("…`") })
        #expect(diagnostics.count >= 2)
        for diagnostic in diagnostics where diagnostic.message.contains("iiii") {
            #expect(diagnostic.message.contains("…"))
        }
    }

    @Test("10,000-deep nesting is a located depth error", arguments: [
        ("flow sequence", "x-deep: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)),
        ("flow mapping", "x-deep: " + String(repeating: "{a: ", count: 10_000) + "1" + String(repeating: "}", count: 10_000)),
        ("block sequence", "x-deep:\n  " + String(repeating: "- ", count: 10_000) + "1"),
        ("JSON in YAML", "x-deep: " + String(repeating: "{\"a\": [", count: 5_000) + String(repeating: "]}", count: 5_000)),
    ])
    func deepNesting(_ kind: String, _ body: String) {
        let text = Self.head + body + "\nworkflows: []\n"
        let diagnostics = readGenerated(text, cap: .seconds(10), "10,000-deep \(kind)")
        #expect(diagnostics.first?.code == "yaml-depth", "\(diagnostics.first?.message ?? "")")
        #expect(diagnostics.first?.location?.line == (kind == "block sequence" ? 9 : 8))
    }

    @Test("a 10,000-deep JSON document is a located depth error")
    func deepJSON() {
        let text = "{\"arazzo\": \"1.0.1\", \"x\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        let diagnostics = readGenerated(text, cap: .seconds(10), "10,000-deep JSON")
        #expect(diagnostics.first?.location?.line == 1)
    }

    @Test("10,000 workflows in a dependsOn chain are checked in time")
    func manyWorkflows() {
        var text = Self.head + "workflows:\n"
        for i in 0..<10_000 {
            text += "  - workflowId: w\(i)\n    dependsOn: [w\(i + 1)]\n    steps: [{stepId: s, operationId: op}]\n"
        }
        let diagnostics = readGenerated(text, cap: .seconds(60), "100,000 workflows")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location?.line == 8 + 3 * 9_999 + 2)
    }

    @Test("10,000-deep expressions end in an issue, not a stack overflow", arguments: [
        (ExpressionTextKind.condition, String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)),
        (.condition, String(repeating: "!", count: 100_000) + "$statusCode"),
        (.condition, Array(repeating: "$statusCode == 200", count: 20_000).joined(separator: " && ")),
        (.template, String(repeating: "{", count: 100_000) + "$inputs.a" + String(repeating: "}", count: 100_000)),
        (.expression, "$response.body#/" + Array(repeating: "a", count: 100_000).joined(separator: "/")),
    ])
    func deepExpressions(_ kind: ExpressionTextKind, _ text: String) {
        let elapsed = ThreadCPUTime.measure { _ = ExpressionScope().check(text, as: kind) }
        #expect(elapsed < .seconds(10))
    }

    @Test("10,000-deep criteria end in a verdict", arguments: [
        ("regex", String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)),
        ("regex", String(repeating: "(?:", count: 10_000) + "a" + String(repeating: ")*", count: 10_000)),
        ("jsonpath", "$[?" + String(repeating: "(", count: 10_000) + "@.a" + String(repeating: ")", count: 10_000) + "]"),
        ("jsonpath", "$[?" + String(repeating: "!", count: 10_000) + "@.a]"),
        ("xpath", String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)),
        ("xpath", String(repeating: "-", count: 10_000) + "1"),
    ])
    func deepCriteria(_ type: String, _ condition: String) {
        let elapsed = ThreadCPUTime.measure {
            let criterion = CompiledCriterion(condition: condition, context: "$response.body", type: type)
            _ = criterion.evaluate(in: HostileOutcome.evaluationContext)
        }
        #expect(elapsed < .seconds(10))
    }
}

/// What reading one hostile document produced.
struct HostileOutcome {
    /// The reader's diagnostics (YAML layer, structure, semantics).
    var diagnostics: [Diagnostic] = []
    /// The expression layer's issues for every expression site of the (leniently decoded) AST.
    var expressionDiagnostics: [Diagnostic] = []
    /// Every criterion, compiled, for evaluation against ``evaluationContext``.
    var criteria: [CompiledCriterion] = []
    /// The golden text.
    var rendered = ""
    var lineCount = 0

    /// A response whose body makes backtracking regexes work hard.
    static let evaluationContext = ExpressionValues(
        url: "https://api.example.com/things", method: "GET", statusCode: 200,
        responseHeaders: [(name: "Content-Type", value: "application/json")],
        responseBody: .string(String(repeating: "a", count: 40) + "!"),
        inputs: ["name": "x"])

    init(bytes: [UInt8], file: String) {
        // Valid UTF-8 goes the way the loader reads files; anything else only the byte API can see
        // (it detects UTF-16 by its byte order mark and reports the rest as an encoding error).
        var root: YAMLNode?
        if let text = String(validating: bytes, as: UTF8.self) {
            let result = ArazzoDocumentReader.read(text: text, file: file)
            diagnostics = result.diagnostics.all
            root = result.root
        } else {
            do {
                let node = try YAMLParser.parse(bytes: bytes, file: file)
                diagnostics = ArazzoDocumentReader.read(root: node, file: file).diagnostics.all
                root = node
            } catch {
                diagnostics = [error]
            }
        }
        if let root, let document = ArazzoDocumentReader.decode(root, file: file).document {
            checkExpressions(document)
        }
        // The snippet text: UTF-16 documents (byte order mark) decoded as such, the rest as UTF-8.
        let source: String
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]),
            let utf16 = String(data: Data(bytes), encoding: .utf16)
        {
            source = utf16.hasPrefix("\u{FEFF}") ? String(utf16.dropFirst()) : utf16
        } else {
            source = String(decoding: bytes, as: UTF8.self)
        }
        lineCount = source.reduce(into: 0) { count, c in if c.isNewline { count += 1 } }
        let renderer = DiagnosticRenderer(colored: false, sources: [file: source])
        if !diagnostics.isEmpty { rendered += renderer.render(diagnostics) + "\n" }
        if !expressionDiagnostics.isEmpty {
            rendered += "-- expressions --\n" + renderer.render(expressionDiagnostics) + "\n"
        }
    }

    mutating func checkExpressions(_ document: ArazzoSpecification) {
        for site in document.expressionSites {
            let kind: ExpressionTextKind
            switch site.role {
            case .criterionContext, .criterionCondition: continue  // whole criteria below
            case .stepOutput, .workflowOutput, .selectorContext: kind = .expression
            case .parameterValue, .payload, .replacementValue: kind = .value
            case .operationPath: kind = .template
            case .operationId, .workflowReference, .componentReference: continue  // the validator's
            }
            let scope = Self.scope(for: site.workflowId, stepId: site.stepId, in: document)
            for issue in scope.check(site.text, as: kind) {
                expressionDiagnostics.append(issue.diagnostic(at: site.location))
            }
        }
        for (workflowId, stepId, criterion) in Self.criteria(of: document) {
            var type: String?
            var version: String?
            switch criterion.type {
            case .kind(let k)?: type = k.rawValue
            case .expressionType(let t)?:
                type = t.type == .jsonpath ? "jsonpath" : "xpath"
                version = t.version
            case nil: break
            }
            let compiled = CompiledCriterion(
                condition: criterion.condition.text, context: criterion.context?.text, type: type, version: version)
            criteria.append(compiled)
            let scope = Self.scope(for: workflowId, stepId: stepId, in: document)
            for issue in scope.check(compiled) {
                let at: ArazzoDiagnostics.SourceLocation
                switch issue.field {
                case .context: at = criterion.context?.location ?? criterion.location
                case .type, .version: at = criterion.locations["type"] ?? criterion.location
                case .checked: at = criterion.condition.location
                }
                expressionDiagnostics.append(issue.diagnostic(at: at))
            }
        }
    }

    /// Every criterion with the workflow and step it belongs to.
    static func criteria(of document: ArazzoSpecification) -> [(String?, String?, Criterion)] {
        var out: [(String?, String?, Criterion)] = []
        for workflow in document.workflows {
            let id = workflow.workflowId
            for a in workflow.successActions { out += (a.object?.criteria ?? []).map { (id, nil, $0) } }
            for a in workflow.failureActions { out += (a.object?.criteria ?? []).map { (id, nil, $0) } }
            for step in workflow.steps {
                out += step.successCriteria.map { (id, step.stepId, $0) }
                for a in step.onSuccess { out += (a.object?.criteria ?? []).map { (id, step.stepId, $0) } }
                for a in step.onFailure { out += (a.object?.criteria ?? []).map { (id, step.stepId, $0) } }
            }
        }
        if let components = document.components {
            for (_, a) in components.successActions { out += a.criteria.map { (nil, nil, $0) } }
            for (_, a) in components.failureActions { out += a.criteria.map { (nil, nil, $0) } }
        }
        return out
    }

    /// The scope an expression of `workflowId`/`stepId` is checked in (components: no steps).
    static func scope(for workflowId: String?, stepId: String?, in document: ArazzoSpecification) -> ExpressionScope {
        var components: [RuntimeExpression.ComponentKind: [String]] = [:]
        if let c = document.components {
            components[.inputs] = Array(c.inputs.keys)
            components[.parameters] = Array(c.parameters.keys)
            components[.successActions] = Array(c.successActions.keys)
            components[.failureActions] = Array(c.failureActions.keys)
        }
        let workflows = document.workflows.map { ExpressionScope.Workflow(id: $0.workflowId, outputs: Array($0.outputs.keys)) }
        let sources = document.sourceDescriptions.map(\.name)
        guard let workflowId, let workflow = document.workflows.first(where: { $0.workflowId == workflowId }) else {
            return ExpressionScope(workflows: workflows, sourceDescriptionNames: sources, componentNames: components)
        }
        let steps = workflow.steps.map {
            ExpressionScope.Step(id: $0.stepId, outputs: Array($0.outputs.keys), isWorkflowStep: $0.target.isWorkflow)
        }
        var inputNames: [String]?
        if case .object(let schema)? = workflow.inputs?.value, case .object(let properties)? = schema["properties"] {
            inputNames = Array(properties.keys)
        }
        return ExpressionScope(
            steps: steps, currentStepIndex: stepId.flatMap { id in steps.firstIndex { $0.id == id } },
            inputNames: inputNames, workflowOutputNames: Array(workflow.outputs.keys), workflows: workflows,
            sourceDescriptionNames: sources, componentNames: components)
    }
}
