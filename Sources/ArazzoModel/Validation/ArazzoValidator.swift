package import ArazzoDiagnostics
import OrderedCollections
import ArazzoExecutor

/// The semantic checks of an Arazzo document that need the whole AST: uniqueness of ids, names
/// and parameters; that goto targets, `dependsOn` entries, `$components.*` references and
/// `$sourceDescriptions.<name>` prefixes resolve; `dependsOn` cycles; and the static parts of
/// operation references (`operationPath` form, ambiguous bare `operationId`).
///
/// It does not parse runtime expressions in general (the expression layer does) and does not load
/// the source descriptions (the engine checks operations against them).
package enum ArazzoValidator {
    /// All semantic problems of `document`, in discovery order.
    package static func validate(_ document: ArazzoSpecification) -> Diagnostics {
        var v = Checker(document: document)
        v.run()
        return Diagnostics(v.diagnostics)
    }
}

private let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

private struct Checker {
    let document: ArazzoSpecification
    var diagnostics: [Diagnostic] = []
    /// Lookups by id, so hostile documents with many workflows stay linear (first one wins).
    let workflowIds: Set<String>
    let sources: [String: SourceDescription]
    /// The stepIds of the workflow being checked.
    var stepIds: Set<String> = []

    init(document: ArazzoSpecification) {
        self.document = document
        self.workflowIds = Set(document.workflows.map(\.workflowId))
        var sources: [String: SourceDescription] = [:]
        for source in document.sourceDescriptions where sources[source.name] == nil { sources[source.name] = source }
        self.sources = sources
    }

    mutating func error(_ rule: ArazzoRule, _ message: String, at location: SourceLocation, notes: [String] = []) {
        diagnostics.append(.error(clippedMessage(message), at: location, code: rule.rawValue, notes: notes.map(clippedMessage)))
    }

    mutating func warning(_ rule: ArazzoRule, _ message: String, at location: SourceLocation) {
        diagnostics.append(.warning(clippedMessage(message), at: location, code: rule.rawValue))
    }

    func line(_ location: SourceLocation?) -> String {
        location.map { "line \($0.line)" } ?? "earlier"
    }

    mutating func run() {
        checkSources()
        checkWorkflowIds()
        checkComponents()
        for workflow in document.workflows { checkWorkflow(workflow) }
        checkDependsOnCycles()
    }

    // MARK: Sources and ids

    mutating func checkSources() {
        var seen: [String: SourceDescription] = [:]
        for source in document.sourceDescriptions where !source.name.isEmpty {
            if let first = seen[source.name] {
                error(
                    .duplicateSourceName,
                    "source description name `\(source.name)` is already used at \(line(first.locations["name"])); names must be unique",
                    at: source.locations["name"] ?? source.location)
            } else {
                seen[source.name] = source
            }
        }
    }

    mutating func checkWorkflowIds() {
        var seen: [String: Workflow] = [:]
        for workflow in document.workflows where !workflow.workflowId.isEmpty {
            if let first = seen[workflow.workflowId] {
                error(
                    .duplicateWorkflowId,
                    "workflowId `\(workflow.workflowId)` is already used at \(line(first.locations["workflowId"])); workflowIds must be unique",
                    at: workflow.locations["workflowId"] ?? workflow.location)
            } else {
                seen[workflow.workflowId] = workflow
            }
        }
    }

    /// Checks `$sourceDescriptions.<name>.<id>`: the source exists and is of the expected kind.
    /// Returns false when the text is not of that form.
    mutating func checkSourceReference(_ e: ExpressionString, field: String, expecting: SourceDescription.SourceType) -> Bool {
        guard e.text.hasPrefix("$sourceDescriptions.") else { return false }
        guard let (sourceName, _) = e.sourceDescriptionReference else {
            error(
                .unknownSource, "`\(field)` `\(e.text)` must have the form `$sourceDescriptions.<name>.<\(expecting == .arazzo ? "workflowId" : "operationId")>`",
                at: e.location)
            return true
        }
        guard let source = sources[sourceName] else {
            error(.unknownSource, unknownSourceMessage(sourceName), at: e.location)
            return true
        }
        // AsyncAPI operations are named by operationId too (Arazzo 1.1).
        if let type = source.type, type != expecting, !(expecting == .openapi && type == .asyncapi) {
            let what = expecting == .arazzo ? "a workflow" : "an operation"
            error(
                .sourceType,
                "`\(field)` names \(what) in source `\(sourceName)`, but that source has `type: \(type.rawValue)`; \(expecting == .arazzo ? "workflows come from `arazzo` sources" : "operations come from `openapi` sources")",
                at: e.location)
        }
        return true
    }

