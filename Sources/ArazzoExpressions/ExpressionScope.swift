import ArazzoDiagnostics
import ArazzoJSON

/// What a static check knows about the place an expression is written: the workflow's steps and
/// their outputs, the inputs, other workflows, sources and components. A plain value, so this
/// module does not depend on the document model; the validator fills it in.
///
/// `nil` for a list means "unknown", and the matching check is skipped (e.g. an `inputs` schema
/// that is a `$ref` the validator could not resolve, or one that allows additional properties).
package struct ExpressionScope: Sendable, Hashable {
    /// A step of the current workflow.
    package struct Step: Sendable, Hashable {
        /// The `stepId`.
        package var id: String
        /// The keys of its `outputs`.
        package var outputs: [String]
        /// Whether it is a `workflowId` step (no HTTP exchange, A13).
        package var isWorkflowStep: Bool
        /// Whether it is an AsyncAPI step (Arazzo 1.1): it has a `$message`, no HTTP exchange.
        package var isMessageStep: Bool

        /// Creates a step description.
        package init(id: String, outputs: [String] = [], isWorkflowStep: Bool = false, isMessageStep: Bool = false) {
            self.id = id
            self.outputs = outputs
            self.isWorkflowStep = isWorkflowStep
            self.isMessageStep = isMessageStep
        }
    }

    /// A workflow of the document, for `$workflows.<id>.…`.
    package struct Workflow: Sendable, Hashable {
        /// The `workflowId`.
        package var id: String
        /// Its declared input property names; `nil` if unknown.
        package var inputs: [String]?
        /// The keys of its `outputs`.
        package var outputs: [String]
        /// Whether its inputs schema forbids other properties (`additionalProperties: false`);
        /// an undeclared name is an error only then.
        package var inputsAreClosed: Bool

        /// Creates a workflow description.
        package init(id: String, inputs: [String]? = nil, outputs: [String] = [], inputsAreClosed: Bool = true) {
            self.id = id
            self.inputs = inputs
            self.outputs = outputs
            self.inputsAreClosed = inputsAreClosed
        }
    }

    /// When, relative to the current step's HTTP exchange, the checked text is evaluated.
    package enum Phase: String, Sendable, Hashable, Codable {
        /// While building the request: parameters, request body, workflow-level parameters.
        case request
        /// After the response, before the step's outputs exist: `successCriteria`, `outputs`.
        case response
        /// In `onSuccess`/`onFailure` action criteria: the step's own outputs exist.
        case actions
        /// The workflow's `outputs`, after its steps ran (no current step).
        case workflowOutputs
    }

    /// The current workflow's steps, in document order.
    package var steps: [Step]
    /// The index in ``steps`` of the step the checked text belongs to; `nil` at workflow level.
    package var currentStepIndex: Int?
    /// When the checked text is evaluated.
    package var phase: Phase
    /// The current workflow's declared input property names; `nil` skips the input check.
    package var inputNames: [String]?
    /// Whether the current workflow's inputs schema forbids other properties
    /// (`additionalProperties: false`). When it does not, `$inputs.<undeclared>` is valid (the
    /// caller may pass any input) and only `.member` navigation into a declared input is reported.
    package var inputsAreClosed: Bool = true
    /// The current workflow's output keys.
    package var workflowOutputNames: [String]
    /// In a `workflowId` step: the called workflow's output keys (what `$outputs` reads, A13);
    /// `nil` if unknown.
    package var calledWorkflowOutputs: [String]?
    /// Every workflow of the document.
    package var workflows: [Workflow]
    /// The `sourceDescriptions` names.
    package var sourceDescriptionNames: [String]
    /// Component keys per kind; a missing kind skips the check.
    package var componentNames: [RuntimeExpression.ComponentKind: [String]]
    /// The runtime-expression grammar the checked strings are parsed with (the document's
    /// `arazzo` version; 1.0.1 by default).
    package var version: ExpressionVersion = .v1_0

    /// Creates a scope.
    package init(
        steps: [Step] = [], currentStepIndex: Int? = nil, phase: Phase = .response, inputNames: [String]? = nil,
        workflowOutputNames: [String] = [], calledWorkflowOutputs: [String]? = nil, workflows: [Workflow] = [],
        sourceDescriptionNames: [String] = [], componentNames: [RuntimeExpression.ComponentKind: [String]] = [:]
    ) {
        self.steps = steps
        self.currentStepIndex = currentStepIndex
        self.phase = phase
        self.inputNames = inputNames
        self.workflowOutputNames = workflowOutputNames
        self.calledWorkflowOutputs = calledWorkflowOutputs
        self.workflows = workflows
        self.sourceDescriptionNames = sourceDescriptionNames
        self.componentNames = componentNames
    }

    /// The current step, if any.
    package var currentStep: Step? {
        guard let index = currentStepIndex, steps.indices.contains(index) else { return nil }
        return steps[index]
    }
}

