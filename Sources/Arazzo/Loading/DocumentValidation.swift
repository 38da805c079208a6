import ArazzoJSON
import ArazzoOpenAPI
public import ArazzoDiagnostics
import ArazzoYAML
import ArazzoModel
import ArazzoExpressions
import ArazzoJSONSchema
import ArazzoExecutor
import ArazzoAsyncAPI
import OrderedCollections

extension LoadedDocument {
    /// Every problem of the document and its Arazzo sources: what loading found (structure and
    /// semantics), every runtime expression, template and criterion checked against its scope
    /// (located at the exact character), and every step's operation checked against the loaded
    /// OpenAPI descriptions (missing operation: error with "did you mean"; parameter the
    /// operation does not declare: warning).
    ///
    /// `policy` decides each rule's severity (`--strict`, `--severity`); it is applied once, after
    /// every check has reported, and repeats (same code, same range) are reported once.
    public func validate(policy: SeverityPolicy = .standard) -> Diagnostics {
        var all = Array(diagnostics)
        all.append(contentsOf: SecretOutputs.documentWarnings(in: self))
        // Only Arazzo documents hold expressions; splitting a large OpenAPI description into lines
        // here would cost more than every check together.
        let arazzoFiles = Set(units.values.flatMap { [$0.url, $0.displayName] })
        var locator = ScalarLocator(sourceTexts: sourceTexts.filter { arazzoFiles.contains($0.key) })
        for unit in units.values.sorted(by: { $0.url < $1.url }) {
            locator.index(unit.document.root)
            var checker = UnitChecker(loaded: self, unit: unit, locator: locator)
            checker.run()
            all.append(contentsOf: checker.diagnostics)
            all.append(contentsOf: StaticChecks.inputSchemas(of: unit))
            all.append(contentsOf: PayloadChecks.unbracedExpressions(in: unit, locator: locator))
            all.append(contentsOf: ActionOrderChecks.unreachableActions(in: unit))
        }
        all.append(contentsOf: StaticChecks.recursion(in: self))
        all.append(contentsOf: WorkflowOrderChecks.readsBeforeRun(in: self, locator: locator))
        // A target in a source of the wrong type is reported by the model (`source-type`);
        // the resolver's own wording of the same problem at the same place adds nothing.
        let wrongType = Set(all.filter { $0.code == "source-type" }.compactMap(\.location))
        all.removeAll { $0.code == "unknown-operation" && $0.location.map(wrongType.contains) == true }
        if entry.sourcesSkipped, !document.sourceDescriptions.isEmpty {
            // Once, not per step: every operation is unchecked for the same reason.
            all.append(Diagnostic(
                .note, "source descriptions were not loaded (LoadLimits.loadsSources is false): operations, their parameters and workflows of other documents are not checked",
                at: document.locations["sourceDescriptions"] ?? document.location))
        }
        // Every located diagnostic gets the range of what it points at: the node or key that
        // starts there (editors underline it; JSON output carries it).
        for k in all.indices where all[k].range == nil {
            if let location = all[k].location, let range = locator.range(startingAt: location) { all[k].range = range }
        }
        // One problem found twice (e.g. by the model validator and here) is reported once.
        return policy.apply(to: Diagnostics(all)).deduplicated
    }
}

/// Checks one Arazzo document: expressions and operations.
private struct UnitChecker {
    let loaded: LoadedDocument
    let unit: ArazzoUnit
    let locator: ScalarLocator
    let resolver: OperationResolver
    var diagnostics: [Diagnostic] = []

    init(loaded: LoadedDocument, unit: ArazzoUnit, locator: ScalarLocator) {
        self.loaded = loaded
        self.unit = unit
        self.locator = locator
        self.resolver = OperationResolver(loaded: loaded, unit: unit)
    }

    var document: ArazzoSpecification { unit.document }

