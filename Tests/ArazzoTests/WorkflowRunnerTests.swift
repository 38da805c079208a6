import Foundation
import Testing
import Arazzo

/// The run setup embedders, the CLI and an MCP server share (issue 15 item 1), through its
/// public API: loading, credentials from the environment, inputs typed by schema, runAll in
/// dependency order, input descriptions.
@Suite("WorkflowRunner")
struct WorkflowRunnerTests {
    static func runner(_ workflows: String, executor: any StepExecutor) async throws -> WorkflowRunner {
        let root = try writeFiles(["pets.yaml": petsOpenAPI])
        var options = RunOptions(executor: executor)
        options.clock = ImmediateClock()
        return try await WorkflowRunner.load(text: petsArazzo(workflows), baseURL: root + "/arazzo.yaml", options: options)
    }

    static let getPet = """
          - workflowId: pet
            inputs:
              type: object
              required: [petId]
              properties:
                petId: {type: integer, description: The pet to fetch}
                code: {type: string}
                password: {type: string, format: password}
            steps:
              - stepId: fetch
                operationId: getPet
                parameters:
                  - {name: petId, in: path, value: $inputs.petId}
                successCriteria:
                  - condition: $statusCode == 200
        """

    @Test("load(text:baseURL:) resolves relative sources against baseURL, and the workflow runs")
    func loadsFromText() async throws {
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/pets/7", .json(["id": 7]))])
        let runner = try await Self.runner(Self.getPet, executor: executor)
        #expect(!runner.diagnostics.hasErrors, "\(runner.diagnostics)")
        let result = try await runner.run(workflowId: "pet", inputs: ["petId": 7])
        #expect(result.succeeded, "\(result.outcome)")
        #expect(await executor.requests.map(\.url) == ["https://pets.example/v1/pets/7"])
    }

    @Test("load(path:) reads a path or a file: URL")
    func loadsFromPathAndURL() async throws {
        let root = try writeFiles(["pets.yaml": petsOpenAPI, "arazzo.yaml": petsArazzo(Self.getPet)])
        let options = RunOptions(executor: InMemoryExecutor(routes: []))
        let byPath = try await WorkflowRunner.load(path: root + "/arazzo.yaml", options: options)
        let byURL = try await WorkflowRunner.load(path: URL(fileURLWithPath: root + "/arazzo.yaml").absoluteString, options: options)
        #expect(byPath.document.workflowIds == ["pet"])
        #expect(byURL.document.url == byPath.document.url)
    }

    @Test("ARAZZO_AUTH_<TARGET> binds a credential to the scheme it names (case and _ folded); its secret is redacted")
    func environmentCredentials() async throws {
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/pets/7", .json(["id": 7]))])
        var runner = try await Self.runner(Self.getPet, executor: executor)
        try runner.useCredentials(environment: ["ARAZZO_AUTH_TOKEN": "bearer:s3cret-token", "HOME": "/root"])
        #expect(runner.options.credentials.schemes["token"] == .bearer(token: "s3cret-token"))
        let result = try await runner.run(workflowId: "pet", inputs: ["petId": 7])
        #expect(result.succeeded, "\(result.outcome)")
        #expect(await executor.requests.first?.headers["Authorization"] == "Bearer s3cret-token")
        #expect(result.steps.first?.request?.headers["Authorization"]?.contains("s3cret-token") == false)
    }

    @Test("A spec wins over the environment for the same target; an unknown target binds both ways")
    func specsWinOverEnvironment() async throws {
        let runner = try await Self.runner(Self.getPet, executor: InMemoryExecutor(routes: []))
        let credentials = try CredentialSpecs(for: runner.document).parse(
            ["token=bearer:from-spec", "other=apikey:k"], environment: ["ARAZZO_AUTH_TOKEN": "bearer:from-env"])
        #expect(credentials.schemes["token"] == .bearer(token: "from-spec"))
        #expect(credentials.sources["other"] == .apiKey(value: "k"))
        #expect(credentials.schemes["other"] == .apiKey(value: "k"))
    }

