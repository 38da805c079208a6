import ArazzoCLI
import ArazzoTestSupport
import Testing

/// `arazzo-run serve`: the command-line checks made before anything is served (docs/mcp.md).
/// Serving itself is driven by the Python MCP client (Tests/ArazzoMCPTests).
@Suite("arazzo-run serve: usage checks")
struct ServeCLITests {
    static let pets = Repository.fixture("mcp/pets.arazzo.yaml")
    static let other = Repository.fixture("mcp/other.arazzo.yaml")

    @Test("serve needs --mcp and a document")
    func needsProtocolAndDocument() async {
        let bare = await Invocation.run(["serve", Self.pets])
        #expect(bare.code == 2)
        #expect(bare.stderr == "error: serve needs --mcp (the Model Context Protocol is the one protocol served)\n")
        let empty = await Invocation.run(["serve", "--mcp"])
        #expect(empty.code == 2)
        #expect(empty.stderr == "error: serve --mcp needs at least one Arazzo document\n")
    }

    @Test("--http must be HOST:PORT")
    func httpEndpoint() async {
        for bad in ["8080", "localhost", ":80", "127.0.0.1:99999", "127.0.0.1:x"] {
            let run = await Invocation.run(["serve", "--mcp", Self.pets, "--http", bad])
            #expect(run.code == 2, "\(bad)")
            #expect(run.stderr == "error: --http \(bad): expected HOST:PORT, e.g. 127.0.0.1:8080\n", "\(bad)")
        }
    }

    @Test("with several documents, --server and --secret-output must name something in one of them (decision MCP5)")
    func namesAcrossDocuments() async {
        let server = await Invocation.run(["serve", "--mcp", Self.pets, Self.other, "--server", "petstor=http://127.0.0.1:1"])
        #expect(server.code == 2)
        #expect(server.stderr.hasPrefix("error: --server petstor=http://127.0.0.1:1: "), "\(server.stderr)")
        #expect(server.stderr.contains("petstore"), "\(server.stderr)")
        let output = await Invocation.run(["serve", "--mcp", Self.pets, Self.other, "--secret-output", "fetch.token"])
        #expect(output.code == 2)
        #expect(output.stderr.hasPrefix("error: --secret-output "), "\(output.stderr)")
    }

    @Test("a malformed credential stops serve before anything is served (exit 3)")
    func badCredential() async {
        let run = await Invocation.run(["serve", "--mcp", Self.pets], environment: ["ARAZZO_AUTH_PETSTORE": "nonsense"])
        #expect(run.code == 3)
        #expect(run.stderr.contains("error: "), "\(run.stderr)")
    }

    @Test("in process, with no MCP server linked in, serve checks everything and then says where the server is (decision MCP9)")
    func noServerInProcess() async {
        let run = await Invocation.run(["serve", "--mcp", Self.pets, "--mock"])
        #expect(run.code == 3)
        #expect(run.stdout == "")
        #expect(run.stderr.hasSuffix("error: this build serves no MCP: the server is in the arazzo-run-mcp executable (`arazzo-run serve` hands over to it)\n"), "\(run.stderr)")
    }
}