    mutating func run() {
        let workflows = document.workflows.map { w in
            ExpressionScope.Workflow(
                id: w.workflowId, inputs: inputNames(w), outputs: Self.outputNames(w), inputsAreClosed: inputsAreClosed(w))
        }
        var components: [RuntimeExpression.ComponentKind: [String]] = [:]
        components[.parameters] = document.components.map { Array($0.parameters.keys) } ?? []
        components[.successActions] = document.components.map { Array($0.successActions.keys) } ?? []
        components[.failureActions] = document.components.map { Array($0.failureActions.keys) } ?? []
        components[.inputs] = document.components.map { Array($0.inputs.keys) } ?? []
        for workflow in document.workflows {
            let firstOfWorkflow = diagnostics.count
            defer { raiseForwardReferences(from: firstOfWorkflow, in: workflow) }
            let steps = workflow.steps.map { s in
                ExpressionScope.Step(
                    id: s.stepId, outputs: Array(s.outputs.keys) + Array(s.outputSelectors.keys), isWorkflowStep: s.target.isWorkflow,
                    isMessageStep: s.action != nil)
            }
            var scope = ExpressionScope(
                steps: steps, currentStepIndex: nil, phase: .request, inputNames: inputNames(workflow),
                workflowOutputNames: Self.outputNames(workflow), workflows: workflows,
                sourceDescriptionNames: document.sourceDescriptions.map(\.name), componentNames: components)
            scope.inputsAreClosed = inputsAreClosed(workflow)
            scope.version = document.expressionVersion

            checkParameterValues(workflow.parameters, scope: scope)
            // Workflow-level actions apply after every step's exchange.
            var actionScope = scope
            actionScope.phase = .actions
            actionScope.currentStepIndex = workflow.steps.firstIndex { !$0.target.isWorkflow }
            checkInlineActions(success: workflow.successActions, failure: workflow.failureActions, scope: actionScope)

            for (index, step) in workflow.steps.enumerated() {
                scope.currentStepIndex = index
                scope.calledWorkflowOutputs = nil
                if case .workflowId(let e) = step.target, case .success(.workflow(let key)) = resolver.resolveWorkflow(e.text),
                   let called = loaded.units[key.unitURL]?.document.workflow(key.workflowId) {
                    scope.calledWorkflowOutputs = Self.outputNames(called)
                }
                scope.phase = .request
                checkParameterValues(step.parameters, scope: scope)
                // A receive step's `correlationId` is evaluated before it waits, as a parameter is.
                if let correlation = step.correlationId { checkValue(correlation, scope: scope) }
                if let body = step.requestBody {
                    if let payload = body.payload {
                        // Selector Objects in a 1.1 payload are checked as selectors, not as literal members (S6).
                        checkValue(payload, scope: scope, slots: body.payloadSelectors.map(\.path))
                        for found in body.payloadSelectors { checkSelector(found.selector, scope: scope) }
                    }
                    for replacement in body.replacements {
                        if let selector = replacement.selector { checkSelector(selector, scope: scope) } else { checkValue(replacement.value, scope: scope) }
                        checkTarget(replacement)
                    }
                }
                scope.phase = .response
                for criterion in step.successCriteria { checkCriterion(criterion, scope: scope) }
                for (_, output) in step.outputs { checkExpression(output, scope: scope) }
                for (_, selector) in step.outputSelectors { checkSelector(selector, scope: scope) }
                scope.phase = .actions
                // Action parameters are evaluated when the action fires: after the exchange, with
                // the step's response and outputs in scope.
                checkInlineActions(success: step.onSuccess, failure: step.onFailure, scope: scope)
                // Without sources there is nothing to check operations against; a step with no
                // target already has its own structural error.
                if !unit.sourcesSkipped, !step.target.expression.text.isEmpty {
                    checkOperation(step, workflow: workflow)
                }
            }
            scope.currentStepIndex = nil
            scope.calledWorkflowOutputs = nil
            scope.phase = .workflowOutputs
            for (_, output) in workflow.outputs { checkExpression(output, scope: scope) }
            for (_, selector) in workflow.outputSelectors { checkSelector(selector, scope: scope) }

            for reference in workflow.dependsOn where reference.text.hasPrefix("$sourceDescriptions.") && !unit.sourcesSkipped {
                if case .failure(let f) = resolver.resolveWorkflow(reference.text) {
                    diagnostics.append(.error("dependsOn: \(f.message)", at: reference.location, code: "unknown-workflow", notes: f.notes))
                }
            }
        }
    }

