import ArazzoDiagnostics
import ArazzoModel

/// Actions that can never be taken. Of an action list (a step's `onSuccess`/`onFailure`, a
/// workflow's `successActions`/`failureActions`) the first action whose criteria match is the one
/// executed (spec: "the first sequential action matching the criteria SHALL be the action
/// executed"; decision A15 for retries). An action without criteria always matches, so every
/// action after it in the same list is dead: usually the author meant the criteria-less one as a
/// fallback and wrote it first.
///
/// Lists are checked one at a time: a step's criteria-less action hiding the workflow's defaults
/// for that step is an override the spec allows, not a mistake.
enum ActionOrderChecks {
    static func unreachableActions(in unit: ArazzoUnit) -> [Diagnostic] {
        let document = unit.document
        var out: [Diagnostic] = []
        for workflow in document.workflows {
            out += check(workflow.successActions.map { (Self.location($0), document.resolve($0)?.summary) }, list: "successActions of workflow `\(workflow.workflowId)`")
            out += check(workflow.failureActions.map { (Self.location($0), document.resolve($0)?.summary) }, list: "failureActions of workflow `\(workflow.workflowId)`")
            for step in workflow.steps {
                out += check(step.onSuccess.map { (Self.location($0), document.resolve($0)?.summary) }, list: "onSuccess of step `\(step.stepId)`")
                out += check(step.onFailure.map { (Self.location($0), document.resolve($0)?.summary) }, list: "onFailure of step `\(step.stepId)`")
            }
        }
        return out
    }

    /// One list: every resolved action after the first criteria-less one is reported, at the entry
    /// (the inline action or the Reusable Object that names it).
    private static func check(_ entries: [(SourceLocation, ActionSummary?)], list: String) -> [Diagnostic] {
        guard let first = entries.firstIndex(where: { $0.1?.hasCriteria == false }), let always = entries[first].1 else { return [] }
        var out: [Diagnostic] = []
        for (location, summary) in entries[(first + 1)...] {
            guard let summary else { continue }  // an unresolved reference is reported elsewhere
            out.append(.warning(
                "action `\(summary.name)` in \(list) never runs: `\(always.name)` before it has no criteria, so it is always the action taken; give `\(always.name)` criteria or move it last",
                at: location, code: "unreachable-action",
                notes: ["the first action whose criteria all pass is the only one executed; an action without criteria always passes"]))
        }
        return out
    }

    /// Where an entry is written: the inline action or the Reusable Object naming one.
    private static func location<Action>(_ entry: OrReusable<Action>) -> SourceLocation where Action: LocatedAction {
        switch entry {
        case .object(let action): return action.location
        case .reusable(let reference): return reference.location
        }
    }
}

/// An action with a location (both action kinds have one).
protocol LocatedAction {
    var location: SourceLocation { get }
}

extension SuccessAction: LocatedAction {}
extension FailureAction: LocatedAction {}

/// What the check needs of an action: its name and whether it has criteria.
struct ActionSummary {
    let name: String
    let hasCriteria: Bool
}

extension SuccessAction {
    var summary: ActionSummary { ActionSummary(name: name, hasCriteria: !criteria.isEmpty) }
}

extension FailureAction {
    var summary: ActionSummary { ActionSummary(name: name, hasCriteria: !criteria.isEmpty) }
}