    func unknownSourceMessage(_ name: String) -> String {
        let names = document.sourceDescriptions.map(\.name).filter { !$0.isEmpty }
        var message = "no source description is named `\(name)`"
        // A source named `my.api` can never be spelt in `$sourceDescriptions.my.api.op`: the name
        // ends at the first dot (decision L1), so say that rather than guess a typo.
        if let dotted = names.first(where: { $0.hasPrefix(name + ".") }) {
            message += "; source `\(dotted)` contains `.`, so `$sourceDescriptions.` expressions cannot name it: rename it to match `[A-Za-z0-9_-]+`"
        } else if let near = suggest(name, among: names) {
            message += "; did you mean `\(near)`?"
        } else if !names.isEmpty {
            message += "; defined: \(names.map { "`\($0)`" }.joined(separator: ", "))"
        }
        return message
    }

    /// A workflowId in a step, action or dependsOn: local or `$sourceDescriptions.<name>.<id>`.
    mutating func checkWorkflowReference(_ e: ExpressionString, field: String) {
        if checkSourceReference(e, field: field, expecting: .arazzo) { return }
        guard !e.text.isEmpty, !workflowIds.contains(e.text) else { return }
        var message = "no workflow has workflowId `\(e.text)`"
        let ids = document.workflows.map(\.workflowId).filter { !$0.isEmpty }
        if let near = suggest(e.text, among: ids) {
            message += "; did you mean `\(near)`?"
        } else {
            message += "; a workflow in another Arazzo document is written `$sourceDescriptions.<name>.<workflowId>`"
        }
        error(.unknownWorkflow, message, at: e.location)
    }

    // MARK: Components

    mutating func checkComponents() {
        guard let components = document.components else { return }
        for (_, action) in components.successActions {
            if case .workflowId(let e)? = action.target { checkWorkflowReference(e, field: "workflowId") }
            checkParameters(action.parameters, byName: true)
        }
        for (_, action) in components.failureActions {
            if case .workflowId(let e)? = action.target { checkWorkflowReference(e, field: "workflowId") }
            checkParameters(action.parameters, byName: true)
        }
    }

    /// Resolves a Reusable Object for a list position; reports bad form, wrong kind or missing key.
    mutating func checkReusable(_ r: ReusableObject, expected: ReusableObject.ComponentKind) -> Bool {
        guard let (kind, key) = r.component else {
            error(
                .invalidReference,
                "`reference` must have the form `$components.\(expected.rawValue).<key>`, found `\(r.reference.text)`",
                at: r.reference.location)
            return false
        }
        guard kind == expected else {
            error(
                .componentKind,
                "this list takes `$components.\(expected.rawValue).<key>` references, found `$components.\(kind.rawValue).\(key)`",
                at: r.reference.location)
            return false
        }
        let keys: [String]
        switch kind {
        case .parameters: keys = Array(document.components?.parameters.keys ?? [])
        case .successActions: keys = Array(document.components?.successActions.keys ?? [])
        case .failureActions: keys = Array(document.components?.failureActions.keys ?? [])
        }
        guard keys.contains(key) else {
            var message = "`\(r.reference.text)` does not resolve: components.\(kind.rawValue) has no `\(key)`"
            if let near = suggest(key, among: keys) {
                message += "; did you mean `\(near)`?"
            } else if keys.isEmpty {
                message += " (there are no \(kind.rawValue) components)"
            }
            error(.unresolvedComponent, message, at: r.reference.location)
            return false
        }
        if kind != .parameters, let value = r.value {
            warning(
                .reusableValueOnAction,
                "`value` only applies to parameter references and is ignored here; remove it", at: value.location)
        }
        return true
    }