    /// The criteria and parameter values of inline success and failure actions (a component
    /// action's are checked once, with the components).
    mutating func checkInlineActions(
        success: [OrReusable<SuccessAction>], failure: [OrReusable<FailureAction>], scope: ExpressionScope
    ) {
        let inline = success.compactMap(\.object).map { ($0.criteria, $0.parameters) }
            + failure.compactMap(\.object).map { ($0.criteria, $0.parameters) }
        for (criteria, parameters) in inline {
            for criterion in criteria { checkCriterion(criterion, scope: scope) }
            checkParameterValues(parameters, scope: scope)
        }
    }

    /// The values of a parameter list (inline ones, 1.1 Selector Objects, and a Reusable Object's
    /// `value` override).
    mutating func checkParameterValues(_ list: [OrReusable<Parameter>], scope: ExpressionScope) {
        for entry in list {
            if let parameter = entry.object {
                if let selector = parameter.selector { checkSelector(selector, scope: scope) } else { checkValue(parameter.value, scope: scope) }
            }
            if let value = entry.reusable?.value { checkValue(value, scope: scope) }
        }
    }

    /// Arazzo 1.1, "Validation Recommendations": in sequential execution a step's outputs read
    /// by an earlier step cannot exist, and tools SHOULD report an error. That holds when no
    /// action of the workflow jumps to a step (a `goto` loop or a `retry` side trip can run the
    /// later step first, A27); then, and in 1.0 documents, it stays the warning of decision A3.
    mutating func raiseForwardReferences(from start: Int, in workflow: Workflow) {
        guard document.arazzo.featureSet == .v1_1, !document.hasStepJumps(workflow) else { return }
        for k in diagnostics.indices.dropFirst(start) where diagnostics[k].code == "forward-step-reference" {
            diagnostics[k].severity = .error
            diagnostics[k].message = diagnostics[k].message.replacing(
                "; its outputs exist only if it ran earlier (e.g. via `goto`)",
                with: "; steps run in list order, so its outputs do not exist yet: move it before this step")
        }
    }

    /// A workflow's output names: expressions and (1.1) Selector Objects.
    static func outputNames(_ workflow: Workflow) -> [String] {
        Array(workflow.outputs.keys) + Array(workflow.outputSelectors.keys)
    }

    /// The declared input names of a workflow (following a `$ref` into components), or nil when
    /// they cannot be known.
    func inputNames(_ workflow: Workflow) -> [String]? {
        guard let schema = inputSchema(workflow) else { return nil }
        guard case .object(let properties)? = schema["properties"] else { return nil }
        if schema["allOf"] != nil || schema["anyOf"] != nil || schema["oneOf"] != nil { return nil }
        return Array(properties.keys)
    }

    /// Whether a workflow's inputs schema forbids properties it does not list: only then is
    /// `$inputs.<undeclared>` an error (JSON Schema allows other properties by default, so a
    /// caller may pass them and the document may read them).
    func inputsAreClosed(_ workflow: Workflow) -> Bool {
        guard let schema = inputSchema(workflow) else { return false }
        return schema["additionalProperties"] == .bool(false) || schema["unevaluatedProperties"] == .bool(false)
    }

    /// A workflow's inputs schema with `$ref`s into this document followed.
    func inputSchema(_ workflow: Workflow) -> JSONValue? {
        workflow.inputs.flatMap { JSONSchema.followingLocalReferences($0.value, in: document.root.jsonValue) }
    }

    // MARK: - Expressions

