import ArazzoJSON
import ArazzoOpenAPI
import ArazzoModel
import ArazzoExpressions
import ArazzoJSONSchema
import ArazzoExecutor
import ArazzoYAML
import OrderedCollections

/// Every workflow of every loaded Arazzo document, compiled once: operations resolved, parameter
/// lists merged, actions resolved and merged, expressions, templates and criteria parsed. Runs
/// only read it, so a step costs no parsing.
struct EnginePlan: Sendable {
    let workflows: [WorkflowKey: CompiledWorkflow]
    /// The contract checks' compiled schemas: once per engine, shared by its runs.
    let contractSchemas = ContractSchemaCache()
    /// Whether any step has a `dependsOn` (V10): without one, a run records no completed steps.
    let hasStepDependencies: Bool

    init(loaded: LoadedDocument) {
        var workflows: [WorkflowKey: CompiledWorkflow] = [:]
        for unit in loaded.units.values {
            let resolver = OperationResolver(loaded: loaded, unit: unit)
            for workflow in unit.document.workflows {
                let key = WorkflowKey(unitURL: unit.url, workflowId: workflow.workflowId)
                workflows[key] = CompiledWorkflow(workflow, key: key, unit: unit, resolver: resolver)
            }
        }
        self.workflows = workflows
        hasStepDependencies = workflows.values.contains { workflow in workflow.steps.contains { !$0.dependsOn.isEmpty } }
    }
}

/// One workflow, ready to run.
final class CompiledWorkflow: Sendable {
    let key: WorkflowKey
    let workflowId: String
    let inputsSchema: JSONSchema?
    let inputsSchemaError: String?
    let steps: [CompiledStep]
    let stepIndex: [String: Int]
    let outputs: [CompiledOutput]
    let dependsOn: [Result<WorkflowKey, ResolutionFailure>]
    /// The dependencies that come only from steps' `dependsOn` on other workflows' steps (V10).
    let stepDependencyKeys: Set<WorkflowKey>
    /// `$sourceDescriptions.<name>.url` values of the workflow's document.
    let sourceURLs: [String: String]
    /// `$self` (Arazzo 1.1, decision E2): the document's `$self` resolved against where it was
    /// read from, or that location when it has none (a local path as a `file:` URI).
    let selfURI: String
    /// The declared input names when the inputs schema forbids others (`additionalProperties:
    /// false`, after `$ref`s into the document); nil when it accepts any.
    let closedInputNames: Set<String>?
    /// The input names the inputs schema declares at the top level (after `$ref`s into the
    /// document); nil when it declares none.
    let declaredInputNames: Set<String>?