    // MARK: Workflows

    mutating func checkWorkflow(_ workflow: Workflow) {
        // dependsOn targets.
        var seenDeps: Set<String> = []
        for dep in workflow.dependsOn {
            if !seenDeps.insert(dep.text).inserted {
                warning(.duplicateDependsOn, "`\(dep.text)` is listed twice in `dependsOn` (it runs once either way); remove one", at: dep.location)
                continue
            }
            checkWorkflowReference(dep, field: "dependsOn")
        }

        // Step ids.
        stepIds = Set(workflow.steps.map(\.stepId))
        var seenSteps: [String: Step] = [:]
        for step in workflow.steps where !step.stepId.isEmpty {
            if let first = seenSteps[step.stepId] {
                error(
                    .duplicateStepId,
                    "stepId `\(step.stepId)` is already used at \(line(first.locations["stepId"])) in workflow `\(workflow.workflowId)`; stepIds must be unique within a workflow",
                    at: step.locations["stepId"] ?? step.location)
            } else {
                seenSteps[step.stepId] = step
            }
        }

        let workflowParameters = checkParameters(workflow.parameters)
        checkActions(workflow.successActions, in: workflow)
        checkActions(workflow.failureActions, in: workflow)

        for step in workflow.steps {
            checkStep(step, in: workflow)
        }

        // Workflow-level parameters without `in` reach every operation step (A19 / spec "In all
        // other scenarios … the `in` field MUST be specified").
        if let operationStep = workflow.steps.first(where: { !$0.target.isWorkflow && !$0.target.expression.text.isEmpty }) {
            for (parameter, location) in workflowParameters where parameter.in == nil && parameter.locations["in"] == nil {
                error(
                    .parameterMissingIn,
                    "workflow parameter `\(parameter.name)` needs `in` (path, query, header or cookie): step `\(operationStep.stepId)` calls an operation",
                    at: location)
            }
        }
    }

    /// Checks references and duplicates of a parameter list; returns the resolved parameters with
    /// the location to report them at.
    /// With `byName`, `in` is not part of a parameter's identity: action parameters are inputs of
    /// a workflow, where `in` means nothing.
    @discardableResult
    mutating func checkParameters(_ list: [OrReusable<Parameter>], byName: Bool = false) -> [(Parameter, SourceLocation)] {
        var resolved: [(Parameter, SourceLocation)] = []
        var seen: [String: SourceLocation] = [:]
        for entry in list {
            let location: SourceLocation
            switch entry {
            case .object(let p): location = p.locations["name"] ?? p.location
            case .reusable(let r):
                location = r.reference.location
                guard checkReusable(r, expected: .parameters) else { continue }
            }
            guard let p = document.resolve(entry), !p.name.isEmpty else { continue }
            let identity = byName ? p.name : "\(p.in?.rawValue ?? "")\u{0}\(p.in == .header ? HeaderFields.canonicalName(p.name) : p.name)"
            if let first = seen[identity] {
                if byName {
                    error(
                        .duplicateParameter,
                        "parameter `\(p.name)` is already in this action's list at \(line(first)); each input of the target workflow may be given once",
                        at: location)
                } else {
                    let place = p.in.map { " in \($0.rawValue)" } ?? ""
                    error(
                        .duplicateParameter,
                        "parameter `\(p.name)`\(place) is already in this list at \(line(first)); a list may hold each name+in pair once",
                        at: location)
                }
            } else {
                seen[identity] = location
            }
            resolved.append((p, location))
        }
        return resolved
    }

