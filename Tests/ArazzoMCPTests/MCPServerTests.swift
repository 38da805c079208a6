import Arazzo
import ArazzoJSON
import ArazzoMCP
import ArazzoTestSupport
import Foundation
import Testing

/// The workflows of `Fixtures/mcp/` as MCP tools: the catalog through the library, and the real
/// `arazzo-run serve --mcp` driven by the official Python MCP client (`scripts/peers/mcp_client.py`)
/// over stdio and streamable HTTP.
@Suite("arazzo-run serve --mcp", .timeLimit(.minutes(2)))
struct MCPServerTests {
    static func catalog(_ files: [String]) async throws -> WorkflowToolCatalog {
        var documents: [WorkflowToolCatalog.Document] = []
        for file in files {
            let runner = try await WorkflowRunner.load(path: Repository.fixture("mcp/" + file), options: RunOptions(executor: InMemoryExecutor(routes: [])))
            documents.append(.init(label: file, runner: runner))
        }
        return WorkflowToolCatalog(documents: documents)
    }

    @Test("tool names: the workflowId, sanitised, and a later duplicate numbered, each change noted (decision MCP1)")
    func names() async throws {
        let catalog = try await Self.catalog(["pets.arazzo.yaml", "other.arazzo.yaml"])
        #expect(catalog.tools.map(\.name) == ["get-pet", "pets_count", "get-pet_2"])
        #expect(catalog.tools.map(\.workflowId) == ["get-pet", "pets.count", "get-pet"])
        #expect(catalog.notes == [
            "workflow 'pets.count' of pets.arazzo.yaml is the tool 'pets_count' (tool names allow only A-Z, a-z, 0-9, _ and -, at most 64 characters)",
            "workflow 'get-pet' of other.arazzo.yaml is the tool 'get-pet_2' ('get-pet' is taken by a workflow of pets.arazzo.yaml)",
        ])
        #expect(WorkflowToolCatalog.toolName(for: String(repeating: "x", count: 80)).count == 64)
        #expect(WorkflowToolCatalog.toolName(for: "") == "workflow")
        #expect(WorkflowToolCatalog.toolName(for: "créer un compte") == "cr_er_un_compte")
    }

    @Test("inputSchema: $refs inlined, secret inputs marked; outputSchema names the outputs; description from summary and description")
    func schemas() async throws {
        let catalog = try await Self.catalog(["pets.arazzo.yaml"])
        let tool = try #require(catalog.tool(named: "get-pet"))
        #expect(tool.description == "Look a pet up by id.\n\nFetches one pet and returns its name.")
        #expect(tool.title == "Look a pet up by id.")
        #expect(!tool.inputSchema.jsonText().contains("$ref"))
        #expect(tool.inputSchema["type"] == "object")
        #expect(tool.inputSchema["required"] == ["petId"])
        #expect(tool.inputSchema["properties"]?["petId"] == ["type": "integer", "description": "The pet's id."])
        #expect(tool.inputSchema["properties"]?["pin"]?["x-arazzo-secret"] == true)
        #expect(tool.inputSchema["properties"]?["pin"]?["description"] == "A PIN the server checks. (Secret: redacted from every result.)")
        #expect(tool.outputSchema == ["type": "object", "properties": ["name": [:], "auth": [:]]])
        let bare = try #require(catalog.tool(named: "pets_count"))
        #expect(bare.description == "Runs the Arazzo workflow 'pets.count' of pets.arazzo.yaml.")
        #expect(bare.inputSchema == ["type": "object", "properties": [:]])
    }

    @Test("a call on the OpenAPI mock: outputs as structured values; arguments typed as an --inputs file's (decision MCP3)")
    func mockCall() async throws {
        let loaded = try await ArazzoLoader().load(path: Repository.fixture("stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml"))
        let runner = WorkflowRunner(document: loaded, options: RunOptions(executor: OpenAPIMockExecutor(document: loaded)))
        let catalog = WorkflowToolCatalog(documents: [.init(label: "stytch.yml", runner: runner)])
        let tool = try #require(catalog.tool(named: "totp-enrollment"))
        let ok = await catalog.call(tool, arguments: [
            "organization_id": "organization-test-1", "member_id": "member-test-2", "code": "123456",
            "session_duration_minutes": "60",  // an exact number string where only integer is allowed: converted
        ])
        #expect(!ok.isError, "\(ok.text)")
        #expect(ok.outputs?.keys.elementsEqual(["totpRegistrationId", "memberId", "sessionToken"]) == true)
        #expect(ok.text.hasPrefix("totp-enrollment succeeded in "))
        #expect(ok.text.contains("\noutputs: {\"totpRegistrationId\":"))
        // A JSON number for a string input has lost its spelling (`0123`): refused, as in an --inputs file.
        let refused = await catalog.call(tool, arguments: ["organization_id": "o", "member_id": "m", "code": 123456])
        #expect(refused.isError)
        #expect(refused.outputs == nil)
        #expect(refused.text == "totp-enrollment did not run: its arguments do not fit its inputs schema\nerror: input $.code: expected string, found integer 123456")
    }

    @Test("a recursive $ref is cut to {} rather than inlined for ever")
    func recursiveReference() {
        let root: JSONValue = ["components": ["inputs": ["node": ["type": "object", "properties": ["next": ["$ref": "#/components/inputs/node"]]]]]]
        let inlined = WorkflowToolCatalog.inline(["$ref": "#/components/inputs/node"], in: root)
        #expect(inlined == ["type": "object", "properties": ["next": [:]]])
    }

    @Test("inlining reaches schemas under property names that are keywords, and leaves values and extensions alone")
    func inliningScope() {
        let root: JSONValue = ["components": ["inputs": ["id": ["type": "integer"]]]]
        let schema: JSONValue = [
            "properties": ["default": ["$ref": "#/components/inputs/id"], "enum": ["$ref": "#/components/inputs/id"]],
            "default": ["$ref": "#/components/inputs/id"],
            "x-note": ["$ref": "#/components/inputs/id"],
            "allOf": [["$ref": "#/components/inputs/id", "description": "An id."]],
        ]
        #expect(WorkflowToolCatalog.inline(schema, in: root) == [
            "properties": ["default": ["type": "integer"], "enum": ["type": "integer"]],
            "default": ["$ref": "#/components/inputs/id"],
            "x-note": ["$ref": "#/components/inputs/id"],
            "allOf": [["type": "integer", "description": "An id."]],
        ])
    }

    @Test("the Python MCP client lists and calls the tools over stdio and HTTP; no canary secret in any result")
    func pythonClient() async throws {
        let binary = try #require(Self.executable, "arazzo-run is not built next to the tests; run `swift build --build-tests`")
        let (status, output) = try await Self.runPython([
            Repository.root + "/scripts/peers/mcp_client.py", binary, Repository.fixture("mcp"),
        ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("mcp client: all checks passed"), "\(output)")
    }

    /// `arazzo-run` next to this test binary, else in `.build/debug`.
    static var executable: String? {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        return [here.appendingPathComponent("arazzo-run").path, Repository.root + "/.build/debug/arazzo-run"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the peer virtualenv's Python (a missing one fails, never skips) off the cooperative
    /// pool; returns the exit status and everything it printed.
    static func runPython(_ arguments: [String]) async throws -> (Int32, String) {
        guard PythonPeer.available else {
            throw PythonPeer.Failure(message: "no Python peer: \(PythonPeer.python) is missing; run scripts/setup-peers.sh")
        }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: PythonPeer.python)
                    process.arguments = arguments
                    let output = Pipe()
                    process.standardOutput = output
                    process.standardError = output
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
                })
            }
        }
    }
}
