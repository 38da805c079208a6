/// One entry of a step's `dependsOn` (Arazzo 1.1), read by its form.
public enum StepDependency: Sendable, Hashable {
    /// `<stepId>`: a step of the same workflow.
    case local(stepId: String)
    /// `$workflows.<workflowId>.steps.<stepId>`: a step of a workflow of this document.
    case workflow(workflowId: String, stepId: String)
    /// `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>`: a step of another Arazzo document's workflow.
    case source(name: String, workflowId: String, stepId: String)

    /// Reads `text`; nil when it has none of the three forms (the reader reports that).
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        guard text.hasPrefix("$") else {
            self = .local(stepId: text)
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.dropFirst().allSatisfy({ !$0.isEmpty }) else { return nil }
        if parts.first == "$workflows", parts.count == 4, parts[2] == "steps" {
            self = .workflow(workflowId: parts[1], stepId: parts[3])
        } else if parts.first == "$sourceDescriptions", parts.count == 5, parts[3] == "steps" {
            self = .source(name: parts[1], workflowId: parts[2], stepId: parts[4])
        } else {
            return nil
        }
    }

    /// The step's id.
    public var stepId: String {
        switch self {
        case .local(let id), .workflow(_, let id), .source(_, _, let id): return id
        }
    }

    /// The entry as a step of `workflowId` when it names a step of that very workflow
    /// (`$workflows.<own id>.steps.<stepId>` means the same as `<stepId>`).
    public func localStepId(in workflowId: String) -> String? {
        switch self {
        case .local(let id): return id
        case .workflow(let w, let id) where w == workflowId: return id
        default: return nil
        }
    }

    /// The workflow the entry names, written as a step or action `workflowId` would name it
    /// (`<workflowId>` or `$sourceDescriptions.<name>.<workflowId>`); nil for a local step.
    public var workflowReference: String? {
        switch self {
        case .local: return nil
        case .workflow(let w, _): return w
        case .source(let name, let w, _): return "$sourceDescriptions.\(name).\(w)"
        }
    }
}

extension Workflow {
    /// The workflows this workflow's steps name in their `dependsOn` (other than itself), as
    /// written for resolution, each once in first-seen order. They must have run before those
    /// steps, so a run takes them as dependencies of this workflow (decision V7).
    public var stepDependencyWorkflows: [ExpressionString] {
        var seen: Set<String> = []
        var out: [ExpressionString] = []
        for step in steps {
            for entry in step.dependsOn {
                guard let dependency = StepDependency(entry.text), dependency.localStepId(in: workflowId) == nil,
                      let reference = dependency.workflowReference, seen.insert(reference).inserted else { continue }
                out.append(ExpressionString(text: reference, location: entry.location))
            }
        }
        return out
    }
}

extension ArazzoSpecification {
    /// Whether an action of `workflow` (its own defaults or a step's, components followed) goes
    /// to or runs a step by `stepId`: then a step listed later may run before an earlier one (a
    /// loop or a retry side trip), so list order alone does not say what has run.
    public func hasStepJumps(_ workflow: Workflow) -> Bool {
        var targets: [ActionTarget?] = workflow.successActions.map { resolve($0)?.target }
        targets += workflow.failureActions.map { resolve($0)?.target }
        for step in workflow.steps {
            targets += step.onSuccess.map { resolve($0)?.target }
            targets += step.onFailure.map { resolve($0)?.target }
        }
        return targets.contains { if case .stepId? = $0 { return true } else { return false } }
    }
}