    /// Success and failure actions, inline or reused, are checked the same way.
    mutating func checkActions<Action: CheckedAction>(_ list: [OrReusable<Action>], in workflow: Workflow) {
        var seen: [String: SourceLocation] = [:]
        for entry in list {
            let location: SourceLocation
            var via: String?
            switch entry {
            case .object(let a): location = a.locations["name"] ?? a.location
            case .reusable(let r):
                location = r.reference.location
                via = r.reference.text
                guard checkReusable(r, expected: Action.componentKind) else { continue }
            }
            guard let action = Action.resolve(entry, in: document) else { continue }
            checkDuplicateAction(action.name, at: location, seen: &seen)
            checkActionTarget(action.target, in: workflow, via: via, at: location)
            // A component action's parameters are checked once, in checkComponents.
            if via == nil { checkParameters(action.parameters, byName: true) }
        }
    }

    mutating func checkDuplicateAction(_ name: String, at location: SourceLocation, seen: inout [String: SourceLocation]) {
        guard !name.isEmpty else { return }
        if let first = seen[name] {
            error(
                .duplicateAction,
                "action name `\(name)` is already in this list at \(line(first)); action names in a list must be unique",
                at: location)
        } else {
            seen[name] = location
        }
    }

    /// A goto/retry target: the step must be in `workflow`; a workflow must exist. For component
    /// actions (`via` set) the stepId is checked against each workflow that uses the component.
    mutating func checkActionTarget(_ target: ActionTarget?, in workflow: Workflow, via: String?, at useSite: SourceLocation) {
        switch target {
        case .stepId(let e)?:
            guard !e.text.isEmpty, !stepIds.contains(e.text) else { return }
            var message = "no step `\(e.text)` in workflow `\(workflow.workflowId)`"
            if let via { message += " (goto target of `\(via)`)" }
            let ids = workflow.steps.map(\.stepId).filter { !$0.isEmpty }
            if let near = suggest(e.text, among: ids) {
                message += "; did you mean `\(near)`?"
            } else {
                message += "; a goto `stepId` must name a step of the same workflow"
            }
            error(.unknownStep, message, at: via == nil ? e.location : useSite)
        case .workflowId(let e)?:
            // Component actions are checked once, in checkComponents.
            if via == nil { checkWorkflowReference(e, field: "workflowId") }
        case nil:
            break
        }
    }

    // MARK: Steps

    mutating func checkStep(_ step: Step, in workflow: Workflow) {
        let stepParameters = checkParameters(step.parameters)
        checkActions(step.onSuccess, in: workflow)
        checkActions(step.onFailure, in: workflow)

        switch step.target {
        case .operationId(let e):
            guard !e.text.isEmpty else { break }
            // A bare operationId with several sources is judged once the sources are loaded
            // (found in one: a warning with a fix-it; in several: `ambiguous-operation-id`).
            _ = checkSourceReference(e, field: "operationId", expecting: .openapi)
        case .operationPath(let e):
            checkOperationPath(e)
        case .workflowId(let e):
            checkWorkflowReference(e, field: "workflowId")
        case .channelPath:
            // Its form is checked against the AsyncAPI description once that is read.
            break
        }
        checkStepDependsOn(step, in: workflow)

        if !step.target.isWorkflow {
            // A present but invalid `in` was already reported by the reader.
            for (parameter, location) in stepParameters where parameter.in == nil && parameter.locations["in"] == nil {
                error(
                    .parameterMissingIn,
                    "parameter `\(parameter.name)` needs `in` (path, query, header or cookie) because step `\(step.stepId)` calls an operation",
                    at: location)
            }
        }
    }