/// How the checked string is to be read.
package enum ExpressionTextKind: String, Sendable, Hashable, Codable {
    /// A `{expression}` field (`context`, output values, `reference`): one runtime expression.
    case expression
    /// A string that may embed `{$…}` (parameter values, `operationPath`, payload strings).
    case template
    /// A `simple` condition.
    case condition
    /// An `Any | {expression}` string (Parameter `value`, payload leaf): an expression iff it
    /// parses as one, otherwise a template.
    case value
}

extension ExpressionScope {
    /// Parses `text` as `kind` and checks every runtime expression in it against the scope.
    ///
    /// Issues carry offsets into `text` (Unicode scalars). Checks: syntax; the step exists, runs
    /// earlier (later or own outputs: warning) and declares the output; the input is declared;
    /// `$outputs` only in a `workflowId` step (A13) or the workflow outputs; the workflow, source
    /// description and component exist; `$statusCode`, `$response`, `$request`, `$url`, `$method`
    /// only after an operation step's exchange (A13). Dotted names match the longest declared
    /// name; the rest is navigation, allowed only in conditions (A2).
    package func check(_ text: String, as kind: ExpressionTextKind) -> [ExpressionIssue] {
        switch kind {
        case .expression:
            do {
                let e = try RuntimeExpression(parsing: text, version: version)
                return check(e, at: 0, inCondition: false).withFixes(in: text)
            } catch {
                return [error.issue]
            }
        case .template:
            do {
                return check(try ExpressionTemplate(parsing: text, version: version)).withFixes(in: text)
            } catch {
                return [error.issue]
            }
        case .condition:
            do {
                return check(try SimpleCondition(parsing: text, version: version)).withFixes(in: text)
            } catch {
                return [error.issue]
            }
        case .value:
            let compiled = ValueTemplate(.string(text), version: version)
            return (compiled.issues.map(\.issue) + compiled.expressions.flatMap { check($0.expression, at: $0.offset, inCondition: false) }).withFixes(in: text)
        }
    }

    /// Checks the expressions of a parsed template, plus unbalanced literal braces (notes
    /// §2.13 item 4).
    package func check(_ template: ExpressionTemplate) -> [ExpressionIssue] {
        var issues = template.expressions.flatMap { check($0.expression, at: $0.offset, inCondition: false) }
            .withFixes(in: template.text)
        if let offset = template.unbalancedBraceOffset {
            issues.append(ExpressionIssue(
                .error, "unbalanced brace in a template; embedded expressions are written `{$…}`", offset: offset,
                code: "template-unbalanced-brace"))
        }
        return issues
    }

    /// Checks the operands of a parsed `simple` condition (and returns its parse warnings).
    package func check(_ condition: SimpleCondition) -> [ExpressionIssue] {
        (condition.warnings + condition.operands.flatMap { check($0.expression, at: $0.offset, inCondition: true) })
            .withFixes(in: condition.text)
    }

