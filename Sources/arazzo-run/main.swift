import ArazzoCLI
import Foundation

// The whole tool lives in ArazzoCLI so tests drive the same code path.
let code = await CLI.main(arguments: Array(CommandLine.arguments.dropFirst()))
exit(code)