    mutating func checkExpression(_ text: ExpressionString, scope: ExpressionScope) {
        for issue in scope.check(text.text, as: .expression) {
            diagnostics.append(locator.diagnostic(issue, in: text.text, at: text.location))
        }
    }

    mutating func checkValue(_ value: LocatedValue, scope: ExpressionScope, slots: [String] = []) {
        let compiled = ValueTemplate(value.value, version: document.expressionVersion, slots: slots)
        for entry in scope.check(compiled) {
            let node = Self.node(at: entry.path, in: value.node)
            let text = node.scalar?.text ?? ""
            var issue = entry.issue
            // A string that starts like a known expression (`$steps.`, `$inputs.`, …) but does not
            // parse is almost always a typo; sending it as literal text would hide the mistake.
            if issue.code == "literal-looks-like-expression" { issue.severity = .error }
            diagnostics.append(locator.diagnostic(issue, in: text, at: node.location))
        }
    }

    /// A Selector Object (1.1): its `context` as a runtime expression in scope, and its selector
    /// compiled as at run (syntax, XPath 2.0+ constructs, X1), located in the `selector` scalar.
    mutating func checkSelector(_ selector: Selector, scope: ExpressionScope) {
        checkExpression(selector.context, scope: scope)
        let compiled = CompiledSelector(selector: selector.selector.text, type: selector.type.kind.rawValue, version: selector.type.version)
        for issue in compiled.issues {
            switch issue.field {
            case .type, .version:
                diagnostics.append(issue.diagnostic(at: selector.locations["type"] ?? selector.location))
            default:
                diagnostics.append(locator.diagnostic(issue, in: selector.selector.text, at: selector.selector.location))
            }
        }
    }

    /// A replacement `target` with `targetSelectorType` (1.1), compiled in that language.
    mutating func checkTarget(_ replacement: PayloadReplacement) {
        guard let type = replacement.targetSelectorType else { return }
        let compiled = CompiledSelector(selector: replacement.target, type: type.kind.rawValue, version: type.version)
        let location = replacement.locations["target"] ?? replacement.location
        for issue in compiled.issues {
            switch issue.field {
            case .type, .version:
                diagnostics.append(issue.diagnostic(at: replacement.locations["targetSelectorType"] ?? replacement.location))
            default:
                diagnostics.append(locator.diagnostic(issue, in: replacement.target, at: location))
            }
        }
    }

    mutating func checkCriterion(_ criterion: Criterion, scope: ExpressionScope) {
        let compiled = CompiledCriterion(criterion, version: document.expressionVersion)
        for issue in scope.check(compiled) {
            switch issue.field {
            case .context:
                if let context = criterion.context {
                    diagnostics.append(locator.diagnostic(issue, in: context.text, at: context.location))
                } else {
                    diagnostics.append(issue.diagnostic(at: criterion.location))
                }
            case .version:
                if case .expressionType(let t)? = criterion.type {
                    diagnostics.append(locator.diagnostic(issue, in: t.version, at: t.locations["version"] ?? t.location))
                } else {
                    diagnostics.append(issue.diagnostic(at: criterion.locations["type"] ?? criterion.location))
                }
            case .type:
                diagnostics.append(issue.diagnostic(at: criterion.locations["type"] ?? criterion.location))
            default:
                diagnostics.append(locator.diagnostic(issue, in: criterion.condition.text, at: criterion.condition.location))
            }
        }
    }

    /// The node at a JSON pointer inside a value (the value itself when the path does not lead
    /// anywhere).
    static func node(at path: String, in root: YAMLNode) -> YAMLNode {
        guard let pointer = try? JSONPointer(parsing: path) else { return root }
        return root.deepestNode(along: pointer)
    }

    // MARK: - Operations

    /// The source description a step target names explicitly (`$sourceDescriptions.<name>.…` or
    /// `{$sourceDescriptions.<name>.url}#…`), if any.
    static func sourceName(in text: String) -> String? {
        ExpressionString.sourceQualifiedName(text.hasPrefix("{") ? text.dropFirst() : text[...])?.source
    }

