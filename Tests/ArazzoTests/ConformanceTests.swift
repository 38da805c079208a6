import Arazzo
import ArazzoTestSupport
import ArazzoTesting
import Foundation
import Testing
import Arazzo
import ArazzoYAML
import OrderedCollections

/// Runs the engine-level cases of `Fixtures/conformance` (those that do not exercise the CLI)
/// directly through the public API: the case's exchanges replayed by a ``ScriptedExecutor`` (the
/// loopback server's matcher, in memory), credentials, overrides and limits from the case's
/// arguments, judged by the same rules as the CLI runner (``ConformanceCase/Expectation``).
@Suite("Conformance cases through the engine API")
struct ConformanceTests {
    static let base = "http://conformance.test"

    /// The cases this runner takes: not the `cli-` ones and not those that set an environment or
    /// talk to a real WebSocket peer (the CLI runner, which starts the peer, covers them). A case
    /// whose `case.yaml` cannot be read is kept, so its test reports the located error.
    static let cases: [ConformanceCase.Folder] = ConformanceCase.folders(in: Repository.fixture("conformance")).filter { folder in
        guard !folder.id.hasPrefix("cli-"), !folder.id.contains("environment") else { return false }
        guard let testCase = try? folder.load() else { return true }
        return testCase.webSocketPeer == nil
    }

    @Test("conformance case", arguments: cases)
    func conformance(_ folder: ConformanceCase.Folder) async throws {
        let problems = try await Self.run(folder)
        if !problems.isEmpty {
            Issue.record(Comment(rawValue: "\(folder.id):\n  " + problems.joined(separator: "\n  ")))
        }
    }

    /// Runs the case through the engine API; an empty list means it passed.
    static func run(_ folder: ConformanceCase.Folder) async throws -> [String] {
        let placeholders = ConformanceCase.Placeholders(baseURL: base, refusedURL: "http://refused.test")
        let testCase = try folder.load(placeholders: placeholders)
        let work = try TemporaryDirectory()
        defer { work.cleanup() }
        let directory = try folder.copy(into: work.path, placeholders: placeholders)
        let entry = directory + "/" + testCase.document
        let args = testCase.arguments

        // One script for the whole case: a source the loader fetches over http (a `$self` base)
        // is an exchange like the run's.
        let executor = ScriptedExecutor(script: testCase.script, refusing: ["refused.test"])
        var problems: [String] = []
        func judged(_ observation: ConformanceCase.Observation) -> [String] {
            testCase.expect.problems(observation) + executor.problems.map { "server: " + $0 }
                + testCase.bodyProblems(received: executor.receivedRequests)
        }

        let document: LoadedDocument
        do {
            // The file policy flags a case passes (directories relative to the case).
            var limits = LoadLimits()
            for (index, arg) in args.enumerated() where index + 1 < args.count {
                if arg == "--allow-file-root" { limits.files.roots.append(directory + "/" + args[index + 1]) }
                if arg == "--sandbox" { limits.files.sandbox.append(directory + "/" + args[index + 1]) }
                if arg == "--map", let equals = args[index + 1].lastIndex(of: "=") {
                    let mapping = args[index + 1]
                    limits.files.mappings.append(FileAccess.Mapping(
                        urlPrefix: String(mapping[..<equals]), directory: directory + "/" + String(mapping[mapping.index(after: equals)...])))
                }
            }
            if args.contains("--allow-files") { limits.files.allowsAnyFile = true }
            document = try await ArazzoLoader(fetcher: executor, limits: limits).load(path: entry)
        } catch {
            return judged(.init(exit: .succeeded(false), diagnostics: error.diagnostics.map(observed)))
        }
        let validation = document.validate()
        if testCase.command == .validate || validation.hasErrors {
            return judged(.init(exit: .succeeded(!validation.hasErrors), diagnostics: validation.map(observed)))
        }

        // Arguments the engine API covers.
        var options = RunOptions(executor: executor)
        let clock = ImmediateClock()
        options.clock = clock
        // No --workflow runs the whole document, as the CLI does (one run, A18).
        var workflowIds: [String] = []
        var inputs = testCase.inputs?.objectValue ?? [:]
        var index = 0
        var mock = false
        while index < args.count {
            let flag = args[index]
            let value = index + 1 < args.count ? args[index + 1] : ""
            index += 2
            switch flag {
            case "--workflow": workflowIds.append(value)
            case "--input":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { inputs[parts[0]] = (try? JSONValue(parsing: parts[1])) ?? .string(parts[1]) }
            case "--timeout": options.limits.requestTimeout = .milliseconds(Int((Double(value) ?? 30) * 1000))
            case "--max-steps": options.limits.maxSteps = Int(value) ?? 1000
            case "--contract": options.contract.mode = ContractLevel(rawValue: value) ?? .warn
            case "--server":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { options.serverOverrides[parts[0]] = parts[1] }
            case "--auth":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let credential = Self.credential(parts[1]) else {
                    // The CLI refuses a malformed credential before running (exit 3).
                    return judged(.init(exit: .succeeded(false)))
                }
                if document.document.sourceDescriptions.contains(where: { $0.name == parts[0] }) {
                    options.credentials.bind(credential, toSource: parts[0])
                } else {
                    options.credentials.bind(credential, toScheme: parts[0])
                }
            case "--dry-run":
                options.dryRun = true
                index -= 1
            case "--allow-file-root", "--sandbox", "--map": break  // applied when loading, above
            case "--allow-files", "-v", "--verbose": index -= 1  // -v only changes what the console shows
            case "--mock":
                mock = true
                index -= 1
            default:
                problems.append("the engine-API runner does not support the argument \(flag)")
                return problems
            }
        }
        if mock {
            options.executor = OpenAPIMockExecutor(document: document)
            // As the CLI: under --mock every protocol is the in-memory mock; otherwise no transport
            // (these cases have no peer), so AsyncAPI steps fail with noTransport.
            options.messageTransports = MessageTransports(fallback: AsyncAPIMockTransport())
        }

        let entries = await WorkflowEngine(document: document, options: options)
            .runAll(workflowIds.isEmpty ? nil : workflowIds, inputs: .object(inputs), diagnostics: validation)
        var results: [RunResult] = []
        var refused = false
        for entry in entries {
            switch entry {
            case .ran(let result): results.append(result)
            case .alreadyRan: break
            case .refused: refused = true
            }
        }
        let report = String(decoding: try JSONEncoder().encode(results), as: UTF8.self)
        return judged(.init(
            exit: .succeeded(!refused && results.allSatisfy(\.succeeded)), diagnostics: validation.map(observed),
            workflows: results.map { Self.observed($0, dryRun: options.dryRun) }, sleeps: clock.slept, report: report))
    }