    /// Step `dependsOn` (1.1): a stepId of this workflow, `$workflows.<id>.steps.<stepId>` of
    /// this document, or a source's workflow (whose steps are checked once it is loaded).
    mutating func checkStepDependsOn(_ step: Step, in workflow: Workflow) {
        var seen: Set<String> = []
        let position = workflow.steps.firstIndex { $0.stepId == step.stepId }
        for entry in step.dependsOn {
            if !seen.insert(entry.text).inserted {
                warning(.duplicateDependsOn, "`\(entry.text)` is already listed in this step's `dependsOn`; remove the repeat", at: entry.location)
                continue
            }
            guard let dependency = StepDependency(entry.text) else { continue }
            if let id = dependency.localStepId(in: workflow.workflowId) {
                if id == step.stepId {
                    error(.unknownStep, "step `\(step.stepId)` cannot depend on itself; remove `\(entry.text)` from its `dependsOn`", at: entry.location)
                } else if let index = workflow.steps.firstIndex(where: { $0.stepId == id }) {
                    if let position, index > position { checkDependsOnOrder(step, on: id, in: workflow, at: entry.location) }
                } else {
                    error(.unknownStep, "`dependsOn` names no step `\(id)` of workflow `\(workflow.workflowId)`" + nearStep(id, in: workflow), at: entry.location)
                }
                continue
            }
            switch dependency {
            case .workflow(let workflowId, let stepId):
                guard let other = document.workflow(workflowId) else {
                    checkWorkflowReference(ExpressionString(text: workflowId, location: entry.location), field: "dependsOn")
                    continue
                }
                if !other.steps.contains(where: { $0.stepId == stepId }) {
                    error(.unknownStep, "`dependsOn` names no step `\(stepId)` of workflow `\(workflowId)`" + nearStep(stepId, in: other), at: entry.location)
                }
            case .source(let name, _, _) where sources[name] == nil:
                error(.unknownSource, unknownSourceMessage(name), at: entry.location)
            default:
                break
            }
        }
    }

    /// A step that `dependsOn` a step listed after it (decision V10). Steps run in list order and
    /// the engine does not reorder them (a `goto` names positions, and the order is the author's),
    /// so the dependency has not completed when the step is reached: an error whose message says
    /// which step to move. When an action can jump to a step, the later step may run first (a
    /// loop), so it is only a warning.
    mutating func checkDependsOnOrder(_ step: Step, on id: String, in workflow: Workflow, at location: SourceLocation) {
        if document.hasStepJumps(workflow) {
            warning(
                .dependsOnOrder,
                "step `\(step.stepId)` depends on step `\(id)`, which comes after it; it completes first only if a `goto` or `retry` runs `\(id)` earlier, otherwise `\(step.stepId)` fails: move step `\(id)` before `\(step.stepId)`",
                at: location)
        } else {
            error(
                .dependsOnOrder,
                "step `\(step.stepId)` depends on step `\(id)`, which comes after it; steps run in list order, so `\(id)` cannot have completed: move step `\(id)` before `\(step.stepId)`",
                at: location)
        }
    }

    func nearStep(_ id: String, in workflow: Workflow) -> String {
        suggest(id, among: workflow.steps.map(\.stepId)).map { "; did you mean `\($0)`?" } ?? ""
    }

    /// `{$sourceDescriptions.<name>.url}#/paths/<escaped path>/<method>`.
    mutating func checkOperationPath(_ e: ExpressionString) {
        let text = e.text
        let prefix = "{$sourceDescriptions."
        guard text.hasPrefix(prefix), let close = text.firstIndex(of: "}") else {
            // `api#/paths/…` names a source without the `{$sourceDescriptions.api.url}` wrapper;
            // the loaded layer reads it as meant (warning `operation-path-form`).
            if let hash = text.firstIndex(of: "#"), sources[String(text[..<hash])] != nil { return }
            // `$sourceDescriptions.<asyncapi source>.<operationId>` (the 1.1 text's own example):
            // the loaded layer reads it as an `operationId` (warning `operation-path-form`).
            let parts = text.split(separator: ".", maxSplits: 2)
            if parts.count == 3, parts[0] == "$sourceDescriptions", sources[String(parts[1])]?.type == .asyncapi { return }
            error(
                .operationPath,
                "`operationPath` must start with `{$sourceDescriptions.<name>.url}` followed by `#` and a JSON pointer to the operation",
                at: e.location)
            return
        }
        let inner = text[text.index(text.startIndex, offsetBy: prefix.count)..<close]
        guard inner.hasSuffix(".url") else {
            error(
                .operationPath, "`operationPath` must embed `{$sourceDescriptions.<name>.url}`, found `\(text[...close])`",
                at: e.location)
            return
        }
        let sourceName = String(inner.dropLast(4))
        if let source = sources[sourceName] {
            if source.type == .arazzo {
                error(
                    .sourceType,
                    "`operationPath` points into source `\(sourceName)`, which has `type: arazzo`; operations come from `openapi` sources",
                    at: e.location)
            }
        } else {
            error(.unknownSource, unknownSourceMessage(sourceName), at: e.location)
        }
        let rest = text[text.index(after: close)...]
        guard rest.hasPrefix("#") else {
            error(
                .operationPath, "`operationPath` needs `#` and a JSON pointer to the operation after the source URL, e.g. `#/paths/~1pets/get`",
                at: e.location)
            return
        }
        let pointer = rest.dropFirst()
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard pointer.hasPrefix("/"), let first = tokens.first else {
            error(.operationPath, "the fragment of `operationPath` must be a JSON pointer starting with `/`, found `#\(pointer)`", at: e.location)
            return
        }
        // Only the common `/paths/<path>/<method>` shape is checked statically; the engine resolves
        // every other pointer against the loaded description.
        if first == "paths" {
            // A pointer to a path item is judged against the loaded description: with one
            // operation it means that one (warning), with several it is ambiguous (error).
            if tokens.count == 3, let method = tokens.last, !httpMethods.contains(String(method)) {
                error(
                    .operationPath,
                    "`operationPath` ends in `\(method)`, which is not an HTTP method; the pointer must end in get, put, post, delete, options, head, patch or trace",
                    at: e.location)
            }
        }
    }

