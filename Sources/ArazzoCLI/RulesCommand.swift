#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArgumentParser
import Foundation
import ArazzoDiagnostics

/// `arazzo-run rules`: every diagnostic rule with its code, default severity, spec reference and
/// whether it has a fix-it; `--format markdown` is `docs/diagnostics.md`'s table.
struct RulesCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the validator's rules (codes for --severity).")

    /// `text` (aligned columns), `json` or `markdown`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Option(help: "text (default), json or markdown.")
    var format: Format = .text

    func execute(_ context: CLIContext) async -> Int32 {
        switch format {
        case .text:
            let width = DiagnosticRule.catalogue.map(\.code.count).max() ?? 0
            for rule in DiagnosticRule.catalogue {
                let code = rule.code.padding(toLength: width, withPad: " ", startingAt: 0)
                let severity = rule.defaultSeverity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                context.stdout.line("\(code)  \(severity)  \(rule.hasFixIt ? "fix-it" : "      ")  \(rule.summary)")
            }
        case .json:
            let rules: [JSONValue] = DiagnosticRule.catalogue.map { rule in
                [
                    "code": .string(rule.code), "severity": .string(rule.defaultSeverity.rawValue),
                    "area": .string(rule.area.rawValue), "reference": .string(rule.reference),
                    "fixIt": .bool(rule.hasFixIt), "summary": .string(rule.summary),
                ]
            }
            context.stdout.line(JSONValue.array(rules).jsonText(.init(prettyPrinted: true)))
        case .markdown:
            context.stdout.write(Self.markdown())
        }
        return CLIExitCode.success
    }

    /// The rule tables of `docs/diagnostics.md`, one per area (a test keeps the page in step).
    static func markdown() -> String {
        var out = ""
        for area in DiagnosticRule.Area.allCases {
            let rules = DiagnosticRule.catalogue.filter { $0.area == area }
            guard !rules.isEmpty else { continue }
            out += "\n### \(area.rawValue)\n\n| Code | Default | Fix-it | Reference | What it checks |\n|---|---|---|---|---|\n"
            for rule in rules {
                let summary = rule.summary.replacingOccurrences(of: "|", with: "\\|")
                out += "| `\(rule.code)` | \(rule.defaultSeverity.rawValue) | \(rule.hasFixIt ? "yes" : "—") | \(rule.reference.replacingOccurrences(of: "|", with: "\\|")) | \(summary) |\n"
            }
        }
        return out
    }
}
#endif
