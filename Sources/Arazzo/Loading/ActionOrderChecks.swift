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
            out += check(workflow.successActions, document.resolve, list: "successActions of workflow `\(workflow.workflowId)`")
            out += check(workflow.failureActions, document.resolve, list: "failureActions of workflow `\(workflow.workflowId)`")
            for step in workflow.steps {
                out += check(step.onSuccess, document.resolve, list: "onSuccess of step `\(step.stepId)`")
                out += check(step.onFailure, document.resolve, list: "onFailure of step `\(step.stepId)`")
            }
        }
        return out
    }

    /// One list: every resolved action after the first criteria-less one is reported, at the entry
    /// (the inline action or the Reusable Object that names it).
    private static func check<Action: ListedAction>(
        _ entries: [OrReusable<Action>], _ resolve: (OrReusable<Action>) -> Action?, list: String
    ) -> [Diagnostic] {
        let resolved = entries.map(resolve)
        guard let first = resolved.firstIndex(where: { $0?.criteria.isEmpty == true }), let always = resolved[first] else { return [] }
        var out: [Diagnostic] = []
        for (entry, action) in zip(entries, resolved).dropFirst(first + 1) {
            guard let action else { continue }  // an unresolved reference is reported elsewhere
            out.append(.warning(
                "action `\(action.name)` in \(list) never runs: `\(always.name)` before it has no criteria, so it is always the action taken; give `\(always.name)` criteria or move it last",
                at: location(of: entry), code: "unreachable-action",
                notes: ["the first action whose criteria all pass is the only one executed; an action without criteria always passes"]))
        }
        return out
    }

    /// Where an entry is written: the inline action or the Reusable Object naming one.
    private static func location<Action: ListedAction>(of entry: OrReusable<Action>) -> SourceLocation {
        switch entry {
        case .object(let action): return action.location
        case .reusable(let reference): return reference.location
        }
    }
}

/// What the check reads of an action; success and failure actions both have it.
protocol ListedAction: Sendable, Hashable {
    var name: String { get }
    var criteria: [Criterion] { get }
    var location: SourceLocation { get }
}

extension SuccessAction: ListedAction {}
extension FailureAction: ListedAction {}
