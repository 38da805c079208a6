#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation

/// The command line's wording of run-guard failures: the library's messages end with the
/// ``RunLimits`` property to raise (`raise RunLimits.maxSteps if this is intended`); on the command
/// line the remedy is the flag (`raise it with --max-steps if this is intended`).
enum LimitWording {
    /// The flag that sets `limit`.
    static func flag(for limit: LimitReached.Limit) -> String {
        switch limit {
        case .maxSteps: return "--max-steps"
        case .maxDepth: return "--max-depth"
        }
    }

    /// The remedy the command line offers for `limit`.
    static func remedy(for limit: LimitReached.Limit) -> String {
        "raise it with \(flag(for: limit)) if this is intended"
    }

    /// `text` with every library remedy replaced by its flag: a caller's message repeats the
    /// failure of the workflow it called, remedy included.
    static func forCommandLine(_ text: String) -> String {
        let text = NetworkWording.forCommandLine(text)
        guard text.contains("RunLimits.") else { return text }
        var worded = text
        for limit in LimitReached.Limit.allCases {
            worded = worded.replacingOccurrences(of: limit.remedy, with: remedy(for: limit))
        }
        return worded
    }

    /// `result` with every failure message and step note, nested workflows included, worded for
    /// the command line; a guard's own failure is rebuilt from its typed ``LimitReached``.
    static func forCommandLine(_ result: RunResult) -> RunResult {
        var worded = result
        if case .failed(var reason) = result.outcome {
            if let limit = reason.limit {
                reason.message = limit.situation + "; " + remedy(for: limit.limit)
            } else {
                reason.message = forCommandLine(reason.message)
            }
            worded.outcome = .failed(reason)
        }
        worded.steps = result.steps.map { trace in
            var trace = trace
            trace.notes = trace.notes.map(forCommandLine)
            return trace
        }
        worded.workflows = result.workflows.map(forCommandLine)
        return worded
    }
}
#endif