    mutating func checkOperation(_ step: Step, workflow: Workflow) {
        let expression = step.target.expression
        let resolved: ResolvedTarget
        let (result, leniency) = resolver.resolveLeniently(step.target, action: step.action)
        switch result {
        case .failure(let failure):
            // A source that did not load is reported once, at its url; repeating it at every
            // step that uses it would bury the cause.
            if let name = Self.sourceName(in: expression.text), unit.sources[name] == .unavailable { return }
            // A `channelPath` step without `action` was reported by the model at the step.
            if failure.code == "async-step-field", case .channelPath = step.target { return }
            // A case-only mismatch stays an error (operationIds are case-sensitive), but the one
            // operation meant is certain enough for `fix` to write it.
            let fixIts = failure.suggestion.flatMap { locator.scalarEdit(at: expression.location, newText: $0) }
                .map { [FixIt("write `\(failure.suggestion ?? "")`", edits: [$0])] } ?? []
            diagnostics.append(.error(failure.message, at: expression.location, code: failure.code, notes: failure.notes, fixIts: fixIts))
            return
        case .success(let r):
            resolved = r
        }
        if let leniency, leniency.replacement == OperationResolver.renameToOperationId {
            // The value is right, the field is not: the fix-it renames the key.
            let pair = document.root["workflows"]?.sequence?.lazy
                .compactMap { $0["steps"]?.sequence?.first { $0.location == step.location } }.first?
                .mapping?.first { $0.key == "operationPath" }
            diagnostics.append(.warning(
                leniency.message, at: expression.location, code: leniency.code,
                fixIts: pair.map { [FixIt.replace($0.keyRange, with: "operationId", "rename `operationPath` to `operationId`")] } ?? []))
        } else if let leniency {
            // The run uses the evident meaning; the fix-it writes it the way the spec does.
            let scalar = locator.scalarEdit(at: expression.location, newText: leniency.replacement)
            diagnostics.append(.warning(
                leniency.message, at: expression.location, code: leniency.code, range: scalar?.range,
                fixIts: scalar.map { [FixIt("write `\(leniency.replacement)`", edits: [$0])] } ?? []))
        }
        switch resolved {
        case .workflow:
            if let body = step.requestBody {
                diagnostics.append(.error(
                    "a step that calls a workflow cannot have a requestBody; pass values as parameters (they become the workflow's inputs)",
                    at: body.location, code: "workflow-step-body"))
            }
        case .message(let target):
            checkMessageStep(step, workflow: workflow, target: target)
        case .operation(_, _, let operation):
            if step.action != nil, let at = step.locations["action"] {
                diagnostics.append(.error(
                    "`action` applies only to AsyncAPI steps; operation \(operation.label) is an HTTP operation, so remove it",
                    at: at, code: "async-step-field"))
            }
            if case .operationPath = step.target, let id = operation.operationId {
                diagnostics.append(.warning(
                    "the operation has operationId '\(id)'; the spec recommends operationId over operationPath",
                    at: expression.location, code: "prefer-operation-id"))
            }
            // Effective parameters: workflow-level overridden by step-level (A14).
            var effective: [(Parameter, Bool)] = []
            let stepParameters = step.parameters.compactMap { document.resolve($0) }
            for p in workflow.parameters.compactMap({ document.resolve($0) }) where !stepParameters.contains(where: { $0.name == p.name && $0.in == p.in }) {
                effective.append((p, false))
            }
            effective.append(contentsOf: stepParameters.map { ($0, true) })
            for (parameter, isStepLevel) in effective {
                // A written but invalid `in` was reported by the reader already.
                if parameter.in == nil, parameter.locations["in"] != nil { continue }
                // `querystring` is the whole query, which OpenAPI 3.0/3.1 cannot declare.
                if parameter.in == .querystring { continue }
                if parameter.in == .channel {
                    diagnostics.append(.error(
                        "`in: channel` fills an AsyncAPI channel address; operation \(operation.label) is an HTTP operation, so use path, query, header or cookie",
                        at: isStepLevel ? (parameter.locations["in"] ?? parameter.location) : step.location, code: "async-parameter"))
                    continue
                }
                guard let location = parameter.in else {
                    // One written on the step or the workflow was reported by the reader already
                    // (`parameter-missing-in`); this reports the ones a component reference brings.
                    let written = step.parameters + workflow.parameters
                    if written.contains(where: { $0.object?.location == parameter.location }) { continue }
                    diagnostics.append(.error(
                        "parameter '\(parameter.name)' has no `in`; a step that calls an operation needs in: path, query, header or cookie",
                        at: isStepLevel ? parameter.location : step.location, code: "parameter-in"))
                    continue
                }
                let serializationLocation = ParameterSerialization.Location(rawValue: location.rawValue) ?? .query
                if operation.parameter(named: parameter.name, in: serializationLocation) == nil {
                    let sameName = operation.parameters.filter { $0.name.lowercased() == parameter.name.lowercased() }
                    var notes: [String] = []
                    if let other = sameName.first {
                        notes.append("the operation declares '\(other.name)' in \(other.location.rawValue)")
                    } else {
                        if let name = suggest(parameter.name, among: operation.parameters.map(\.name)),
                           let n = operation.parameters.first(where: { $0.name == name }) {
                            notes.append("did you mean '\(n.name)' (in \(n.location.rawValue))?")
                        }
                    }
                    diagnostics.append(.warning(
                        "operation \(operation.label) declares no \(location.rawValue) parameter '\(parameter.name)'; it is sent with the default style",
                        at: isStepLevel ? (parameter.locations["name"] ?? parameter.location) : step.location,
                        code: "undeclared-parameter", notes: notes))
                }
            }
            if let body = step.requestBody, let problem = StaticChecks.xmlPayload(body, operation: operation) {
                diagnostics.append(problem)
            }
            if let body = step.requestBody {
                diagnostics.append(contentsOf: PayloadChecks.quotedStructuredPlaceholders(
                    body, operation: operation, inputSchema: inputSchema(workflow), root: document.root.jsonValue, locator: locator,
                    version: document.expressionVersion))
            }
            // A `{name}` of the path template that no parameter declares (the declared ones are
            // checked below) is still substituted from the step's parameters; with none, the run
            // would fail building the URL.
            for name in StaticChecks.templateVariables(operation.path)
            where operation.parameter(named: name, in: .path) == nil
                && !effective.contains(where: { p, _ in p.in == .path && p.name == name }) {
                diagnostics.append(.error(
                    "the path \(operation.path) of operation \(operation.label) has the variable {\(name)}, which no parameter of this step or workflow gives",
                    at: expression.location, code: "missing-parameter",
                    notes: ["add a parameter with name: \(name) and in: path"]))
            }
            for declared in operation.parameters where declared.required {
                let given = effective.contains { p, _ in
                    guard let location = p.in?.rawValue, location == declared.location.rawValue else { return false }
                    return declared.location == .header ? HeaderFields.namesMatch(p.name, declared.name) : p.name == declared.name
                }
                guard !given else { continue }
                if declared.location == .path {
                    diagnostics.append(.error(
                        "operation \(operation.label) needs path parameter '\(declared.name)', which this step does not give",
                        at: expression.location, code: "missing-parameter"))
                } else {
                    diagnostics.append(.warning(
                        "operation \(operation.label) requires \(declared.location.rawValue) parameter '\(declared.name)', which this step does not give",
                        at: expression.location, code: "missing-parameter"))
                }
            }
        }
    }
}