    init(_ workflow: Workflow, key: WorkflowKey, unit: ArazzoUnit, resolver: OperationResolver) {
        self.key = key
        self.workflowId = workflow.workflowId
        let document = unit.document
        if let inputs = workflow.inputs {
            let root = document.root.jsonValue
            do {
                inputsSchema = try JSONSchema(inputs.value, resolveRef: JSONSchema.fragmentResolver(in: root))
                inputsSchemaError = nil
            } catch {
                inputsSchema = nil
                inputsSchemaError = error.description
            }
        } else {
            inputsSchema = nil
            inputsSchemaError = nil
        }
        let inputNames = Self.inputNames(workflow.inputs?.value, root: document.root.jsonValue)
        declaredInputNames = inputNames?.declared
        closedInputNames = inputNames?.closed == true ? inputNames?.declared : nil
        var urls: [String: String] = [:]
        for source in document.sourceDescriptions {
            switch unit.sources[source.name] {
            case .openapi(let url)?, .arazzo(let url)?, .asyncapi(let url)?: urls[source.name] = url
            default: urls[source.name] = source.url
            }
        }
        sourceURLs = urls
        selfURI = Self.selfURI(of: document, retrievedFrom: unit.url)

        let workflowParameters = workflow.parameters.compactMap { document.resolve($0) }
        let workflowSuccess = workflow.successActions.compactMap { document.resolve($0) }
        let workflowFailure = workflow.failureActions.compactMap { document.resolve($0) }
        var stepIndex: [String: Int] = [:]
        for (index, step) in workflow.steps.enumerated() where stepIndex[step.stepId] == nil {
            stepIndex[step.stepId] = index
        }
        self.stepIndex = stepIndex
        let version = document.expressionVersion
        steps = workflow.steps.map { step in
            CompiledStep(
                step, workflowId: workflow.workflowId, document: document, resolver: resolver, stepIndex: stepIndex,
                workflowParameters: workflowParameters, workflowSuccess: workflowSuccess, workflowFailure: workflowFailure)
        }
        outputs = workflow.outputs.map { CompiledOutput(name: $0.key, text: $0.value.text, version: version) }
            + workflow.outputSelectors.map { CompiledOutput(name: $0.key, selector: $0.value, version: version) }
        // A step's `dependsOn` on another workflow's step makes that workflow a dependency of
        // this one (V10): it runs first, once per run, so the step can be there when it is needed.
        var explicit = Set(workflow.dependsOn.map(\.text))
        let implied = workflow.stepDependencyWorkflows.filter { explicit.insert($0.text).inserted }
        func resolve(_ reference: ExpressionString) -> Result<WorkflowKey, ResolutionFailure> {
            switch resolver.resolveWorkflow(reference.text) {
            case .success(.workflow(let key)): return .success(key)
            case .success(.operation), .success(.message): return .failure(ResolutionFailure(message: "dependsOn '\(reference.text)' is not a workflow"))
            case .failure(let f): return .failure(f)
            }
        }
        // One that does not resolve is not run: the step that names it fails with the reason.
        let impliedKeys = implied.compactMap { try? resolve($0).get() }.filter { $0 != key }
        dependsOn = workflow.dependsOn.map(resolve) + impliedKeys.map { .success($0) }
        stepDependencyKeys = Set(impliedKeys)
    }
}

extension CompiledWorkflow {
    /// The inputs this workflow gets as an entry of a several-workflow run that shares one input
    /// set: all of them, or only the declared names when its schema is closed (another entry's
    /// inputs must not make this one invalid).
    func entryInputs(_ inputs: JSONValue) -> JSONValue {
        guard let names = closedInputNames, case .object(let members) = inputs else { return inputs }
        return .object(members.filter { names.contains($0.key) })
    }

    /// The URI `$self` evaluates to (decision E2).
    static func selfURI(of document: ArazzoSpecification, retrievedFrom url: String) -> String {
        var base = url
        if let written = document.selfURI, !written.isEmpty { base = URLReference.resolve(written, against: url) }
        guard URLReference.scheme(of: base) == nil, base.hasPrefix("/") else { return base }
        // A document read from disk is named by its absolute path; as a URI that is a file: URL.
        return "file://" + base.split(separator: "/", omittingEmptySubsequences: false)
            .map { PercentEncoding.encode(String($0)) }.joined(separator: "/")
    }

    /// The top-level property names of an inputs schema (after `$ref`s into the document), and
    /// whether it forbids others.
    static func inputNames(_ schema: JSONValue?, root: JSONValue) -> (declared: Set<String>, closed: Bool)? {
        guard let schema = schema.flatMap({ JSONSchema.followingLocalReferences($0, in: root) }),
              case .object(let properties)? = schema["properties"] else { return nil }
        return (Set(properties.keys), schema["additionalProperties"] == .bool(false))
    }
}

/// An operation step's resolved operation (``ResolvedTarget/operation(sourceName:document:operation:)``),
/// held by reference so that an attempt borrows it instead of copying it out of the enum.
final class OperationTarget: Sendable {
    let sourceName: String
    let document: OpenAPIDocument
    let operation: OpenAPIOperation
    /// The description's security schemes in the order of their names: where a credential bound
    /// to the source finds its scheme (``SecurityApplier``), sorted once instead of per request.
    let schemesByName: [SecurityScheme]

    init(sourceName: String, document: OpenAPIDocument, operation: OpenAPIOperation) {
        self.sourceName = sourceName
        self.document = document
        self.operation = operation
        schemesByName = document.securitySchemes.keys.sorted().compactMap { document.securitySchemes[$0] }
    }
}

