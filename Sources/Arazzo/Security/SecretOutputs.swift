public import ArazzoDiagnostics
import ArazzoExpressions
import ArazzoJSON
import ArazzoModel
import OrderedCollections

/// Step outputs whose values are secrets (a session token a login step returns, a one-time
/// code): once a marked output has a value, that value and its encodings are redacted from
/// everything the run records from then on — the producing step's own trace included.
///
/// An output is addressed by its step and name, `STEP_ID.OUTPUT_NAME`, which marks it in every
/// workflow that has a step of that id (step ids are unique only within a workflow), or by
/// `WORKFLOW_ID.STEP_ID.OUTPUT_NAME` for one workflow only. A document can mark outputs itself
/// with the step extension ``documentMarker`` (`x-arazzo-secret-outputs: [token]`).
public struct SecretOutputs: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// One marked step output.
    public struct Reference: Sendable, Hashable, CustomStringConvertible {
        /// The workflow the step belongs to; nil for a step of that id in any workflow.
        public var workflowId: String?
        /// The step's `stepId`.
        public var stepId: String
        /// The output's name in the step's `outputs`.
        public var outputName: String

        /// Marks `outputName` of step `stepId` (of `workflowId`, or of every workflow when nil).
        public init(workflowId: String? = nil, stepId: String, outputName: String) {
            self.workflowId = workflowId
            self.stepId = stepId
            self.outputName = outputName
        }

        /// `STEP.OUTPUT` or `WORKFLOW.STEP.OUTPUT`.
        public var description: String {
            (workflowId.map { $0 + "." } ?? "") + stepId + "." + outputName
        }

        func matches(workflowId: String, stepId: String, outputName: String) -> Bool {
            self.stepId == stepId && self.outputName == outputName && (self.workflowId == nil || self.workflowId == workflowId)
        }
    }

    /// A `--secret-output` reference that names no output of the document.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The reference as given.
        public var reference: String
        /// What is wrong, with a "did you mean" when a near name exists.
        public var message: String

        /// `REFERENCE: MESSAGE`.
        public var description: String { "\(reference): \(message)" }
    }

    /// The step extension by which a document marks its own outputs secret (our extension, not
    /// part of Arazzo 1.0.1): a list of output names of that step.
    public static let documentMarker = "x-arazzo-secret-outputs"

    /// The marked outputs.
    public private(set) var references: [Reference]

    /// Marks `references`.
    public init(_ references: [Reference] = []) {
        self.references = references
    }

    /// Marks the listed outputs.
    public init(arrayLiteral elements: Reference...) {
        self.references = elements
    }

    /// Whether nothing is marked.
    public var isEmpty: Bool { references.isEmpty }

    /// Marks one more output.
    public mutating func insert(_ reference: Reference) {
        if !references.contains(reference) { references.append(reference) }
    }

    /// Whether output `outputName` of step `stepId` in workflow `workflowId` is marked.
    public func contains(workflowId: String, stepId: String, outputName: String) -> Bool {
        references.contains { $0.matches(workflowId: workflowId, stepId: stepId, outputName: outputName) }
    }

    /// Resolves textual references (`STEP.OUTPUT` or `WORKFLOW.STEP.OUTPUT`) against the steps
    /// of every Arazzo document loaded, so a typo is an error rather than a secret left in the
    /// clear. Output names may contain dots, so the split is decided by what the document has.
    public init(resolving texts: [String], in document: LoadedDocument) throws(Problem) {
        let workflows = document.units.keys.sorted().compactMap { document.units[$0]?.document.workflows }.flatMap { $0 }
        var references: [Reference] = []
        for text in texts {
            references.append(try Self.resolve(text, workflows: workflows))
        }
        self.init(references)
    }

    private static func resolve(_ text: String, workflows: [Workflow]) throws(Problem) -> Reference {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw Problem(reference: text, message: "expected STEP.OUTPUT or WORKFLOW.STEP.OUTPUT")
        }
        // WORKFLOW.STEP.OUTPUT, when the first part names a workflow that has that step.
        if parts.count == 3, let workflow = workflows.first(where: { $0.workflowId == parts[0] }) {
            if let step = workflow.steps.first(where: { $0.stepId == parts[1] }) {
                guard step.outputs[parts[2]] != nil || step.outputSelectors[parts[2]] != nil else {
                    throw Problem(reference: text, message: missingOutput(parts[2], of: step, prefix: parts[0] + "." + parts[1]))
                }
                return Reference(workflowId: parts[0], stepId: parts[1], outputName: parts[2])
            }
            // Not a step of that workflow: fall through to STEP.OUTPUT with a dotted name.
            let stepsHere = workflows.contains { $0.steps.contains { $0.stepId == parts[0] } }
            if !stepsHere {
                throw Problem(
                    reference: text,
                    message: "workflow '\(parts[0])' has no step '\(parts[1])'" + suggestion(parts[1], among: workflow.steps.map(\.stepId), prefix: parts[0] + "."))
            }
        }
        // STEP.OUTPUT, the output name possibly dotted.
        let stepId = parts[0]
        let outputName = parts.dropFirst().joined(separator: ".")
        let steps = workflows.flatMap { workflow in workflow.steps.filter { $0.stepId == stepId } }
        guard !steps.isEmpty else {
            let stepIds = workflows.flatMap { $0.steps.map(\.stepId) }
            let workflowIds = workflows.map(\.workflowId)
            var message = "no step '\(stepId)' in any workflow"
            let near = suggestion(stepId, among: stepIds + workflowIds, prefix: "")
            message += near
            if near.isEmpty, !stepIds.isEmpty {
                message += " (steps: " + Array(Set(stepIds)).sorted().prefix(12).joined(separator: ", ") + ")"
            }
            throw Problem(reference: text, message: message)
        }
        guard steps.contains(where: { $0.outputs[outputName] != nil || $0.outputSelectors[outputName] != nil }) else {
            throw Problem(reference: text, message: missingOutput(outputName, of: steps[0], prefix: stepId))
        }
        return Reference(stepId: stepId, outputName: outputName)
    }

    private static func missingOutput(_ name: String, of step: Step, prefix: String) -> String {
        let names = Array(step.outputs.keys) + Array(step.outputSelectors.keys)
        var message = "step '\(step.stepId)' has no output '\(name)'"
        if names.isEmpty { return message + " (it declares no outputs)" }
        let near = suggestion(name, among: names, prefix: prefix + ".")
        if near.isEmpty { message += " (its outputs: " + names.prefix(12).joined(separator: ", ") + ")" }
        return message + near
    }

    /// "; did you mean 'PREFIXname'?" for the nearest candidate (``suggest(_:among:)``, as for
    /// names in expressions); candidates in sorted order, so ties resolve the same every run.
    private static func suggestion(_ name: String, among candidates: [String], prefix: String) -> String {
        suggest(name, among: Set(candidates).sorted()).map { "; did you mean '\(prefix)\($0)'?" } ?? ""
    }

    /// Problems with `x-arazzo-secret-outputs` markers in the loaded Arazzo documents: a value
    /// that is not a list of names, or a name that is not one of the step's outputs (a typo would
    /// leave the secret in the clear). Warnings, located at the marker.
    public static func documentWarnings(in document: LoadedDocument) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        for url in document.units.keys.sorted() {
            guard let unit = document.units[url] else { continue }
            for workflow in unit.document.workflows {
                for step in workflow.steps {
                    guard let value = step.extensions[documentMarker] else { continue }
                    let location = step.extensions.locations[documentMarker]
                    guard let names = markedNames(value) else {
                        warnings.append(.warning(
                            "\(documentMarker) of step '\(step.stepId)' must be a list of output names; it is ignored",
                            at: location, code: "secret-outputs-marker"))
                        continue
                    }
                    for name in names where step.outputs[name] == nil && step.outputSelectors[name] == nil {
                        warnings.append(.warning(
                            "\(documentMarker) of step '\(step.stepId)' names '\(name)', which is not one of its outputs"
                                + suggestion(name, among: Array(step.outputs.keys) + Array(step.outputSelectors.keys), prefix: ""),
                            at: location, code: "secret-outputs-marker"))
                    }
                }
            }
        }
        return warnings
    }

    /// The names a marker lists, or nil when it is not a list of strings.
    static func markedNames(_ value: JSONValue) -> [String]? {
        guard case .array(let items) = value else { return nil }
        var names: [String] = []
        for item in items {
            guard case .string(let name) = item else { return nil }
            names.append(name)
        }
        return names
    }
}