extension UnitChecker {
    /// An AsyncAPI step (Arazzo 1.1): parameters are message headers (`in: header`, send steps)
    /// or channel address parameters (`in: channel`, declared by the channel); a receive step
    /// sends nothing; a `correlationId` needs messages that say where they carry one.
    mutating func checkMessageStep(_ step: Step, workflow: Workflow, target: MessageTarget) {
        let stepParameters = step.parameters.compactMap { document.resolve($0) }
        var effective: [(Parameter, Bool)] = []
        for p in workflow.parameters.compactMap({ document.resolve($0) })
        where !stepParameters.contains(where: { $0.name == p.name && $0.in == p.in }) {
            effective.append((p, false))
        }
        effective.append(contentsOf: stepParameters.map { ($0, true) })
        let channel = target.channel
        for (parameter, isStepLevel) in effective {
            if parameter.in == nil, parameter.locations["in"] != nil { continue }
            let at = isStepLevel ? (parameter.locations["in"] ?? parameter.location) : step.location
            switch parameter.in {
            case .channel?:
                guard channel.parameters[parameter.name] == nil else { continue }
                let declared = channel.parameters.keys.sorted()
                let near = suggest(parameter.name, among: declared)
                diagnostics.append(.error(
                    "channel '\(channel.key)' (address \(channel.address ?? "null")) has no parameter '\(parameter.name)'",
                    at: isStepLevel ? (parameter.locations["name"] ?? parameter.location) : step.location, code: "async-parameter",
                    notes: near.map { ["did you mean '\($0)'?"] }
                        ?? (declared.isEmpty ? ["the channel address has no {parameters}"] : ["its parameters are " + declared.map { "'\($0)'" }.joined(separator: ", ")])))
            case .header?:
                if target.action == .receive {
                    diagnostics.append(.error(
                        "header parameter '\(parameter.name)' on a receive step: a receive step sends nothing; move it to the send step, or match the reply with `correlationId`",
                        at: at, code: "async-parameter"))
                }
            case nil:
                diagnostics.append(.error(
                    "parameter '\(parameter.name)' has no `in`; an AsyncAPI step takes in: header (a message header) or in: channel (a channel address parameter)",
                    at: at, code: "parameter-in"))
            case let other?:
                diagnostics.append(.error(
                    "`in: \(other.rawValue)` has no meaning for a message; an AsyncAPI step takes in: header (a message header) or in: channel (a channel address parameter)",
                    at: at, code: "async-parameter"))
            }
        }
        if target.action == .receive, let body = step.requestBody {
            diagnostics.append(.error(
                "a receive step sends nothing, so it takes no requestBody; give the message on the send step",
                at: body.location, code: "async-parameter"))
        }
        if target.action == .receive, let correlation = step.correlationId, target.correlationIDs.isEmpty {
            let names = target.messages.map(\.key)
            diagnostics.append(.error(
                "`correlationId` needs messages that say where they carry one, but no message of \(target.via) declares a `correlationId` (its messages: \(names.isEmpty ? "none" : names.joined(separator: ", "))); add one in the AsyncAPI description or remove this field",
                at: step.locations["correlationId"] ?? correlation.location, code: "async-correlation"))
        }
    }
}

