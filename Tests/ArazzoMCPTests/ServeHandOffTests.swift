import ArazzoTestSupport
import Foundation
import Testing

/// `arazzo-run serve` hands the command over to `arazzo-run-mcp`, the only executable that links
/// the MCP server and, through the MCP Swift SDK, FoundationNetworking and libcurl (decision MCP9).
/// Driven through the real binaries of the build.
@Suite("arazzo-run serve hands over to arazzo-run-mcp", .timeLimit(.minutes(2)))
struct ServeHandOffTests {
    /// The built executable `name`, next to this test binary or in `.build/debug`.
    static func executable(_ name: String) -> String? {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        return [here.appendingPathComponent(name).path, Repository.root + "/.build/debug/" + name]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments`, standard input empty; returns status, stdout, stderr.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> (Int32, String, String) {
        try await ChildProcess.run(executable, arguments, input: "", environment: environment)
    }

    @Test("arazzo-run links neither FoundationNetworking nor libcurl; arazzo-run-mcp does")
    func linking() async throws {
        let cli = try #require(Self.executable("arazzo-run"), "arazzo-run is not built; run `swift build --build-tests`")
        let server = try #require(Self.executable("arazzo-run-mcp"), "arazzo-run-mcp is not built; run `swift build --build-tests`")
        let (cliStatus, cliLibraries, _) = try await Self.run("/usr/bin/ldd", [cli])
        #expect(cliStatus == 0)
        #expect(cliLibraries.contains("libyaml"), "\(cliLibraries)")
        #expect(!cliLibraries.contains("libcurl"), "\(cliLibraries)")
        #expect(!cliLibraries.contains("FoundationNetworking"), "\(cliLibraries)")
        // The control: the check would see them if they were there.
        let (_, serverLibraries, _) = try await Self.run("/usr/bin/ldd", [server])
        #expect(serverLibraries.contains("libcurl") || serverLibraries.contains("FoundationNetworking"), "\(serverLibraries)")
    }

    @Test("serve through arazzo-run reaches the server in arazzo-run-mcp: its 'serving' line, then the end of stdin ends it")
    func handOver() async throws {
        let cli = try #require(Self.executable("arazzo-run"), "arazzo-run is not built; run `swift build --build-tests`")
        let (status, stdout, stderr) = try await Self.run(cli, ["serve", "--mcp", Repository.fixture("mcp/pets.arazzo.yaml"), "--mock"])
        #expect(status == 0, "\(stderr)")
        #expect(stdout == "")
        #expect(stderr.contains("serving 2 MCP tools on stdio (mock: responses come from the OpenAPI descriptions; nothing is sent): get-pet, pets_count\n"), "\(stderr)")
        // The checks made before serving read the same through the hand-over.
        let (usage, _, message) = try await Self.run(cli, ["serve", "--mcp"])
        #expect(usage == 2)
        #expect(message == "error: serve --mcp needs at least one Arazzo document\n")
    }

    @Test("without arazzo-run-mcp beside it or on PATH, serve says what to install (exit 3)")
    func missingServer() async throws {
        let cli = try #require(Self.executable("arazzo-run"), "arazzo-run is not built; run `swift build --build-tests`")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("handoff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let alone = directory.appendingPathComponent("arazzo-run").path
        try FileManager.default.copyItem(atPath: cli, toPath: alone)
        let (status, stdout, stderr) = try await Self.run(
            alone, ["serve", "--mcp", Repository.fixture("mcp/pets.arazzo.yaml")], environment: ["PATH": "/usr/bin:/bin"])
        #expect(status == 3)
        #expect(stdout == "")
        #expect(stderr == "error: serve needs the arazzo-run-mcp executable (the MCP server) beside arazzo-run or on PATH; build it with `swift build --product arazzo-run-mcp` or `scripts/build-release.sh`, and install it next to arazzo-run\n")
        // --help needs no server.
        let (helpStatus, help, _) = try await Self.run(alone, ["serve", "--help"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(helpStatus == 0)
        #expect(help.hasPrefix("OVERVIEW: Serve the workflows of Arazzo documents as MCP tools."), "\(help)")
    }
}
