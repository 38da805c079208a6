import Arazzo
import ArazzoCLI
import ArazzoTestServer
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// `--sandbox`, `--map`, `--allow-file-root`, `--allow-files` (run, validate, list) and
/// `--allow-host` on validate and list: the loading guards of docs/security.md, through the real
/// command line.
@Suite("CLI loading guards: --sandbox, --map, --allow-file-root, --allow-files, --allow-host on validate and list")
struct FileAccessCLITests {
    static let workflow = """
        arazzo: 1.0.1
        info: {title: Layout, version: 1.0.0}
        sourceDescriptions:
          - name: api
            url: ../openapi/api.yaml
            type: openapi
        workflows:
          - workflowId: ping
            steps:
              - stepId: ping
                operationId: ping
                successCriteria:
                  - condition: $statusCode == 200
        """
    static let openAPI = """
        openapi: 3.1.0
        info: {title: Ping, version: 1.0.0}
        servers:
          - url: http://127.0.0.1:9
        paths:
          /ping:
            get:
              operationId: ping
              responses:
                '200': {description: OK}
        """

    /// `arazzo/flow.yaml` naming `../openapi/api.yaml`, in a fresh directory.
    static func layout() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("arazzo"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("openapi"), withIntermediateDirectories: true)
        try workflow.write(toFile: directory.file("arazzo/flow.yaml"), atomically: true, encoding: .utf8)
        try openAPI.write(toFile: directory.file("openapi/api.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test("a local document reads ../openapi/… with no flag, in run, validate and list; the grant flags change nothing for it", arguments: [
        [], ["--allow-file-root", "."], ["--allow-files"], ["--sandbox", "."],
    ])
    func localLayoutLoads(_ flags: [String]) async throws {
        let directory = try Self.layout()
        defer { directory.cleanup() }
        let settings = CLISettings(workingDirectory: directory.path)
        let validate = await Invocation.run(["validate", "arazzo/flow.yaml"] + flags, settings: settings)
        #expect(validate.code == CLIExitCode.success, "\(validate.stdout)")
        let list = await Invocation.run(["list", "arazzo/flow.yaml"] + flags, settings: settings)
        #expect(list.code == CLIExitCode.success, "\(list.stderr)")
        #expect(list.stdout.contains("1. ping → operationId ping"))
        let run = await Invocation.run(["run", "arazzo/flow.yaml", "--mock"] + flags, settings: settings)
        #expect(run.code == CLIExitCode.success, "\(run.stderr)")
    }

    @Test("--sandbox refuses a ../ source outside it, located, with the flag that allows it; run and list exit 2")
    func sandboxRefuses() async throws {
        let directory = try Self.layout()
        defer { directory.cleanup() }
        let settings = CLISettings(workingDirectory: directory.path)
        let validate = await Invocation.run(
            ["validate", "arazzo/flow.yaml", "--sandbox", "arazzo"], environment: ["NO_COLOR": "1"], settings: settings)
        #expect(validate.code == CLIExitCode.failure)
        #expect(validate.stdout.contains("arazzo/flow.yaml:5:10: error: cannot load source description 'api' from ../openapi/api.yaml: "), "\(validate.stdout)")
        #expect(validate.stdout.contains("/openapi/api.yaml is outside the sandbox "))
        #expect(validate.stdout.contains("note: to read it, pass --sandbox DIR for a directory that contains it as well"), "\(validate.stdout)")
        let run = await Invocation.run(["run", "arazzo/flow.yaml", "--mock", "--sandbox", "arazzo"], settings: settings)
        #expect(run.code == CLIExitCode.usage)
        #expect(run.stderr.contains("is outside the sandbox"), "\(run.stderr)")
        let list = await Invocation.run(["list", "arazzo/flow.yaml", "--sandbox", "arazzo"], settings: settings)
        #expect(list.code == CLIExitCode.usage)
        #expect(list.stderr.contains("is outside the sandbox"), "\(list.stderr)")
        // Another sandbox directory that holds the file admits it; the entry document itself
        // needs none.
        let both = await Invocation.run(["run", "arazzo/flow.yaml", "--mock", "--sandbox", "arazzo", "--sandbox", "openapi"], settings: settings)
        #expect(both.code == CLIExitCode.success, "\(both.stderr)")
        let onlyOpenAPI = await Invocation.run(["validate", "arazzo/flow.yaml", "--sandbox", "openapi"], settings: settings)
        #expect(onlyOpenAPI.code == CLIExitCode.success, "\(onlyOpenAPI.stdout)")
    }