/// Turns an offset inside a scalar's text into the file line:column of that character, for
/// plain, quoted (escapes and `''` counted) and block scalars.
struct ScalarLocator {
    let lines: [String: [Substring]]
    private var styles: [SourceLocation: YAMLNode.ScalarStyle] = [:]
    /// Where each scalar ends, for fix-its that rewrite the whole scalar.
    private var ends: [SourceLocation: SourcePosition] = [:]
    /// Where each collection and mapping key ends (scalars are in `ends`), for the range of a
    /// diagnostic that only knows where it starts.
    private var nodeEnds: [SourceLocation: SourcePosition] = [:]

    /// The range of the node or key that starts at `location`, if one does.
    func range(startingAt location: SourceLocation) -> SourceRange? {
        // A key and its scalar value never share a start, so either map may answer.
        guard let end = nodeEnds[location] ?? ends[location] else { return nil }
        return SourceRange(from: location, to: end)
    }

    init(sourceTexts: [String: String]) {
        var lines: [String: [Substring]] = [:]
        for (file, text) in sourceTexts {
            lines[file] = text.split(separator: "\n", omittingEmptySubsequences: false)
        }
        self.lines = lines
    }

    /// Records the style of every scalar of a document.
    mutating func index(_ root: YAMLNode) {
        root.forEachNode(limit: 2_000_000) { node in
            switch node.kind {
            case .scalar(let s):
                styles[node.location] = s.style
                ends[node.location] = node.end
            case .sequence:
                nodeEnds[node.location] = node.end
            case .mapping(let pairs):
                nodeEnds[node.location] = node.end
                for pair in pairs { nodeEnds[pair.keyLocation] = pair.keyEnd }
            }
        }
    }

