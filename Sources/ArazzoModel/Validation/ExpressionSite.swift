package import ArazzoDiagnostics
import ArazzoYAML
import OrderedCollections
import ArazzoJSON

/// One place in a document that holds, or may hold, a runtime expression, with the scope it is
/// evaluated in. ``ArazzoSpecification/expressionSites`` lists them all so the expression layer can
/// parse and check every one at validation time without knowing the AST's shape.
package struct ExpressionSite: Sendable, Hashable {
    /// What the text is, which decides how it must be parsed.
    package enum Role: Sendable, Hashable {
        /// A criterion `context`: must be a runtime expression.
        case criterionContext
        /// A criterion `condition`, in the language of its kind (simple, regex, jsonpath, xpath).
        case criterionCondition(Criterion.Kind)
        /// A step `outputs` value: must be a runtime expression.
        case stepOutput(name: String)
        /// A workflow `outputs` value: must be a runtime expression.
        case workflowOutput(name: String)
        /// A string leaf of a Parameter `value` (or a Reusable Object `value`): an expression iff it parses as one, or a `{$…}` template.
        case parameterValue(name: String)
        /// A string leaf of a request body `payload` (expression, template or literal).
        case payload
        /// A string leaf of a Payload Replacement `value`.
        case replacementValue
        /// The `context` of a Selector Object (Arazzo 1.1): must be a runtime expression.
        case selectorContext
        /// A step `operationId` (`$sourceDescriptions.<name>.<id>` or a bare id).
        case operationId
        /// A step `operationPath` (`{$sourceDescriptions.<name>.url}#…`).
        case operationPath
        /// A `workflowId` of a step or action, or a `dependsOn` entry (bare id or `$sourceDescriptions.<name>.<id>`).
        case workflowReference
        /// A Reusable Object `reference` (`$components.<kind>.<key>`).
        case componentReference
    }

    /// What the text is.
    package let role: Role
    /// The text as written.
    package let text: String
    /// Where the text starts (its opening quote for quoted scalars).
    package let location: SourceLocation
    /// The workflow the site belongs to; nil inside `components`.
    package let workflowId: String?
    /// The step the site belongs to; nil for workflow-level sites and components.
    package let stepId: String?
    /// Whether that step calls a workflow (then `$statusCode`, `$response.*`, … are undefined, A13).
    package let stepCallsWorkflow: Bool
}

extension ArazzoSpecification {
    /// Every place that holds or may hold a runtime expression, in document order per workflow,
    /// then the components.
    package var expressionSites: [ExpressionSite] {
        var sites: [ExpressionSite] = []
        for workflow in workflows {
            let scope = SiteScope(workflowId: workflow.workflowId, stepId: nil, callsWorkflow: false)
            for dep in workflow.dependsOn { scope.add(.workflowReference, dep, to: &sites) }
            for p in workflow.parameters { scope.addParameter(p, to: &sites) }
            for a in workflow.successActions { scope.addAction(a.object?.criteria, a.object?.target, a.reusable, to: &sites) }
            for a in workflow.failureActions { scope.addAction(a.object?.criteria, a.object?.target, a.reusable, to: &sites) }
            for step in workflow.steps {
                let stepScope = SiteScope(workflowId: workflow.workflowId, stepId: step.stepId, callsWorkflow: step.target.isWorkflow)
                switch step.target {
                case .operationId(let e): stepScope.add(.operationId, e, to: &sites)
                case .operationPath(let e): stepScope.add(.operationPath, e, to: &sites)
                case .workflowId(let e): stepScope.add(.workflowReference, e, to: &sites)
                // Checked against the AsyncAPI description once that is read (not yet: V3).
                case .channelPath: break
                }
                for p in step.parameters { stepScope.addParameter(p, to: &sites) }
                if let body = step.requestBody {
                    if let payload = body.payload { stepScope.addLeaves(.payload, payload.node, to: &sites) }
                    for r in body.replacements {
                        if let selector = r.selector {
                            stepScope.add(.selectorContext, selector.context, to: &sites)
                        } else {
                            stepScope.addLeaves(.replacementValue, r.value.node, to: &sites)
                        }
                    }
                }
                for c in step.successCriteria { stepScope.addCriterion(c, to: &sites) }
                for a in step.onSuccess { stepScope.addAction(a.object?.criteria, a.object?.target, a.reusable, to: &sites) }
                for a in step.onFailure { stepScope.addAction(a.object?.criteria, a.object?.target, a.reusable, to: &sites) }
                for (name, e) in step.outputs { stepScope.add(.stepOutput(name: name), e, to: &sites) }
                for (_, s) in step.outputSelectors { stepScope.add(.selectorContext, s.context, to: &sites) }
            }
            for (name, e) in workflow.outputs { scope.add(.workflowOutput(name: name), e, to: &sites) }
            for (_, s) in workflow.outputSelectors { scope.add(.selectorContext, s.context, to: &sites) }
        }
        if let components {
            let scope = SiteScope(workflowId: nil, stepId: nil, callsWorkflow: false)
            for (_, p) in components.parameters { scope.addParameter(.object(p), to: &sites) }
            for (_, a) in components.successActions { scope.addAction(a.criteria, a.target, nil, to: &sites) }
            for (_, a) in components.failureActions { scope.addAction(a.criteria, a.target, nil, to: &sites) }
        }
        return sites
    }
}

private struct SiteScope {
    let workflowId: String?
    let stepId: String?
    let callsWorkflow: Bool

    func add(_ role: ExpressionSite.Role, _ e: ExpressionString, to sites: inout [ExpressionSite]) {
        sites.append(
            ExpressionSite(
                role: role, text: e.text, location: e.location, workflowId: workflowId, stepId: stepId,
                stepCallsWorkflow: callsWorkflow))
    }

    /// String leaves of an `Any` value; the walk is bounded by the YAML layer's depth limit.
    func addLeaves(_ role: ExpressionSite.Role, _ node: YAMLNode, to sites: inout [ExpressionSite]) {
        var leaves: [ExpressionString] = []
        node.forEachNode { next in
            if case .string(let text)? = next.scalar?.value { leaves.append(ExpressionString(text: text, location: next.location)) }
        }
        for leaf in leaves { add(role, leaf, to: &sites) }
    }

    func addParameter(_ entry: OrReusable<Parameter>, to sites: inout [ExpressionSite]) {
        switch entry {
        case .object(let p):
            // A Selector Object (1.1) is not a value template: only its `context` is an expression.
            if let selector = p.selector {
                add(.selectorContext, selector.context, to: &sites)
                return
            }
            addLeaves(.parameterValue(name: p.name), p.value.node, to: &sites)
        case .reusable(let r):
            add(.componentReference, r.reference, to: &sites)
            if let value = r.value {
                addLeaves(.parameterValue(name: r.component?.key ?? ""), value.node, to: &sites)
            }
        }
    }

    func addCriterion(_ c: Criterion, to sites: inout [ExpressionSite]) {
        if let context = c.context { add(.criterionContext, context, to: &sites) }
        add(.criterionCondition(c.kind), c.condition, to: &sites)
    }

    func addAction(_ criteria: [Criterion]?, _ target: ActionTarget?, _ reusable: ReusableObject?, to sites: inout [ExpressionSite]) {
        if let reusable { add(.componentReference, reusable.reference, to: &sites) }
        if case .workflowId(let e)? = target { add(.workflowReference, e, to: &sites) }
        for c in criteria ?? [] { addCriterion(c, to: &sites) }
    }
}