    @Test("a directory flag must name an existing directory", arguments: [
        ("run", "--allow-file-root"), ("validate", "--allow-file-root"), ("list", "--allow-file-root"),
        ("run", "--sandbox"), ("validate", "--sandbox"), ("list", "--sandbox"),
    ])
    func missingDirectory(_ command: String, _ flag: String) async throws {
        let directory = try Self.layout()
        defer { directory.cleanup() }
        let result = await Invocation.run(
            [command, "arazzo/flow.yaml", flag, "no/such/dir"], settings: CLISettings(workingDirectory: directory.path))
        #expect(result.code == CLIExitCode.usage)
        #expect(result.stderr.contains("error: \(flag) no/such/dir: no such directory"), "\(result.stderr)")
    }

    @Test("--map needs URL_PREFIX=DIR with an http(s) prefix and an existing directory", arguments: [
        ("specs", "error: --map specs: expected URL_PREFIX=DIR"),
        ("https://specs.example/=", "error: --map https://specs.example/=: expected URL_PREFIX=DIR"),
        ("ftp://specs.example/=openapi", "error: --map ftp://specs.example/=openapi: the prefix must be an http:// or https:// URL with a host"),
        ("https:///x=openapi", "error: --map https:///x=openapi: the prefix must be an http:// or https:// URL with a host"),
        ("https://specs.example/=nowhere", "error: --map https://specs.example/=nowhere: no such directory"),
    ])
    func badMap(_ value: String, _ message: String) async throws {
        let directory = try Self.layout()
        defer { directory.cleanup() }
        let result = await Invocation.run(
            ["validate", "arazzo/flow.yaml", "--map", value], settings: CLISettings(workingDirectory: directory.path))
        #expect(result.code == CLIExitCode.usage)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("--map reads a remote source from a local directory: nothing is fetched, a missing copy names the mapping")
    func mapServesRemoteSource() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let remote = Self.workflow.replacingOccurrences(of: "../openapi/api.yaml", with: "https://specs.example/v1/api.yaml")
        try remote.write(toFile: directory.file("flow.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory.file("copies"), withIntermediateDirectories: true)
        try Self.openAPI.write(toFile: directory.file("copies/api.yaml"), atomically: true, encoding: .utf8)
        // A fetcher that knows no route: any fetch would fail the load.
        let fetcher = InMemoryExecutor(routes: [])
        let settings = CLISettings(workingDirectory: directory.path, executor: fetcher)

        for command in ["validate", "list"] {
            let result = await Invocation.run([command, "flow.yaml", "--map", "https://specs.example/v1/=copies"], settings: settings)
            #expect(result.code == CLIExitCode.success, "\(command): \(result.stdout)\(result.stderr)")
        }
        #expect(await fetcher.requests.isEmpty, "nothing was fetched")
        // `run` with its own HTTP client (an injected executor would also answer the operations,
        // which --mock answers here): the unresolvable host proves nothing is fetched.
        let run = await Invocation.run(
            ["run", "flow.yaml", "--mock", "--map", "https://specs.example/v1/=copies"], settings: CLISettings(workingDirectory: directory.path))
        #expect(run.code == CLIExitCode.success, "\(run.stderr)")

        let missing = await Invocation.run(
            ["validate", "flow.yaml", "--map", "https://specs.example/=."], environment: ["NO_COLOR": "1"], settings: settings)
        #expect(missing.code == CLIExitCode.failure)
        #expect(missing.stdout.contains("there is no local copy: https://specs.example/v1/api.yaml is read from "), "\(missing.stdout)")
        #expect(missing.stdout.contains("/v1/api.yaml (mapping https://specs.example/ → "), "\(missing.stdout)")
        #expect(await fetcher.requests.isEmpty, "a missing copy is not fetched instead")
    }

    @Test("a remote entry document may not name a local file unless --allow-file-root or --allow-files grants it")
    func remoteEntryDocument() async throws {
        let directory = try Self.layout()
        defer { directory.cleanup() }
        let local = "file://" + directory.file("openapi/api.yaml")
        let served = Self.workflow.replacingOccurrences(of: "../openapi/api.yaml", with: local)
        let server = ScriptedServer(script: ExchangeScript(ordered: false, exchanges: [
            Exchange(request: ExpectedRequest(method: "GET", path: "/flows/flow.yaml"), response: ScriptedResponse(status: 200, body: served), times: 10),
        ]))
        let port = try await server.start()
        let url = "http://127.0.0.1:\(port)/flows/flow.yaml"
        let settings = CLISettings(workingDirectory: directory.path)

        let refused = await Invocation.run(["validate", url], environment: ["NO_COLOR": "1"], settings: settings)
        #expect(refused.code == CLIExitCode.failure)
        #expect(refused.stdout.contains("/openapi/api.yaml is a local file named by a document fetched over the network"), "\(refused.stdout)")
        #expect(refused.stdout.contains("note: to read it, pass --allow-file-root DIR for a directory that contains it, or --allow-files"), "\(refused.stdout)")
        let run = await Invocation.run(["run", url, "--mock"], settings: settings)
        #expect(run.code == CLIExitCode.usage, "\(run.stderr)")
        // A root elsewhere does not help; one that holds the file, or --allow-files, does.
        let elsewhere = await Invocation.run(["validate", url, "--allow-file-root", "arazzo"], settings: settings)
        #expect(elsewhere.code == CLIExitCode.failure, "\(elsewhere.stdout)")
        for grant in [["--allow-file-root", "openapi"], ["--allow-files"]] {
            let allowed = await Invocation.run(["validate", url] + grant, settings: settings)
            #expect(allowed.code == CLIExitCode.success, "\(grant): \(allowed.stdout)")
        }
        await server.stop()
        #expect(server.receivedRequests.count >= 5)
    }

    @Test("validate and list fetch remote sources only from --allow-host hosts", arguments: ["validate", "list"])
    func allowHost(_ command: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let remote = Self.workflow.replacingOccurrences(of: "../openapi/api.yaml", with: "https://specs.example/api.yaml")
        try remote.write(toFile: directory.file("flow.yaml"), atomically: true, encoding: .utf8)
        let fetcher = InMemoryExecutor(routes: [.init("GET", "/api.yaml", .status(200, body: Self.openAPI))])
        let settings = CLISettings(workingDirectory: directory.path, executor: fetcher)

        let refused = await Invocation.run([command, "flow.yaml", "--allow-host", "api.other.example"], settings: settings)
        #expect(refused.code != CLIExitCode.success)
        #expect((refused.stdout + refused.stderr).contains("host https://specs.example:443 is not allowed by --allow-host (allowed: api.other.example)"),
                "\(refused.stdout)\(refused.stderr)")
        #expect(await fetcher.requests.isEmpty, "nothing was sent")

        let allowed = await Invocation.run([command, "flow.yaml", "--allow-host", "specs.example"], settings: settings)
        #expect(allowed.code == CLIExitCode.success, "\(allowed.stdout)\(allowed.stderr)")
        #expect(await fetcher.requests.map(\.url) == ["https://specs.example/api.yaml"])

        let bad = await Invocation.run([command, "flow.yaml", "--allow-host", "ftp://x"], settings: settings)
        #expect(bad.code == CLIExitCode.usage)
        #expect(bad.stderr.contains("error: --allow-host ftp://x: the scheme must be http or https"), "\(bad.stderr)")
    }
}