    /// The edit that rewrites the scalar starting at `location` to `newText`, keeping its quoting
    /// valid; nil when no scalar of an indexed document starts there.
    func scalarEdit(at location: SourceLocation, newText: String) -> TextEdit? {
        guard let end = ends[location] else { return nil }
        return YAMLNode.scalarEdit(range: SourceRange(from: location, to: end), style: styles[location] ?? .plain, newText: newText)
    }

    func diagnostic(_ issue: ExpressionIssue, in text: String, at location: SourceLocation) -> Diagnostic {
        var fixIts: [FixIt] = []
        var range: SourceRange?
        if let end = ends[location] {
            let scalarRange = SourceRange(from: location, to: end)
            range = scalarRange
            if let fix = issue.fix {
                let edit = YAMLNode.scalarEdit(range: scalarRange, style: styles[location] ?? .plain, newText: fix.text)
                fixIts.append(FixIt(fix.message, edits: [edit]))
            }
        }
        return Diagnostic(
            issue.severity, issue.message, at: locate(offset: issue.offset, in: text, scalarAt: location),
            code: issue.code, notes: issue.notes, range: range, fixIts: fixIts)
    }

    func locate(offset: Int, in text: String, scalarAt location: SourceLocation) -> SourceLocation {
        let style = styles[location] ?? .plain
        guard let fileLines = lines[location.file], location.line >= 1, location.line <= fileLines.count else {
            return location.advanced(byColumns: style == .singleQuoted || style == .doubleQuoted ? offset + 1 : offset)
        }
        var line = location.line
        var column = location.column
        var blockIndent: Int?
        switch style {
        case .singleQuoted, .doubleQuoted:
            column += 1
        case .literal, .folded:
            line += 1
            while line <= fileLines.count, fileLines[line - 1].allSatisfy({ $0 == " " }) { line += 1 }
            guard line <= fileLines.count else { return location }
            column = (fileLines[line - 1].prefix { $0 == " " }.count) + 1
            blockIndent = column
        case .plain:
            break
        }
        var raw = Array(fileLines[line - 1].unicodeScalars)
        var index = 0
        for scalar in text.unicodeScalars {
            if index == offset { break }
            index += 1
            if column - 1 >= raw.count {
                // The source line ended: this character is a line break (kept or folded).
                line += 1
                guard line <= fileLines.count else { break }
                raw = Array(fileLines[line - 1].unicodeScalars)
                // Block scalars keep indentation beyond the block's own; other styles fold it away.
                column = blockIndent ?? (raw.prefix { $0 == " " || $0 == "\t" }.count) + 1
                if scalar == " " || scalar == "\n" { continue }
            }
            // Text and source disagree (an unusual folding): stay put rather than read past the line.
            guard column >= 1, column - 1 < raw.count else { continue }
            let current = raw[column - 1]
            if style == .doubleQuoted, current == "\\", column < raw.count {
                switch raw[column] {
                case "x": column += 4
                case "u": column += 6
                case "U": column += 10
                default: column += 2
                }
            } else if style == .singleQuoted, current == "'" {
                column += 2
            } else {
                column += 1
            }
        }
        return SourceLocation(file: location.file, line: line, column: column)
    }
}
