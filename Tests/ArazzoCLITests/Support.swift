import Arazzo
import ArazzoCLI
import ArazzoJSON
import ArazzoYAML
import Foundation
import ArazzoDiagnostics
import Logging

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
    private let output = CapturedOutput()

    /// The settings that send `--log-level` lines here.
    var settings: CLISettings {
        let output = output.output
        return CLISettings(logHandler: { _ in TextLogHandler(output: output) })
    }

    /// Every line so far.
    var text: String { output.text }
}

/// Writes each record as one line of text (level, message, sorted metadata).
struct TextLogHandler: LogHandler {
    let output: CLIOutput
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        output.line("\(event.level) \(event.message)" + all.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined())
    }
}
