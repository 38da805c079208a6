import ArazzoDiagnostics
import ArazzoJSON
import ArazzoYAML

/// The fields Arazzo 1.1 added to existing objects, and its Selector Object. They are read only
/// in a 1.1 document (in a 1.0 one ``DecodingContext/open`` reports them as 1.1 fields).
extension DecodingContext {
    /// The 1.1 Step Object fields: `timeout`, `dependsOn` (its form; what it names is checked by
    /// the validator), and the AsyncAPI `action` and `correlationId`, checked against the step's target.
    mutating func decodeStep11(
        _ f: ObjectFields, target: Step.Target?
    ) -> (timeout: Int?, dependsOn: [ExpressionString], action: Step.AsyncAction?, correlationId: LocatedValue?) {
        var timeout: Int?
        if let pair = f.pairs["timeout"] {
            if case .int(let n)? = pair.value.scalar?.value, n >= 0 {
                timeout = n
            } else {
                error(
                    .typeMismatch, "`timeout` must be a non-negative integer number of milliseconds, found \(describe(pair.value))",
                    at: pair.value.location, path: f.childPath("timeout"))
            }
        }
        var dependsOn: [ExpressionString] = []
        if let items = sequence(f, "dependsOn", minItems: 1) {
            for (i, item) in items.enumerated() {
                let path = f.childPath("dependsOn") + "/\(i)"
                guard let entry = stringValue(item, field: "dependsOn entry", path: path) else { continue }
                if StepDependency(entry.text) == nil {
                    error(
                        .invalidValue,
                        "step `dependsOn` entry `\(entry.text)` must be a stepId of this workflow, `$workflows.<workflowId>.steps.<stepId>` or `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>`",
                        at: entry.location, path: path)
                } else {
                    dependsOn.append(entry)
                }
            }
        }
        var action: Step.AsyncAction?
        if let pair = f.pairs["action"] {
            action = enumeration(f, "action", Step.AsyncAction.self)
            if let target, case .workflowId = target {
                error(
                    .asyncStepField, "`action` applies only to AsyncAPI steps; a step that calls a workflow takes none, so remove it",
                    at: pair.keyLocation, path: f.childPath("action"))
            }
        }
        if case .channelPath(let path)? = target {
            if f.pairs["action"] == nil {
                error(
                    .asyncStepField, "a `channelPath` step needs `action: send` or `action: receive`",
                    at: f.anchor, path: f.path)
            }
            notSupportedYet("an AsyncAPI step (`channelPath`)", at: path.location, path: f.childPath("channelPath"))
        } else if let pair = f.pairs["action"], action != nil {
            notSupportedYet("an AsyncAPI step (`action`)", at: pair.value.location, path: f.childPath("action"))
        }
        var correlationId: LocatedValue?
        if let pair = f.pairs["correlationId"] {
            correlationId = LocatedValue(node: pair.value)
            if action != .receive {
                error(
                    .asyncStepField, "`correlationId` applies only to receive steps; add `action: receive` or remove it",
                    at: pair.keyLocation, path: f.childPath("correlationId"))
            }
        }
        return (timeout, dependsOn, action, correlationId)
    }

    /// Action `parameters` (1.1): they become the inputs of the workflow the action goes to, so
    /// the action must name a workflow (schema: `parameters` requires `workflowId`).
    mutating func actionParameters(_ f: ObjectFields, target: ActionTarget?) -> [OrReusable<Parameter>] {
        guard let pair = f.pairs["parameters"] else { return [] }
        let parameters = parameterList(f)
        if case .workflowId? = target {
            // "The `in` field MUST NOT be used": every parameter is an input of the target
            // workflow, so an `in` has no meaning there. The intent (pass this value by name) is
            // evident, so it is a warning whose fix-it removes the field (issue 11 leniency).
            for (i, item) in (pair.value.sequence ?? []).enumerated() {
                guard let entries = item.mapping, item["reference"] == nil,
                      let inPair = entries.first(where: { $0.key == "in" }) else { continue }
                warning(
                    .actionParameterIn,
                    "action parameters are inputs of the workflow the action goes to and take no `in`; remove `in: \(inPair.value.scalar?.text ?? "…")`",
                    at: inPair.keyLocation, path: f.childPath("parameters") + "/\(i)/in", range: inPair.range,
                    fixIts: [FixIt("remove `in`", edits: [TextEdit(range: Self.entryDeletion(inPair, in: entries), replacement: "")])])
            }
        } else {
            error(
                .actionParameters, "action `parameters` are the inputs of the workflow it goes to; add a `workflowId` or remove them",
                at: pair.keyLocation, path: f.childPath("parameters"))
        }
        return parameters
    }

    /// A Selector Object (1.1).
    mutating func decodeSelector(_ node: YAMLNode, path: String) -> Selector? {
        guard let f = open(node, as: "Selector Object", path: path, fields: ["context", "selector", "type"]) else {
            return nil
        }
        let context = expression(f, "context", required: true)
        let selector = expression(f, "selector", required: true)
        var type: SelectorType?
        if let pair = f.pairs["type"] {
            type = decodeSelectorType(f, pair: pair)
        } else {
            missing(f, "type", hint: "; add `type: jsonpointer`, `jsonpath` or `xpath`")
        }
        guard let context, let selector, let type else { return nil }
        notSupportedYet("a Selector Object", at: node.location, path: path)
        return Selector(
            context: context, selector: selector, type: type, extensions: f.extensions, location: node.location,
            locations: f.locations)
    }

    /// A `selector-type`: `jsonpointer|jsonpath|xpath` or an Expression Type Object.
    mutating func decodeSelectorType(_ f: ObjectFields, pair: YAMLNode.Pair) -> SelectorType? {
        if pair.value.mapping != nil {
            return decodeExpressionType(pair.value, path: f.childPath(pair.key), anchor: pair.keyLocation)
                .map(SelectorType.expressionType)
        }
        return enumeration(f, pair.key, CriterionExpressionType.ExpressionKind.self, what: "selector `type`")
            .map(SelectorType.kind)
    }
}
