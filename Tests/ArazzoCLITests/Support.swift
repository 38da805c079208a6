import Arazzo
import ArazzoCLI
import ArazzoJSON
import ArazzoYAML
import Foundation
import ArazzoDiagnostics
import ArazzoTestSupport

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

/// Log lines `--log-level` writes, captured as text (`level message key=value…`, one per line).
final class CapturedLog: Sendable {
    private let log = RecordingLog()

    /// The settings that send `--log-level` lines here.
    var settings: CLISettings {
        let log = log
        return CLISettings(logHandler: { _ in log.handler })
    }

    /// Every line so far.
    var text: String { log.text }
}