    /// Checks a compiled value (payload, parameter value); issues are paired with the JSON
    /// pointer of the string they are in.
    package func check(_ value: ValueTemplate) -> [ValueTemplate.Issue] {
        var issues = value.issues
        // Group by string so every rewrite of one string lands in one canonical text.
        var byPath: [(path: String, issues: [ExpressionIssue])] = []
        for entry in value.expressions {
            let found = check(entry.expression, at: entry.offset, inCondition: false)
            if let k = byPath.firstIndex(where: { $0.path == entry.path }) {
                byPath[k].issues += found
            } else {
                byPath.append((entry.path, found))
            }
        }
        for (path, found) in byPath {
            let text = value.string(at: path) ?? ""
            issues += found.withFixes(in: text).map { ValueTemplate.Issue(path: path, issue: $0) }
        }
        return issues
    }

    /// The compile issues of a criterion plus the scope checks of its `context` and condition.
    package func check(_ criterion: CompiledCriterion) -> [ExpressionIssue] {
        var issues = criterion.issues
        if let context = criterion.context {
            issues += check(context, at: 0, inCondition: false).map {
                var issue = $0
                issue.field = .context
                return issue
            }
        }
        if let condition = criterion.simpleCondition {
            issues += condition.operands.flatMap { check($0.expression, at: $0.offset, inCondition: true) }
        } else if let template = criterion.conditionTemplate {
            issues += template.expressions.flatMap { check($0.expression, at: $0.offset, inCondition: false) }
        }
        // Rewrites in the condition and in the context are separate strings.
        let conditionIssues = issues.filter { $0.field == .checked }.withFixes(in: criterion.condition)
        let contextIssues = issues.filter { $0.field == .context }.withFixes(in: criterion.contextText ?? "")
        // Put them back in the order they were found.
        var nextCondition = conditionIssues.makeIterator()
        var nextContext = contextIssues.makeIterator()
        return issues.map { issue in
            switch issue.field {
            case .checked: return nextCondition.next() ?? issue
            case .context: return nextContext.next() ?? issue
            default: return issue
            }
        }
    }