/// A step, ready to run.
final class CompiledStep: Sendable {
    let stepId: String
    /// The operationId / operationPath / workflowId as written.
    let operationText: String
    let target: Result<ResolvedTarget, ResolutionFailure>
    let parameters: [CompiledParameter]
    let body: CompiledBody?
    let criteria: [CriterionProgram]
    let onSuccess: [CompiledAction]
    let onFailure: [CompiledAction]
    let outputs: [CompiledOutput]
    /// Outputs the document marks secret with `x-arazzo-secret-outputs`.
    let secretOutputNames: Set<String>
    /// `timeout` (Arazzo 1.1): the longest one attempt of an operation step may take (decision V5),
    /// or how long a receive step waits for its message.
    let timeout: Duration?
    /// `correlationId` (Arazzo 1.1 receive steps): the value a received message must carry.
    let correlationId: ValueTemplate?
    /// `dependsOn` (Arazzo 1.1): steps that must have completed successfully first (decision V10).
    let dependsOn: [StepPrerequisite]
    /// What the contract checks of an operation step read, made once here rather than per check.
    let contractSubject: ContractSubject?
    /// The operation an operation step calls, behind one reference: matching it out of
    /// ``target`` copied the source name, the description and the operation (a few dozen
    /// references) on every attempt.
    let operationTarget: OperationTarget?

    init(
        _ step: Step, workflowId: String, document: ArazzoSpecification, resolver: OperationResolver, stepIndex: [String: Int],
        workflowParameters: [Parameter], workflowSuccess: [SuccessAction], workflowFailure: [FailureAction]
    ) {
        stepId = step.stepId
        let version = document.expressionVersion
        timeout = step.timeout.map { .milliseconds($0) }
        dependsOn = step.dependsOn.map { StepPrerequisite($0.text, in: workflowId, resolver: resolver) }
        operationText = step.target.expression.text
        let target = resolver.resolve(step.target, action: step.action)
        correlationId = step.correlationId.map { ValueTemplate($0.value, version: version) }
        self.target = target
        if case .success(.operation(let sourceName, let document, let operation)) = target {
            contractSubject = ContractSubject(document: document, operation: operation)
            operationTarget = OperationTarget(sourceName: sourceName, document: document, operation: operation)
        } else {
            contractSubject = nil
            operationTarget = nil
        }
        let isWorkflowStep = step.target.isWorkflow

        // Workflow parameters, each replaced by a step parameter of the same identity (A14):
        // (name, in) with header names case-insensitive; name alone for workflow steps.
        let stepParameters = step.parameters.compactMap { document.resolve($0) }
        func same(_ a: Parameter, _ b: Parameter) -> Bool {
            if isWorkflowStep { return a.name == b.name }
            guard a.in == b.in else { return false }
            return a.in == .header ? HeaderFields.namesMatch(a.name, b.name) : a.name == b.name
        }
        var merged = workflowParameters.filter { w in !stepParameters.contains { same($0, w) } }
        merged.append(contentsOf: stepParameters)
        parameters = merged.map { CompiledParameter($0, version: version) }

        body = step.requestBody.map { CompiledBody($0, version: version) }
        criteria = step.successCriteria.map { CriterionProgram($0, version: version) }

        // Step actions first, then workflow actions not overridden by name (A14).
        let stepSuccess = step.onSuccess.compactMap { document.resolve($0) }
        let stepFailure = step.onFailure.compactMap { document.resolve($0) }
        let successNames = Set(stepSuccess.map(\.name))
        let failureNames = Set(stepFailure.map(\.name))
        onSuccess = (stepSuccess + workflowSuccess.filter { !successNames.contains($0.name) }).map {
            CompiledAction(success: $0, document: document, resolver: resolver, stepIndex: stepIndex, version: version)
        }
        onFailure = (stepFailure + workflowFailure.filter { !failureNames.contains($0.name) }).map {
            CompiledAction(failure: $0, document: document, resolver: resolver, stepIndex: stepIndex, version: version)
        }
        outputs = step.outputs.map { CompiledOutput(name: $0.key, text: $0.value.text, version: version) }
            + step.outputSelectors.map { CompiledOutput(name: $0.key, selector: $0.value, version: version) }
        secretOutputNames = Set(step.extensions[SecretOutputs.documentMarker].flatMap(SecretOutputs.markedNames) ?? [])
    }
}

