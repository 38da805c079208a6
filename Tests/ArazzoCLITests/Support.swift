import Arazzo
import ArazzoCLI
import ArazzoJSON
import ArazzoYAML
import Foundation
import ArazzoDiagnostics

/// One in-process CLI invocation and what it printed.
struct Invocation {
    let code: Int32
    let stdout: String
    let stderr: String

    static func run(
        _ arguments: [String], environment: [String: String] = [:], settings: CLISettings = CLISettings()
    ) async -> Invocation {
        let out = CapturedOutput()
        let err = CapturedOutput()
        let code = await CLI.main(
            arguments: arguments, environment: environment, stdout: out.output, stderr: err.output, settings: settings)
        return Invocation(code: code, stdout: out.text, stderr: err.text)
    }
}

extension String {
    /// The text parsed as YAML or JSON into a JSON value.
    var parsedYAML: JSONValue? {
        guard let node = try? YAMLParser.parse(self, file: "inline") else { return nil }
        return node.jsonValue
    }
}


/// Catalogue look-ups for tests.
enum DiagnosticRuleLookup {
    static func isCatalogued(_ code: String) -> Bool { DiagnosticRule.named(code) != nil }
}