    /// Checks one parsed expression that starts at `offset` in the checked string.
    package func check(_ e: RuntimeExpression, at offset: Int, inCondition: Bool) -> [ExpressionIssue] {
        var issues: [ExpressionIssue] = []
        let idAt = offset + (e.idOffset ?? 0)
        let nameAt = offset + (e.nameOffset ?? 0)
        func add(_ severity: Diagnostic.Severity, _ message: String, _ at: Int, _ code: String) {
            issues.append(ExpressionIssue(severity, message, offset: at, code: code))
        }
        let length = e.text.unicodeScalars.count
        for form in e.lenientForms {
            var issue = ExpressionIssue(.warning, form.message, offset: offset + form.offset, code: form.code)
            issue.rewrite = Rewrite(offset: offset, length: length, text: form.canonical)
            issues.append(issue)
        }
        /// The outcome of a name check: declared, `.member` navigation into a declared name
        /// (warning with the pointer form), or undeclared (`problem`).
        func report(_ result: NameCheck, code: String) {
            switch result {
            case .declared: break
            case .problem(let message): add(.error, message, nameAt, code)
            case .navigation(let split, let base):
                let tokens = split.pointer.tokens + (e.pointer?.tokens ?? [])
                let canonical = "\(base).\(split.head)#\(JSONPointer(tokens: tokens))"
                let nameText = e.name ?? ""
                var issue = ExpressionIssue(
                    .warning,
                    "`\(nameText)` is not a declared name; `\(split.head)` is, and the rest is `.`/`[n]` navigation, which a runtime expression writes as a JSON Pointer (Arazzo §4.7: \"references may be made to portions … (e.g., `$steps.someStepId.outputs.pets#/0/id`)\"); read as `\(canonical)`",
                    offset: nameAt, code: "dotted-navigation")
                issue.rewrite = Rewrite(offset: offset, length: length, text: canonical)
                issues.append(issue)
            }
        }

        if e.readsHTTPExchange {
            let head = e.text.split(separator: "#", maxSplits: 1).first.map(String.init) ?? e.text
            if let step = currentStep, step.isWorkflowStep {
                add(.error, "`\(head)` is undefined in a `workflowId` step: it has no HTTP request or response (A13); read the called workflow's results with `$outputs.<name>`", offset, "exchange-on-workflow-step")
            } else if let step = currentStep, step.isMessageStep {
                add(.error, "`\(head)` is undefined in an AsyncAPI step: it has no HTTP request or response; read its message with `$message.payload` or `$message.header.<name>`", offset, "exchange-unavailable")
            } else if currentStep == nil || phase == .workflowOutputs {
                add(.error, "`\(head)` is only available inside an operation step, after its request is sent", offset, "exchange-unavailable")
            } else if phase == .request {
                add(.error, "`\(head)` is not available while the request is being built; it exists only after the step's request is sent", offset, "exchange-unavailable")
            }
            return issues
        }
        if e.readsMessage {
            // Arazzo 1.1: `$message` is the message an AsyncAPI step sent or received.
            let head = e.text.split(separator: "#", maxSplits: 1).first.map(String.init) ?? e.text
            if let step = currentStep, !step.isMessageStep, phase != .workflowOutputs {
                add(.error, "`\(head)` is undefined here: only an AsyncAPI step (`action: send` or `receive`) has a message; an HTTP step's is `$response.body`", offset, "exchange-unavailable")
            } else if currentStep == nil || phase == .workflowOutputs {
                add(.error, "`\(head)` is only available inside an AsyncAPI step; pass it out through a step output (`$steps.<id>.outputs.<name>`)", offset, "exchange-unavailable")
            }
            return issues
        }

        switch e.source {
        case .stepOutput(let stepId, let name):
            guard let index = steps.firstIndex(where: { $0.id == stepId }) else {
                var message = "unknown step `\(stepId)`"
                if let s = suggest(stepId, among: steps.map(\.id)) { message += "; did you mean `\(s)`?" }
                add(.error, message, idAt, "unknown-step")
                return issues
            }
            if let current = currentStepIndex {
                if index > current {
                    add(.warning, "step `\(stepId)` comes after this step; its outputs exist only if it ran earlier (e.g. via `goto`)", idAt, "forward-step-reference")
                } else if index == current && (phase == .request || phase == .response) {
                    add(.warning, "step `\(stepId)` reads its own output before it is set (outputs are computed after the success criteria)", idAt, "own-output-reference")
                }
            }
            let result = Self.declared(name, in: steps[index].outputs, inCondition: inCondition, owner: "step `\(stepId)`", what: "output", pointerBase: "$steps.\(stepId).outputs")
            if result != .declared {
                report(result, code: "undeclared-output")
            } else if inCondition, let shorter = Self.ambiguousPrefix(name, in: steps[index].outputs) {
                add(.warning, "`\(name)` is ambiguous: step `\(stepId)` declares both `\(name)` and `\(shorter)`; the longest name `\(name)` is used (A2)", nameAt, "ambiguous-dotted-name")
            }
        case .inputs(let name):
            guard let inputs = inputNames else { break }
            let result = Self.declared(name, in: inputs, inCondition: inCondition, owner: "the workflow's `inputs`", what: "input", pointerBase: "$inputs", closed: inputsAreClosed)
            if result != .declared {
                report(result, code: "undeclared-input")
            } else if inCondition, let shorter = Self.ambiguousPrefix(name, in: inputs) {
                add(.warning, "`\(name)` is ambiguous: the workflow declares both inputs `\(name)` and `\(shorter)`; the longest name `\(name)` is used (A2)", nameAt, "ambiguous-dotted-name")
            }
        case .outputs(let name):
            if let step = currentStep, step.isWorkflowStep {
                if let outputs = calledWorkflowOutputs {
                    report(Self.declared(name, in: outputs, inCondition: inCondition, owner: "the called workflow", what: "output", pointerBase: "$outputs"), code: "undeclared-output")
                }
            } else if phase == .workflowOutputs {
                report(Self.declared(name, in: workflowOutputNames, inCondition: inCondition, owner: "this workflow", what: "output", pointerBase: "$outputs"), code: "undeclared-output")
            } else {
                add(.error, "`$outputs` reads the called workflow's outputs and is only meaningful in a `workflowId` step's criteria and outputs (A13); use `$steps.<stepId>.outputs.<name>` here", offset, "outputs-unavailable")
            }
        case .workflowInput(let workflowId, let name), .workflowOutput(let workflowId, let name):
            guard let workflow = workflows.first(where: { $0.id == workflowId }) else {
                var message = "unknown workflow `\(workflowId)`"
                if let s = suggest(workflowId, among: workflows.map(\.id)) { message += "; did you mean `\(s)`?" }
                add(.error, message, idAt, "unknown-workflow")
                return issues
            }
            if case .workflowInput = e.source {
                if let inputs = workflow.inputs {
                    report(Self.declared(name, in: inputs, inCondition: inCondition, owner: "workflow `\(workflowId)`", what: "input", pointerBase: "$workflows.\(workflowId).inputs", closed: workflow.inputsAreClosed), code: "undeclared-input")
                }
            } else {
                report(Self.declared(name, in: workflow.outputs, inCondition: inCondition, owner: "workflow `\(workflowId)`", what: "output", pointerBase: "$workflows.\(workflowId).outputs"), code: "undeclared-output")
            }
        case .sourceDescription(let name, _):
            if !sourceDescriptionNames.contains(name) {
                var message = "unknown source description `\(name)`"
                if let s = suggest(name, among: sourceDescriptionNames) { message += "; did you mean `\(s)`?" }
                add(.error, message, idAt, "unknown-source")
            }
        case .component(let kind, let name):
            if let names = componentNames[kind], !names.contains(name) {
                var message = "no component `\(name)` in `components.\(kind.rawValue)`"
                if let s = suggest(name, among: names) { message += "; did you mean `\(s)`?" }
                add(.error, message, nameAt, "unknown-component")
            }
        default:
            break
        }
        return issues
    }

