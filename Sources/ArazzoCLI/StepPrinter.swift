#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation
import Synchronization
import OrderedCollections

/// Prints one line per finished step as the run goes, plus details for failures and `-v`.
///
/// Traces and results arrive redacted by the engine (one list of secrets, one pass), so what is
/// printed here is printed as it is.
struct StepPrinter: Sendable {
    let output: CLIOutput
    let style: Style
    let verbose: Bool
    let dryRun: Bool

    func step(_ trace: StepTrace) {
        var line = "  "
        if dryRun {
            line += style.dim("·")
        } else {
            line += trace.succeeded ? style.green("✓") : style.red("✗")
        }
        line += " " + trace.stepId
        if trace.attempt > 1 { line += style.dim(" (attempt \(trace.attempt))") }
        line += "  " + style.dim(trace.operation)
        if let response = trace.response {
            let status = String(response.status)
            line += "  " + ((200..<300).contains(response.status) ? status : style.yellow(status))
        } else if let error = trace.transportError {
            line += "  " + style.red(error.kind.rawValue)
        } else if let message = trace.message {
            if let error = message.error {
                line += "  " + style.red(error.kind.rawValue)
            } else if message.message != nil {
                line += "  " + (message.action == "send" ? "sent" : "received")
            }
        }
        line += "  " + style.dim(Self.milliseconds(trace.duration))
        if trace.action != .sideStep, trace.action != .next {
            line += "  → " + trace.action.description
        }
        output.line(line)

        if dryRun || verbose, let request = trace.request {
            output.line("      " + style.dim("→ \(request.method) \(request.url)"))
            if verbose {
                for field in request.headers { output.line("        \(field.name): \(field.value)") }
                if let body = request.body, !body.isEmpty { output.line(indentBody(body)) }
            }
        }
        if verbose, let response = trace.response {
            output.line("      " + style.dim("← \(response.status)"))
            for field in response.headers { output.line("        \(field.name): \(field.value)") }
            if !response.body.isEmpty { output.line(indentBody(response.body)) }
        }
        if let error = trace.transportError {
            output.line("      " + style.red("transport error: \(error.description)"))
        }
        if let message = trace.message {
            let arrow = message.action == "send" ? "→" : "←"
            if dryRun || verbose, let endpoint = message.endpoint {
                output.line("      " + style.dim("\(arrow) \(message.action) \(endpoint.url) (channel \(message.channel))"))
            }
            if verbose, let carried = message.message {
                for name in carried.headers.keys.sorted() {
                    output.line("        \(name): \(carried.headers[name].map { value in if case .string(let text) = value { return text } else { return value.jsonText() } } ?? "")")
                }
                output.line(indentBody(carried.payload.bytes))
            }
            if let error = message.error {
                output.line("      " + style.red("message error: \(error.description)"))
            }
        }
        if !dryRun {
            for verdict in trace.criteria where !verdict.passed {
                var text = "      " + style.red("✗ ")
                if verdict.explanation.contains(verdict.condition) {
                    text += verdict.explanation
                } else {
                    text += verdict.condition + (verdict.explanation.isEmpty ? "" : " — " + verdict.explanation)
                }
                output.line(text)
            }
        }
        // Contract findings (docs/contracts.md): warnings in the warning style, errors as failures.
        for finding in trace.contract {
            var text = finding.description
            if let expected = finding.expected, let found = finding.found, !finding.message.contains(found) {
                text += " (expected \(expected), found \(found))"
            }
            output.line("      " + (finding.severity == .error ? style.red("✗ " + text) : style.yellow("! " + text)))
        }
        // Notes explain a failure (e.g. why a request could not be built), so a failed step shows
        // them always; -v shows them for every step.
        if verbose || !trace.succeeded {
            for note in trace.notes { output.line("      " + style.dim("note: " + LimitWording.forCommandLine(note))) }
        }
    }

    func workflowSummary(_ result: RunResult) {
        let result = LimitWording.forCommandLine(result)
        let time = Self.milliseconds(result.duration)
        switch result.outcome {
        case .succeeded where dryRun:
            // Nothing was sent and no criterion judged: the workflow is planned, not succeeded.
            output.line(style.dim("· \(result.workflowId) planned") + style.dim(" in \(time)"))
        case .succeeded:
            output.line(style.green("✓ \(result.workflowId) succeeded") + style.dim(" in \(time)"))
        case .failed(let reason):
            output.line(style.red("✗ \(result.workflowId) failed") + (reason.stepId.map { " at step \($0)" } ?? "")
                + ": " + reason.message)
        }
        if !result.outputs.isEmpty {
            output.line("  outputs:")
            for (name, value) in result.outputs {
                output.line("    \(name) = \(Self.abbreviate(value.jsonText()))")
            }
        }
        for warning in result.warnings { output.line(style.yellow("  warning: ") + warning) }
    }

    private func indentBody(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if bytes.count > 4096 { text += "… (\(bytes.count) bytes)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n")
    }

    static func abbreviate(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return ms < 10 ? String(format: "%.1f ms", ms) : String(format: "%.0f ms", ms)
    }
}

/// Collects every exchange of a run (for the HAR file), with the wall-clock time it ended.
final class ExchangeRecorder: Sendable {
    struct Exchange: Sendable {
        let trace: StepTrace
        let finished: Date
    }

    // Behind a mutex: events may arrive from several tasks.
    private let list = Mutex<[Exchange]>([])

    func record(_ trace: StepTrace) {
        guard trace.request != nil else { return }
        let exchange = Exchange(trace: trace, finished: Date())
        list.withLock { $0.append(exchange) }
    }

    var exchanges: [Exchange] { list.withLock { $0 } }
}
#endif