/// A parameter with its value compiled. Classes, this and the body and replacement below: the
/// plan's step holds them, and each step read them out of it, copying every field.
final class CompiledParameter: Sendable {
    let name: String
    let location: Parameter.Location?
    let value: ValueTemplate
    /// A `value` written as a Selector Object (Arazzo 1.1): the value is what it selects.
    let selection: CompiledSelection?

    init(_ parameter: Parameter, version: ExpressionVersion) {
        name = parameter.name
        location = parameter.in
        value = ValueTemplate(parameter.value.value, version: version)
        selection = parameter.selector.map { CompiledSelection($0, version: version) }
    }
}

/// A request body with its payload and replacement values compiled.
final class CompiledBody: Sendable {
    let contentType: String?
    let payload: ValueTemplate?
    /// The Selector Objects inside the payload (1.1, decision S6), in the order of the payload's
    /// slots: each is evaluated before the payload, and the payload takes what it selects.
    let payloadSelections: [(path: String, selection: CompiledSelection)]
    let replacements: [CompiledReplacement]

    init(_ body: RequestBody, version: ExpressionVersion) {
        contentType = body.contentType
        let slots = body.payloadSelectors.map(\.path)
        payload = body.payload.map { ValueTemplate($0.value, version: version, slots: slots) }
        payloadSelections = body.payloadSelectors.map { ($0.path, CompiledSelection($0.selector, version: version)) }
        replacements = body.replacements.map { CompiledReplacement($0, version: version) }
    }
}

extension CompiledBody {
    /// The payload evaluated: its Selector Objects first, any that selects nothing failing the
    /// step (naming where it is, decision S6 as V7 for parameters), then its expressions and
    /// templates with the selected values in place. Replacements are the caller's, after this.
    func evaluatePayload(_ template: ValueTemplate, in context: EvaluationContext) -> Result<ValueTemplate.Evaluation, RequestBuildFailure> {
        var selected: [JSONValue] = []
        selected.reserveCapacity(payloadSelections.count)
        for (path, selection) in payloadSelections {
            switch selection.evaluate(in: context) {
            case .success(let value): selected.append(value)
            case .failure(let failure):
                let place = path.isEmpty ? "payload" : "payload member \(path)"
                return .failure(RequestBuildFailure(message: "\(place) has no value: \(failure.message)"))
            }
        }
        return .success(template.evaluate(in: context, slots: selected))
    }
}

/// A payload replacement: where (`target`, in the language of `targetSelectorType` when given)
/// and what (`value`, a Selector Object in 1.1 when written as a mapping).
final class CompiledReplacement: Sendable {
    let target: String
    /// `targetSelectorType` (Arazzo 1.1) compiled with `target`; nil: JSON Pointer for JSON and
    /// form payloads, XPath for XML (A21).
    let targetSelector: CompiledSelector?
    let value: ValueTemplate
    let selection: CompiledSelection?

    init(_ replacement: PayloadReplacement, version: ExpressionVersion) {
        target = replacement.target
        targetSelector = replacement.targetSelectorType.map {
            CompiledSelector(selector: replacement.target, type: $0.kind.rawValue, version: $0.version)
        }
        value = ValueTemplate(replacement.value.value, version: version)
        selection = replacement.selector.map { CompiledSelection($0, version: version) }
    }
}

/// A step or workflow output: `name: <runtime expression>`.
final class CompiledOutput: Sendable {
    let name: String
    let text: String
    let expression: Result<RuntimeExpression, ExpressionError>
    /// A `{$…}` template written where an expression belongs (a lenient extension, A24).
    let template: ExpressionTemplate?
    /// An output written as a Selector Object (Arazzo 1.1); then ``expression`` is unused.
    let selection: CompiledSelection?

    init(name: String, selector: Selector, version: ExpressionVersion) {
        self.name = name
        self.text = selector.selector.text
        expression = .failure(ExpressionError("a Selector Object, not a runtime expression", offset: 0))
        template = nil
        selection = CompiledSelection(selector, version: version)
    }