    @Test("A bad credential names its origin and kind, never its secret")
    func credentialErrors() async throws {
        var runner = try await Self.runner(Self.getPet, executor: InMemoryExecutor(routes: []))
        #expect(throws: CredentialSpecError(origin: .environment(variable: "ARAZZO_AUTH_TOKEN"), problem: .unknownKind)) {
            try runner.useCredentials(environment: ["ARAZZO_AUTH_TOKEN": "token:hunter2"])
        }
        do {
            try runner.useCredentials(["token=basic:nopassword"])
            Issue.record("basic without a password was accepted")
        } catch {
            #expect(error.origin == .spec(target: "token", shown: "token=basic:…"))
            #expect(error.description == "credential token=basic:…: basic credentials need USER:PASS (basic:USER:PASS)")
        }
        do {
            try runner.useCredentials(["bearer:hunter2"])
            Issue.record("a spec without a target was accepted")
        } catch {
            #expect(error.problem == .missingTarget)
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("Text inputs are typed by each workflow's schema (I1): 7 an integer, 123456 a string")
    func coercion() async throws {
        let runner = try await Self.runner(Self.getPet, executor: InMemoryExecutor(routes: []))
        var given = InputValues(text: ["petId": "7", "code": "123456"])
        try given.add(pairs: ["extra=true"])
        let typed = runner.inputs(given, for: "pet")
        #expect(typed.inputs == ["petId": 7, "code": "123456", "extra": true])
        #expect(typed.converted.isEmpty)

        let fromFile = runner.inputs(InputValues(["petId": "8"]), for: "pet")
        #expect(fromFile.inputs == ["petId": 8])
        #expect(fromFile.converted == [#"input 'petId' is the string "8" where the schema asks for integer; using 8"#])

        #expect(throws: InputValuesError.self) { try given.add(pairs: ["novalue"]) }
        #expect(runner.missingInputs(InputValues(text: ["code": "1"]), for: "pet") == ["petId"])
    }

    @Test("ARAZZO_INPUT_<NAME> matches a declared name ignoring case; the file wins over it and pairs over both")
    func environmentInputs() async throws {
        let root = try writeFiles(["inputs.yaml": "petId: 6\ncode: abc\n"])
        let given = try InputValues(
            environment: ["ARAZZO_INPUT_PETID": "5", "ARAZZO_INPUT_CODE": "env", "ARAZZO_INPUT_": "x", "PATH": "/bin"],
            declaredNames: ["petId", "code"], file: root + "/inputs.yaml", pairs: ["code=flag"])
        #expect(given.names == ["code", "petId"])
        let runner = try await Self.runner(Self.getPet, executor: InMemoryExecutor(routes: []))
        #expect(runner.inputs(given, for: "pet").inputs == ["code": "flag", "petId": 6])
        #expect(throws: InputValuesError.self) {
            try InputValues(environment: [:], declaredNames: [], file: root + "/missing.yaml", pairs: [])
        }
    }

    @Test("Input descriptions: name, type, required, description, secret, in schema order")
    func inputDescriptions() async throws {
        let runner = try await Self.runner(Self.getPet, executor: InMemoryExecutor(routes: []))
        let described = runner.inputDescriptions(of: "pet")
        #expect(described.map(\.name) == ["petId", "code", "password"])
        #expect(described.map(\.type) == ["integer", "string", "string"])
        #expect(described.map(\.required) == [true, false, false])
        #expect(described.map(\.description) == ["The pet to fetch", nil, nil])
        #expect(described.map(\.secret) == [false, false, true])
        #expect(runner.inputDescriptions(of: "nope").isEmpty)
    }

    @Test("runAll runs in dependency order, each workflow once, and reports each entry as it goes")
    func runAllOrder() async throws {
        let executor = InMemoryExecutor(routes: [
            .init("GET", "/v1/status", .json(["name": "rex"])), .init("GET", "/v1/open", .status(200)),
        ])
        let runner = try await Self.runner(DocumentRunTests.topAfterBase, executor: executor)
        #expect(try runner.selection() == ["base", "top"])
        let log = ProgressLog()
        let entries = await runner.runAll(given: InputValues()) { log.add($0) }
        #expect(entries.map(\.workflowId) == ["base", "top"])
        guard case .ran(let top)? = entries.last else {
            Issue.record("top did not run: \(entries)")
            return
        }
        #expect(top.outputs["seen"] == "rex")
        #expect(log.lines == ["starting base", "step b", "ran base", "starting top", "step t", "ran top"])

        let again = await runner.runAll(["top", "base"])
        guard case .alreadyRan(let earlier)? = again.last else {
            Issue.record("base should have run as a dependency of top: \(again)")
            return
        }
        #expect(earlier.dependencyOf == "top")
    }

    @Test("An error refuses the workflow it reaches; the others run; an unknown id is refused by selection")
    func refusals() async throws {
        let runner = try await Self.runner(cleanAndBrokenWorkflows, executor: InMemoryExecutor(routes: [.init("GET", "/v1/status", .status(200))]))
        #expect(Array(runner.refusals(among: ["clean", "broken"]).keys) == ["broken"])
        let entries = await runner.runAll()
        #expect(entries.count == 2)
        if case .ran(let clean) = entries[0] { #expect(clean.succeeded) } else { Issue.record("clean did not run") }
        if case .refused(let id, _) = entries[1] { #expect(id == "broken") } else { Issue.record("broken ran") }
        #expect(throws: RunFailure.self) { try runner.selection(["clean", "nope"]) }
    }
}

/// What a runAll reported, one line per entry event and finished step.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []

    func add(_ progress: RunProgress) {
        let line: String?
        switch progress {
        case .starting(let id): line = "starting \(id)"
        case .event(let event):
            if case .stepFinished(let trace) = event.kind { line = "step \(trace.stepId)" } else { line = nil }
        case .finished(.ran(let result)): line = "ran \(result.workflowId)"
        case .finished(.alreadyRan(let earlier)): line = "already \(earlier.result.workflowId)"
        case .finished(.refused(let id, _)): line = "refused \(id)"
        }
        guard let line else { return }
        lock.lock()
        list.append(line)
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
