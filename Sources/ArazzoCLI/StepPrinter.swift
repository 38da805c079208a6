import Arazzo
import Foundation

/// Prints one line per finished step as the run goes, plus details for failures and `-v`.
struct StepPrinter: Sendable {
    let output: CLIOutput
    let style: Style
    let verbose: Bool
    let dryRun: Bool
    let secrets: [String]

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
        }
        line += "  " + style.dim(Self.milliseconds(trace.duration))
        if !trace.action.isEmpty, trace.action != "next" {
            line += "  → " + trace.action
        }
        output.line(scrub(line))

        if dryRun || verbose, let request = trace.request {
            output.line(scrub("      " + style.dim("→ \(request.method) \(request.url)")))
            if verbose {
                for field in request.headers { output.line(scrub("        \(field.name): \(field.value)")) }
                if let body = request.body, !body.isEmpty { output.line(scrub(indentBody(body))) }
            }
        }
        if verbose, let response = trace.response {
            output.line(scrub("      " + style.dim("← \(response.status)")))
            for field in response.headers { output.line(scrub("        \(field.name): \(field.value)")) }
            if !response.body.isEmpty { output.line(scrub(indentBody(response.body))) }
        }
        if let error = trace.transportError {
            output.line(scrub("      " + style.red("transport error: \(error.description)")))
        }
        if !dryRun {
            for verdict in trace.criteria where !verdict.passed {
                var text = "      " + style.red("✗ ")
                if verdict.explanation.contains(verdict.condition) {
                    text += verdict.explanation
                } else {
                    text += verdict.condition + (verdict.explanation.isEmpty ? "" : " — " + verdict.explanation)
                }
                output.line(scrub(text))
            }
        }
        // Notes explain a failure (e.g. why a request could not be built), so a failed step shows
        // them always; -v shows them for every step.
        if verbose || !trace.succeeded {
            for note in trace.notes { output.line(scrub("      " + style.dim("note: " + note))) }
        }
    }

    func workflowSummary(_ result: RunResult) {
        let time = Self.milliseconds(result.duration)
        switch result.outcome {
        case .succeeded:
            output.line(style.green("✓ \(result.workflowId) succeeded") + style.dim(" in \(time)"))
        case .failed(let reason):
            output.line(scrub(style.red("✗ \(result.workflowId) failed") + (reason.stepId.map { " at step \($0)" } ?? "")
                + ": " + reason.message))
        }
        if !result.outputs.isEmpty {
            output.line("  outputs:")
            for (name, value) in result.outputs {
                output.line(scrub("    \(name) = \(Self.abbreviate(value.jsonText()))"))
            }
        }
        for warning in result.warnings { output.line(scrub(style.yellow("  warning: ") + warning)) }
    }

    private func indentBody(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if bytes.count > 4096 { text += "… (\(bytes.count) bytes)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n")
    }

    /// Removes any known secret that slipped into a line.
    func scrub(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "[REDACTED]")
        }
        return text
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
final class ExchangeRecorder: @unchecked Sendable {
    struct Exchange {
        let trace: StepTrace
        let finished: Date
    }

    // Guarded by `lock`: events may arrive from several tasks.
    private let lock = NSLock()
    private var list: [Exchange] = []

    func record(_ trace: StepTrace) {
        guard trace.request != nil else { return }
        lock.lock()
        list.append(Exchange(trace: trace, finished: Date()))
        lock.unlock()
    }

    var exchanges: [Exchange] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
