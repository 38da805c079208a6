import ArazzoDiagnostics
public import ArazzoJSON
import ArazzoYAML
import Foundation

extension ConformanceCase {
    /// The `expect:` block of a case: what a run must show. Every field is optional; an absent one
    /// is not checked.
    public struct Expectation: Sendable {
        /// The acceptable exit codes.
        public var exit: [Int]?
        /// Substrings the console output must contain.
        public var stdout: [String] = []
        /// Substrings standard error must contain.
        public var stderr: [String] = []
        /// The retry delays in seconds, in order (zero delays are not listed).
        public var sleeps: [Double]?
        /// Strings no report or console output may contain.
        public var reportExcludes: [String] = []
        /// Expected results by workflow id, in the order written.
        public var workflows: [(id: String, expected: WorkflowExpectation)] = []
        /// Diagnostics that must each match some reported diagnostic.
        public var diagnostics: [DiagnosticExpectation]?

        init(reader: CaseReader, node: YAMLNode) throws(ConformanceCaseError) {
            let e = try reader.mapping(node, "expect", keys: [
                "exit", "stdout", "stderr", "sleeps", "reportExcludes", "workflows", "diagnostics",
            ])
            if let exitNode = e["exit"] {
                if let items = exitNode.sequence {
                    var codes: [Int] = []
                    for item in items { codes.append(try reader.int(item, "an exit code")) }
                    exit = codes
                } else {
                    exit = [try reader.int(exitNode, "exit")]
                }
            }
            stdout = try e["stdout"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.strings(node, "stdout") } ?? []
            stderr = try e["stderr"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.strings(node, "stderr") } ?? []
            if let sleepsNode = e["sleeps"] {
                var values: [Double] = []
                for item in try reader.sequence(sleepsNode, "sleeps") { values.append(try reader.number(item, "a sleep")) }
                sleeps = values
            }
            reportExcludes = try e["reportExcludes"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.strings(node, "reportExcludes") } ?? []
            if let workflowsNode = e["workflows"] {
                for pair in try reader.pairs(workflowsNode, "workflows") {
                    workflows.append((pair.key, try WorkflowExpectation(reader: reader, node: pair.value)))
                }
            }
            if let diagnosticsNode = e["diagnostics"] {
                var list: [DiagnosticExpectation] = []
                for item in try reader.sequence(diagnosticsNode, "diagnostics") {
                    let d = try reader.mapping(item, "a diagnostic", keys: ["severity", "line", "contains"])
                    list.append(DiagnosticExpectation(
                        severity: try d["severity"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "severity") },
                        line: try d["line"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.int(node, "line") },
                        contains: try d["contains"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "contains") }))
                }
                diagnostics = list
            }
        }

        /// Every way `observation` differs from the expectation, one line each; empty when it
        /// matches. The rules are those of `docs/conformance.md`, for every runner.
        public func problems(_ observation: Observation) -> [String] {
            var problems: [String] = []
            if let exit {
                switch observation.exit {
                case .code(let code) where !exit.contains(code):
                    problems.append("exit code \(code), expected \(exit.map(String.init).joined(separator: " or "))")
                case .succeeded(let succeeded) where succeeded != exit.contains(0):
                    problems.append(succeeded ? "the run succeeded, expected exit \(exit.map(String.init).joined(separator: " or "))" : "the run failed, expected it to succeed")
                default: break
                }
            }
            if let console = observation.stdout {
                for needle in stdout where !console.contains(needle) { problems.append("stdout lacks \(needle.debugDescription)") }
            }
            if let errors = observation.stderr {
                for needle in stderr where !errors.contains(needle) { problems.append("stderr lacks \(needle.debugDescription)") }
            }
            if let diagnostics {
                for expected in diagnostics where !observation.diagnostics.contains(where: expected.matches) {
                    let summary = observation.diagnostics.map { "\($0.severity) \($0.line.map(String.init) ?? "-"): \($0.message)" }
                    problems.append("no diagnostic like \(expected); got \(summary.isEmpty ? "none" : summary.joined(separator: " | "))")
                }
            }
            for (id, expected) in workflows {
                guard let actual = observation.workflow(id) else {
                    problems.append("workflow \(id) has no result")
                    continue
                }
                problems += expected.problems(id, actual)
            }
            if let sleeps {
                let slept = observation.sleeps.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }.filter { $0 > 0 }
                if slept.count != sleeps.count || zip(slept, sleeps).contains(where: { abs($0 - $1) > 1e-6 }) {
                    problems.append("retry delays \(slept), expected \(sleeps)")
                }
            }
            for secret in reportExcludes {
                if observation.report.contains(secret) { problems.append("the report contains the secret \(secret.prefix(3))…") }
                if (observation.stdout ?? "").contains(secret) || (observation.stderr ?? "").contains(secret) {
                    problems.append("the console output contains the secret \(secret.prefix(3))…")
                }
            }
            return problems
        }
    }

    /// One expected workflow result.
    public struct WorkflowExpectation: Sendable, Hashable {
        /// `succeeded`, `failed` or `planned` (a dry run).
        public var outcome: String?
        /// The step the failure is attributed to.
        public var failedStep: String?
        /// The failure's kind (``FailureReason``'s `kind`).
        public var failureKind: String?
        /// The workflow outputs, exactly.
        public var outputs: JSONValue?
        /// Every step execution, in order, as `<stepId> <status> [<action>]`.
        public var steps: [String]?

        init(reader: CaseReader, node: YAMLNode) throws(ConformanceCaseError) {
            let w = try reader.mapping(node, "a workflow expectation", keys: ["outcome", "failedStep", "failureKind", "outputs", "steps"])
            outcome = try w["outcome"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "outcome") }
            if let outcome, !["succeeded", "failed", "planned"].contains(outcome) {
                throw reader.error(node, "outcome must be succeeded, failed or planned, not '\(outcome)'")
            }
            failedStep = try w["failedStep"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "failedStep") }
            failureKind = try w["failureKind"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "failureKind") }
            outputs = w["outputs"]?.jsonValue
            steps = try w["steps"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.strings(node, "steps") }
        }

        func problems(_ id: String, _ actual: ObservedWorkflow) -> [String] {
            var problems: [String] = []
            if let outcome, actual.outcome != outcome {
                problems.append("\(id): outcome \(actual.outcome), expected \(outcome)" + (actual.failureMessage.map { " (\($0))" } ?? ""))
            }
            if let failedStep, actual.failedStep != failedStep {
                problems.append("\(id): failed at \(actual.failedStep ?? "no step"), expected \(failedStep)")
            }
            if let failureKind, actual.failureKind != failureKind {
                problems.append("\(id): failure kind \(actual.failureKind ?? "none"), expected \(failureKind)")
            }
            if let outputs, actual.outputs != outputs {
                problems.append("\(id): outputs \(actual.outputs.jsonText()), expected \(outputs.jsonText())")
            }
            if let steps {
                let same = actual.steps.count == steps.count && !zip(actual.steps, steps).contains { !Self.stepMatches($0, $1) }
                if !same {
                    problems.append("\(id): steps [\(actual.steps.joined(separator: ", "))], expected [\(steps.joined(separator: ", "))]")
                }
            }
            return problems
        }

        /// An expected step line matches when its given fields match: id and status always, the
        /// action only when the line names one.
        public static func stepMatches(_ actual: String, _ expected: String) -> Bool {
            let want = expected.split(separator: " ").map(String.init)
            let got = actual.split(separator: " ").map(String.init)
            guard want.count >= 2, got.count >= 2 else { return actual == expected }
            if want[0] != got[0] || want[1] != got[1] { return false }
            if want.count == 2 { return true }
            return want[2...].joined(separator: " ") == got[2...].joined(separator: " ")
        }
    }

    /// One expected diagnostic: each given field must match the same reported diagnostic.
    public struct DiagnosticExpectation: Sendable, Hashable, CustomStringConvertible {
        /// `error`, `warning`, … exactly.
        public var severity: String?
        /// The line in the entry document.
        public var line: Int?
        /// Text the message or one of its notes contains, compared case-insensitively.
        public var contains: String?

        /// Whether `diagnostic` matches.
        public func matches(_ diagnostic: ObservedDiagnostic) -> Bool {
            if let severity, diagnostic.severity != severity { return false }
            if let line, diagnostic.line != line { return false }
            if let contains {
                let needle = contains.lowercased()
                return ([diagnostic.message] + diagnostic.notes).contains { $0.lowercased().contains(needle) }
            }
            return true
        }

        /// `{severity: …, line: …, contains: …}` with the given fields.
        public var description: String {
            let parts = [severity.map { "severity: \($0)" }, line.map { "line: \($0)" }, contains.map { "contains: \($0.debugDescription)" }]
            return "{" + parts.compactMap { $0 }.joined(separator: ", ") + "}"
        }
    }

    /// What a runner saw of one case's run, in the terms of the case format.
    public struct Observation: Sendable {
        /// How the run ended.
        public enum Exit: Sendable, Hashable {
            /// The process's exit code (the CLI path).
            case code(Int)
            /// Only whether it succeeded (the engine API has no exit codes; exit 0 is success).
            case succeeded(Bool)
        }

        /// How the run ended.
        public var exit: Exit
        /// The console output, or `nil` when the runner has none (no `stdout` check).
        public var stdout: String?
        /// Standard error, or `nil` when the runner has none.
        public var stderr: String?
        /// The diagnostics reported for the entry document.
        public var diagnostics: [ObservedDiagnostic]
        /// The top-level workflow results (nested runs inside them).
        public var workflows: [ObservedWorkflow]
        /// Every sleep the run asked its clock for.
        public var sleeps: [Duration]
        /// The report text that must hold no secret.
        public var report: String

        /// An observation.
        public init(
            exit: Exit, stdout: String? = nil, stderr: String? = nil, diagnostics: [ObservedDiagnostic] = [],
            workflows: [ObservedWorkflow] = [], sleeps: [Duration] = [], report: String = ""
        ) {
            self.exit = exit
            self.stdout = stdout
            self.stderr = stderr
            self.diagnostics = diagnostics
            self.workflows = workflows
            self.sleeps = sleeps
            self.report = report
        }

        /// The result of `id`: a top-level run wins over a nested copy of the same workflow.
        public func workflow(_ id: String) -> ObservedWorkflow? {
            if let top = workflows.first(where: { $0.workflowId == id }) { return top }
            func find(_ results: [ObservedWorkflow]) -> ObservedWorkflow? {
                for result in results {
                    if result.workflowId == id { return result }
                    if let found = find(result.workflows) { return found }
                }
                return nil
            }
            return find(workflows)
        }
    }

    /// One workflow result as a case describes it.
    public struct ObservedWorkflow: Sendable, Hashable {
        /// The workflow id.
        public var workflowId: String
        /// `succeeded`, `failed` or `planned`.
        public var outcome: String
        /// The step the failure is attributed to.
        public var failedStep: String?
        /// The failure's kind.
        public var failureKind: String?
        /// The failure's message (shown when the outcome differs).
        public var failureMessage: String?
        /// The workflow outputs.
        public var outputs: JSONValue
        /// Every step execution as `<stepId> <status> <action>` (see ``WorkflowExpectation/steps``).
        public var steps: [String]
        /// The workflows it ran.
        public var workflows: [ObservedWorkflow]

        /// A result.
        public init(
            workflowId: String, outcome: String, failedStep: String? = nil, failureKind: String? = nil,
            failureMessage: String? = nil, outputs: JSONValue = .null, steps: [String] = [],
            workflows: [ObservedWorkflow] = []
        ) {
            self.workflowId = workflowId
            self.outcome = outcome
            self.failedStep = failedStep
            self.failureKind = failureKind
            self.failureMessage = failureMessage
            self.outputs = outputs
            self.steps = steps
            self.workflows = workflows
        }

        /// The step line of the case format: `<stepId> <status> <action>`, where status is the
        /// HTTP status, the transport error's kind, for an AsyncAPI step `sent`/`received` or its
        /// message error's kind, or `-`; an action starting with `retry` is written `retry`, and an
        /// empty action is left out.
        public static func stepLine(stepId: String, status: String, action: String) -> String {
            let action = action.hasPrefix("retry") ? "retry" : action
            return action.isEmpty ? "\(stepId) \(status)" : "\(stepId) \(status) \(action)"
        }
    }

    /// One reported diagnostic as a case matches it.
    public struct ObservedDiagnostic: Sendable, Hashable {
        /// The severity's name (`error`, `warning`, …).
        public var severity: String
        /// The line, when located.
        public var line: Int?
        /// The message.
        public var message: String
        /// The notes.
        public var notes: [String]

        /// A diagnostic.
        public init(severity: String, line: Int?, message: String, notes: [String] = []) {
            self.severity = severity
            self.line = line
            self.message = message
            self.notes = notes
        }
    }
}
