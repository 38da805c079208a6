import Arazzo
import ArazzoCLI
import Foundation
import Testing

/// `--allow-file-root`, `--allow-files` (run, validate, list) and `--allow-host` on validate and
/// list: the loading guards of docs/security.md, through the real command line.
@Suite("CLI loading guards: --allow-file-root, --allow-files, --allow-host on validate and list")
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

    @Test("validate refuses a source outside the document's directory, located, naming both flags")
    func validateRefuses() async throws {
        let directory = try Self.layout()
        defer { directory.cleanup() }
        let result = await Invocation.run(["validate", "arazzo/flow.yaml"], environment: ["NO_COLOR": "1"], settings: CLISettings(workingDirectory: directory.path))
        #expect(result.code == CLIExitCode.failure)
        #expect(result.stdout.contains("arazzo/flow.yaml:5:10: error: cannot load source description 'api' from ../openapi/api.yaml: "), "\(result.stdout)")
        #expect(result.stdout.contains("/openapi/api.yaml is outside the entry document's directory "))
        #expect(result.stdout.contains("pass --allow-file-root DIR to allow a directory tree, or --allow-files to allow every file"))
    }

    @Test("--allow-file-root and --allow-files admit the layout in run, validate and list", arguments: [
        ["--allow-file-root", "."], ["--allow-files"],
    ])
    func flagsAdmit(_ flags: [String]) async throws {
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

    @Test("run and list stop with exit 2 when a source lies outside the allowed trees")
    func runAndListRefuse() async throws {
        let directory = try Self.layout()
        defer { directory.cleanup() }
        let settings = CLISettings(workingDirectory: directory.path)
        let run = await Invocation.run(["run", "arazzo/flow.yaml", "--mock"], settings: settings)
        #expect(run.code == CLIExitCode.usage)
        #expect(run.stderr.contains("--allow-file-root DIR"), "\(run.stderr)")
        let list = await Invocation.run(["list", "arazzo/flow.yaml"], settings: settings)
        #expect(list.code == CLIExitCode.usage)
        #expect(list.stderr.contains("is outside the entry document's directory"), "\(list.stderr)")
        // A root that does not contain the file does not help.
        try FileManager.default.createDirectory(atPath: directory.file("other"), withIntermediateDirectories: true)
        let elsewhere = await Invocation.run(["run", "arazzo/flow.yaml", "--mock", "--allow-file-root", "other"], settings: settings)
        #expect(elsewhere.code == CLIExitCode.usage)
        #expect(elsewhere.stderr.contains("is outside the allowed directories"), "\(elsewhere.stderr)")
    }

    @Test("--allow-file-root must name an existing directory", arguments: ["run", "validate", "list"])
    func missingRoot(_ command: String) async throws {
        let directory = try Self.layout()
        defer { directory.cleanup() }
        let result = await Invocation.run(
            [command, "arazzo/flow.yaml", "--allow-file-root", "no/such/dir"], settings: CLISettings(workingDirectory: directory.path))
        #expect(result.code == CLIExitCode.usage)
        #expect(result.stderr.contains("error: --allow-file-root no/such/dir: no such directory"), "\(result.stderr)")
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