    /// In a condition, a declared dotted name whose dotted prefix is declared too: `a.b` could be
    /// the name `a.b` or member `b` of `a` (A2). Returns the longest such prefix.
    static func ambiguousPrefix(_ name: String, in names: [String]) -> String? {
        guard names.contains(name), name.contains(".") else { return nil }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        var count = parts.count - 1
        while count >= 1 {
            let head = parts[0..<count].joined(separator: ".")
            if names.contains(head) { return head }
            count -= 1
        }
        return nil
    }

    /// What a name check found.
    enum NameCheck: Equatable {
        /// The name is declared (or, in a condition, a declared name followed by navigation).
        case declared
        /// The name is not declared: the message.
        case problem(String)
        /// Outside a condition: a declared name followed by `.member`/`[n]` navigation, whose
        /// canonical form is `<base>.<head>#/<pointer>`.
        case navigation(DottedName.Split, base: String)
    }

    /// Whether `name` is declared in `names`, navigation into a declared name (A2: in a condition
    /// that is the `.` operator; elsewhere a lenient form with a fix-it), or undeclared (for an
    /// open schema, `closed: false`, an undeclared name is fine).
    static func declared(
        _ name: String, in names: [String], inCondition: Bool, owner: String, what: String, pointerBase: String,
        closed: Bool = true
    ) -> NameCheck {
        if names.contains(name) { return .declared }
        for split in DottedName.splits(of: name) where names.contains(split.head) {
            return inCondition ? .declared : .navigation(split, base: pointerBase)
        }
        if !closed { return .declared }
        var message = "\(owner) declares no \(what) `\(name)`"
        if let s = suggest(name, among: names) {
            message += "; did you mean `\(s)`?"
        } else if names.isEmpty {
            message += " (it declares none)"
        } else if names.count <= 8 {
            message += " (declared: \(names.map { "`\($0)`" }.joined(separator: ", ")))"
        }
        return .problem(message)
    }
}
