import Foundation
#if Networking
import ArazzoCLI

// The whole tool lives in ArazzoCLI so tests drive the same code path. `serve` hands over to
// `arazzo-run-mcp`, which links the MCP server (decision MCP9).
let arguments = Array(CommandLine.arguments.dropFirst())
let code = await CLI.main(arguments: arguments, settings: CLISettings(serving: .handOff(arguments: arguments)))
exit(code)
#else
// Built with the Networking trait off (an embedder's lean graph): the CLI and its executors are
// not in this build, so say how to get them instead of failing obscurely.
FileHandle.standardError.write(Data("arazzo-run was built without the Networking trait; build it with the default traits (swift build --product arazzo-run) or --traits Networking\n".utf8))
exit(2)
#endif
