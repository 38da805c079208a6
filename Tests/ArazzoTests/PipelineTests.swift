import Foundation
import ArazzoTesting
import ArazzoTestSupport
import Testing
import Arazzo
import ArazzoDiagnostics
import ArazzoJSON
import ArazzoModel
import OrderedCollections

/// The validation pipeline (issue 11): documents with errors still load and are checked whole,
/// the checks that used to wait for a run, validation without sources, and documents built in code.
@Suite("Validation pipeline")
struct PipelineTests {
    static let folder = "Fixtures/invalid/pipeline"
    static let fixtures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Repository.root + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// `validate()` of a fixture rendered as the goldens hold it (paths relative to the repository).
    static func rendered(_ name: String) async throws -> (LoadedDocument, Diagnostics, String) {
        let root = Repository.root
        let loaded = try await ArazzoLoader().load(path: root + "/" + folder + "/" + name)
        let diagnostics = loaded.validate()
        let text = DiagnosticRenderer(colored: false, sources: loaded.sourceTexts).render(diagnostics.sorted) + "\n"
        return (loaded, diagnostics, text.replacingOccurrences(of: root + "/", with: ""))
    }

    @Test("each pipeline fixture matches its golden (errors, or only warnings for warning-*)", arguments: fixtures)
    func golden(_ name: String) async throws {
        let (_, diagnostics, text) = try await Self.rendered(name)
        // `warning-*` fixtures pin warnings of documents whose meaning is evident: no errors.
        if name.hasPrefix("warning-") {
            #expect(!diagnostics.hasErrors && !diagnostics.warnings.isEmpty, "\(diagnostics.all)")
        } else {
            #expect(diagnostics.hasErrors)
        }
        for diagnostic in diagnostics where diagnostic.severity != .note {
            #expect(diagnostic.location != nil, "\(diagnostic)")
            if let code = diagnostic.code { #expect(DiagnosticRule.named(code) != nil, "uncatalogued \(code)") }
        }
        try GoldenFile.check(Repository.root + "/" + Self.folder + "/" + (name as NSString).deletingPathExtension + ".expected", text)
    }

    @Test("a root-level error does not hide operation and expression errors")
    func allAtOnce() async throws {
        let (_, diagnostics, _) = try await Self.rendered("all-problems-at-once.yaml")
        let codes = Set(diagnostics.errors.compactMap(\.code))
        #expect(codes.contains("missing-field"))
        #expect(codes.contains("unknown-operation"))
        #expect(diagnostics.errors.count >= 3)
    }

    @Test("inputs-schema, xml-payload-mapping, missing-parameter and workflow-recursion are each reported")
    func staticCatches() async throws {
        let cases = [
            "inputs-schema.yaml": ("inputs-schema", 2),
            "xml-payload-mapping.yaml": ("xml-payload-mapping", 2),
            "missing-path-variable.yaml": ("missing-parameter", 1),
            "workflow-recursion.yaml": ("workflow-recursion", 3),
            "workflow-recursion-across.yaml": ("workflow-recursion", 2),
        ]
        for (file, (code, count)) in cases {
            let (_, diagnostics, _) = try await Self.rendered(file)
            #expect(diagnostics.errors.filter { $0.code == code }.count == count, "\(file): \(diagnostics.all)")
        }
        // The recursion behind a criterion is a loop the document controls.
        let (_, recursion, _) = try await Self.rendered("workflow-recursion.yaml")
        #expect(!recursion.contains { $0.message.contains("'polling'") })
    }

    @Test("run: only the workflows an error reaches are refused")
    func runGating() async throws {
        let (loaded, diagnostics, _) = try await Self.rendered("all-problems-at-once.yaml")
        #expect(!loaded.errors(blocking: "broken", in: diagnostics).isEmpty)
        // `info.title` is missing, and `broken` is broken; neither reaches `clean`.
        #expect(loaded.errors(blocking: "clean", in: diagnostics).isEmpty)
        let executor = InMemoryExecutor(handler: { _ in HTTPResponse(status: 200) })
        let run = engine(loaded, executor)
        let result = try await run.run(workflowId: "clean")
        #expect(result.succeeded)
        // The engine itself refuses what load-time errors reach; the unknown operation is a
        // validate() finding, so without the CLI's check the step fails when it is run.
        let broken = try await run.run(workflowId: "broken")
        #expect(!broken.succeeded)
    }

    @Test("the engine refuses a workflow that a load-time error reaches")
    func engineRefuses() async throws {
        let directory = try writeFiles(["pets.yaml": petsOpenAPI, "arazzo.yaml": """
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions:
              - {name: pets, url: ./pets.yaml, type: openapi}
            workflows:
              - workflowId: bad
                steps:
                  - stepId: s
                    operationId: getStatus
                    onSuccess:
                      - {name: nowhere, type: goto}
              - workflowId: good
                steps:
                  - {stepId: s, operationId: getStatus}
            """])
        let loaded = try await ArazzoLoader().load(path: directory + "/arazzo.yaml")
        #expect(loaded.diagnostics.hasErrors)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", .status(200))])
        await #expect(throws: RunFailure.self) { try await engine(loaded, executor).run(workflowId: "bad") }
        let good = try await engine(loaded, executor).run(workflowId: "good")
        #expect(good.succeeded)
    }

    @Test("loadsSources: false checks the document alone, with one note and no operation checks")
    func noSources() async throws {
        let path = Repository.root + "/" + Self.folder + "/all-problems-at-once.yaml"
        let loaded = try await ArazzoLoader(limits: LoadLimits(loadsSources: false)).load(path: path)
        let diagnostics = loaded.validate()
        #expect(loaded.openAPIDocuments.isEmpty)
        #expect(!diagnostics.contains { $0.code == "unknown-operation" || $0.code?.hasPrefix("source-") == true })
        #expect(diagnostics.filter { $0.severity == .note }.count == 1)
        #expect(diagnostics.contains { $0.code == "missing-field" })
    }

    @Test("a document built in code validates and runs through the public API")
    func builtInCode() async throws {
        let directory = try writeFiles(["pets.yaml": petsOpenAPI])
        let step = Step(
            stepId: "status", target: .operationId(ExpressionString("getStatus")),
            successCriteria: [Criterion(condition: ExpressionString("$statusCode == 200"))],
            outputs: ["code": ExpressionString("$statusCode")])
        let workflow = Workflow(
            workflowId: "check",
            inputs: LocatedValue(["type": "object", "properties": ["verbose": ["type": "boolean"]]]),
            steps: [step], outputs: ["code": ExpressionString("$steps.status.outputs.code")])
        let document = ArazzoSpecification(
            info: Info(title: "Built in code", version: "1.0.0"),
            sourceDescriptions: [SourceDescription(name: "pets", url: "./pets.yaml")],
            workflows: [workflow])
        let loaded = await ArazzoLoader().load(document: document, baseURL: directory + "/built.arazzo.yaml")
        let diagnostics = loaded.validate()
        #expect(!diagnostics.hasErrors, "\(diagnostics.all)")
        let executor = InMemoryExecutor(handler: { _ in HTTPResponse(status: 200, body: Array("{}".utf8)) })
        let result = try await engine(loaded, executor).run(workflowId: "check")
        #expect(result.succeeded)
        #expect(result.outputs["code"] == .int(200))

        // The same objects, with a mistake, are located at <memory>.
        let broken = ArazzoSpecification(
            info: Info(title: "Broken", version: "1.0.0"),
            sourceDescriptions: [SourceDescription(name: "pets", url: "./pets.yaml")],
            workflows: [Workflow(workflowId: "w", steps: [Step(stepId: "s", target: .operationId(ExpressionString("getStatu")))])])
        let brokenLoaded = await ArazzoLoader().load(document: broken, baseURL: directory + "/broken.arazzo.yaml")
        let problems = brokenLoaded.validate()
        #expect(problems.errors.contains { $0.code == "unknown-operation" && $0.location?.file == "<memory>" })
    }
}
