import Foundation
#if Networking
import ArazzoCLI

// `arazzo-run` with the MCP server linked in. `arazzo-run serve` replaces itself with this
// program (decision MCP9), so the server's dependencies (the MCP Swift SDK, FoundationNetworking,
// libcurl) load only for `serve`, not at every start of every command.
let code = await CLI.main(
    arguments: Array(CommandLine.arguments.dropFirst()), settings: CLISettings(serving: .inProcess(MCPWorkflowServing())))
exit(code)
#else
FileHandle.standardError.write(Data("arazzo-run-mcp was built without the Networking trait; build it with the default traits (swift build --product arazzo-run-mcp)\n".utf8))
exit(2)
#endif