    /// A diagnostic in the case's terms.
    static func observed(_ diagnostic: Diagnostic) -> ConformanceCase.ObservedDiagnostic {
        ConformanceCase.ObservedDiagnostic(
            severity: diagnostic.severity.rawValue, line: diagnostic.location?.line, message: diagnostic.message,
            notes: diagnostic.notes)
    }

    /// A workflow result in the case's terms (a dry run's successes are `planned`, as in the CLI's report).
    static func observed(_ result: RunResult, dryRun: Bool) -> ConformanceCase.ObservedWorkflow {
        var failure: FailureReason?
        if case .failed(let reason) = result.outcome { failure = reason }
        return ConformanceCase.ObservedWorkflow(
            workflowId: result.workflowId, outcome: failure != nil ? "failed" : dryRun ? "planned" : "succeeded",
            failedStep: failure?.stepId, failureKind: failure?.kind.rawValue, failureMessage: failure?.message,
            outputs: .object(result.outputs), steps: result.steps.map(stepLine),
            workflows: result.workflows.map { observed($0, dryRun: dryRun) })
    }

    /// `stepId status|transport-kind|- action` as the cases write it.
    static func stepLine(_ trace: StepTrace) -> String {
        var status = trace.response.map { String($0.status) } ?? trace.transportError?.kind.rawValue ?? "-"
        if let message = trace.message {
            status = message.error?.kind.rawValue ?? (message.message == nil ? "-" : message.action == "send" ? "sent" : "received")
        }
        return ConformanceCase.ObservedWorkflow.stepLine(stepId: trace.stepId, status: status, action: trace.action.description)
    }

    /// `basic:user:pass`, `bearer:token`, `apikey:value`, `oauth2:id:secret[:scope,scope]`.
    static func credential(_ text: String) -> Credential? {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "basic" where parts.count >= 3: return .basic(username: parts[1], password: parts[2...].joined(separator: ":"))
        case "bearer" where parts.count >= 2: return .bearer(token: parts[1...].joined(separator: ":"))
        case "apikey" where parts.count >= 2: return .apiKey(value: parts[1...].joined(separator: ":"))
        case "oauth2" where parts.count >= 3:
            return .oauth2ClientCredentials(clientId: parts[1], clientSecret: parts[2], scopes: parts.count > 3 ? parts[3].split(separator: ",").map(String.init) : [])
        default: return nil
        }
    }
}

@Suite("The engine-API conformance runner itself")
struct EngineConformanceRunnerTests {
    @Test("a case whose expectations are wrong fails, naming each difference, as the CLI runner does")
    func detectsDifferences() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let folder = try Repository.mutatedConformanceCase("expr-statuscode", in: directory, replacing: [
            ("code: 200", "code: 200\n        extra: 1"), ("path: /pets/7", "path: /pets/8"), ("get 200 next", "get 200 end"),
        ])
        let problems = try await ConformanceTests.run(folder)
        // Outputs compare exactly: the extra expected output is a difference.
        #expect(problems.contains { $0.contains("expected {\"code\":200,\"extra\":1}") })
        #expect(problems.contains { $0.hasPrefix("wf: steps [get 599") && $0.hasSuffix("expected [get 200 end]") }, "\(problems)")
        #expect(problems.contains { $0 == "server: request #0 GET /pets/7 (exchange #0): path: expected /pets/8, got /pets/7" })
    }
}