    // MARK: dependsOn cycles

    mutating func checkDependsOnCycles() {
        var edges: [String: [ExpressionString]] = [:]
        for w in document.workflows where !w.workflowId.isEmpty && edges[w.workflowId] == nil {
            // A step's `dependsOn` on another workflow's step makes that workflow run first (V10).
            edges[w.workflowId] = (w.dependsOn + w.stepDependencyWorkflows).filter { workflowIds.contains($0.text) }
        }
        // Iterative DFS with colours; each cycle is reported once, at the entry that closes it.
        var state: [String: Int] = [:]  // 1 = on the stack, 2 = done
        for w in document.workflows where !w.workflowId.isEmpty && state[w.workflowId] == nil {
            var stack: [(id: String, next: Int)] = [(w.workflowId, 0)]
            state[w.workflowId] = 1
            while let top = stack.last {
                let deps = edges[top.id] ?? []
                if top.next < deps.count {
                    stack[stack.count - 1].next += 1
                    let dep = deps[top.next]
                    switch state[dep.text] {
                    case nil:
                        state[dep.text] = 1
                        stack.append((dep.text, 0))
                    case 1?:
                        let ids = stack.map(\.id)
                        let start = ids.firstIndex(of: dep.text) ?? 0
                        let cycle = ids[start...] + [dep.text]
                        error(
                            .dependsOnCycle,
                            "dependsOn cycle: \(cycle.joined(separator: " → ")); remove one of these dependencies",
                            at: dep.location)
                    default:
                        break
                    }
                } else {
                    state[top.id] = 2
                    stack.removeLast()
                }
            }
        }
    }
}

/// A success or failure action, as the validator reads both: its name, target and parameters, and
/// the component list a Reusable Object naming one must point into.
protocol CheckedAction: Sendable, Hashable {
    static var componentKind: ReusableObject.ComponentKind { get }
    static func resolve(_ entry: OrReusable<Self>, in document: ArazzoSpecification) -> Self?
    var name: String { get }
    var target: ActionTarget? { get }
    var parameters: [OrReusable<Parameter>] { get }
    var location: SourceLocation { get }
    var locations: [String: SourceLocation] { get }
}

extension SuccessAction: CheckedAction {
    static var componentKind: ReusableObject.ComponentKind { .successActions }
    static func resolve(_ entry: OrReusable<Self>, in document: ArazzoSpecification) -> Self? { document.resolve(entry) }
}

extension FailureAction: CheckedAction {
    static var componentKind: ReusableObject.ComponentKind { .failureActions }
    static func resolve(_ entry: OrReusable<Self>, in document: ArazzoSpecification) -> Self? { document.resolve(entry) }
}