    init(name: String, text: String, version: ExpressionVersion) {
        self.name = name
        self.text = text
        let parsed = Result { () throws(ExpressionError) -> RuntimeExpression in try RuntimeExpression(parsing: text, version: version) }
        expression = parsed
        selection = nil
        if case .failure = parsed, ExpressionTemplate.containsEmbeddedExpression(text) {
            template = try? ExpressionTemplate(parsing: text, version: version)
        } else {
            template = nil
        }
    }
}

/// Where an action goes.
enum ActionDestination: Sendable {
    case step(Int)
    case workflow(WorkflowKey)
    case invalid(String)
}

/// A success or failure action, resolved.
struct CompiledAction: Sendable {
    enum Kind: Sendable { case end, goto, retry }
    let name: String
    let kind: Kind
    let destination: ActionDestination?
    let retryAfter: Double?
    let retryLimit: Int
    let criteria: [CriterionProgram]
    /// `parameters` (Arazzo 1.1): the inputs of the workflow the action goes to, evaluated when
    /// it fires; `in` is ignored (decision V11).
    let parameters: [CompiledParameter]

    init(success action: SuccessAction, document: ArazzoSpecification, resolver: OperationResolver, stepIndex: [String: Int], version: ExpressionVersion) {
        name = action.name
        parameters = action.parameters.compactMap { document.resolve($0) }.map { CompiledParameter($0, version: version) }
        kind = action.type == .end ? .end : .goto
        destination = action.target.map { Self.destination($0, resolver: resolver, stepIndex: stepIndex) }
        retryAfter = nil
        retryLimit = 0
        criteria = action.criteria.map { CriterionProgram($0, version: version) }
    }

    init(failure action: FailureAction, document: ArazzoSpecification, resolver: OperationResolver, stepIndex: [String: Int], version: ExpressionVersion) {
        name = action.name
        parameters = action.parameters.compactMap { document.resolve($0) }.map { CompiledParameter($0, version: version) }
        switch action.type {
        case .end: kind = .end
        case .goto: kind = .goto
        case .retry: kind = .retry
        }
        destination = action.target.map { Self.destination($0, resolver: resolver, stepIndex: stepIndex) }
        retryAfter = action.retryAfter
        // A15: retryLimit counts retries; omitted means one retry.
        retryLimit = action.retryLimit ?? 1
        criteria = action.criteria.map { CriterionProgram($0, version: version) }
    }

    private static func destination(_ target: ActionTarget, resolver: OperationResolver, stepIndex: [String: Int]) -> ActionDestination {
        switch target {
        case .stepId(let e):
            guard let index = stepIndex[e.text] else { return .invalid("no step '\(e.text)' in this workflow") }
            return .step(index)
        case .workflowId(let e):
            switch resolver.resolveWorkflow(e.text) {
            case .success(.workflow(let key)): return .workflow(key)
            case .success(.operation), .success(.message): return .invalid("'\(e.text)' is not a workflow")
            case .failure(let f): return .invalid(f.message)
            }
        }
    }
}

/// A step that must have completed successfully before another starts (`dependsOn`, decision V10).
enum StepPrerequisite: Sendable {
    /// A step of the same workflow run.
    case local(String)
    /// A step of another workflow, which runs first as a dependency.
    case other(WorkflowKey, String)
    /// An entry that names nothing runnable; the dependent step fails with this reason.
    case invalid(String)

    init(_ text: String, in workflowId: String, resolver: OperationResolver) {
        guard let dependency = StepDependency(text) else {
            self = .invalid("dependsOn '\(text)' names no step")
            return
        }
        if let id = dependency.localStepId(in: workflowId) {
            self = .local(id)
            return
        }
        switch dependency.workflowReference.map(resolver.resolveWorkflow) {
        case .success(.workflow(let key))?: self = .other(key, dependency.stepId)
        case .failure(let f)?: self = .invalid("dependsOn '\(text)': \(f.message)")
        default: self = .invalid("dependsOn '\(text)' names no workflow")
        }
    }
}
