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
        // An `operationId` step's `action` is checked against the AsyncAPI operation once the
        // sources are loaded (`async-action`); a `channelPath` has only the step to say it.
        if case .channelPath? = target, f.pairs["action"] == nil {
            error(
                .asyncStepField, "a `channelPath` step needs `action: send` or `action: receive`",
                at: f.anchor, path: f.path)
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

extension DecodingContext {
    /// The Selector Object fields, in the order messages name them.
    private static let selectorFields = ["context", "selector", "type"]

    /// Finds the Selector Objects inside a 1.1 `payload` (decision S6). A mapping is one when its
    /// keys are exactly `context`, `selector` and `type` (plus `x-` extensions), `context` and
    /// `selector` are strings and `type` names a selector language; it is decoded (its version
    /// checked as everywhere) and not searched further. A mapping evidently meant as one but not
    /// one (a misspelt key, no `type`, an unknown `type`) stays a literal object, with a warning
    /// that says why and a fix-it where the fix is clear.
    mutating func collectPayloadSelectors(
        _ node: YAMLNode, at path: String, payloadPath: String, depth: Int, into found: inout [PayloadSelector]
    ) {
        // Payload values nest as deep as the ValueTemplate compiles them, no deeper.
        guard depth < 512 else { return }
        if let items = node.sequence {
            for (i, item) in items.enumerated() {
                collectPayloadSelectors(item, at: path + "/\(i)", payloadPath: payloadPath, depth: depth + 1, into: &found)
            }
            return
        }
        guard let entries = node.mapping else { return }
        let keys = entries.map(\.key).filter { !$0.hasPrefix("x-") }
        if Set(keys) == Set(Self.selectorFields), keys.count == 3, Self.isSelectorShaped(entries) {
            if let selector = decodeSelector(node, path: payloadPath + path) {
                found.append(PayloadSelector(path: path, selector: selector))
            }
            return
        }
        nearSelector(entries, node: node, pointer: payloadPath + path)
        for pair in entries {
            collectPayloadSelectors(
                pair.value, at: path + "/" + JSONPointerText.escape(pair.key), payloadPath: payloadPath, depth: depth + 1,
                into: &found)
        }
    }

    /// `context` and `selector` strings and a `type` that names a selector language (plainly or
    /// as an Expression Type Object).
    private static func isSelectorShaped(_ entries: [YAMLNode.Pair]) -> Bool {
        func string(_ key: String) -> String? {
            guard let scalar = entries.first(where: { $0.key == key })?.value.scalar, case .string(let s) = scalar.value else {
                return nil
            }
            return s
        }
        guard string("context") != nil, string("selector") != nil,
              let type = entries.first(where: { $0.key == "type" })?.value else { return false }
        let kinds = Set(CriterionExpressionType.ExpressionKind.allCases.map(\.rawValue))
        if let scalar = type.scalar, case .string(let s) = scalar.value { return kinds.contains(s) }
        if let inner = type.mapping?.first(where: { $0.key == "type" })?.value.scalar, case .string(let s) = inner.value {
            return kinds.contains(s)
        }
        return false
    }

    /// The warnings for a payload mapping that has `context` and `selector` (as written or
    /// misspelt) and nothing else but a `type` or its misspelling, yet is no Selector Object.
    private mutating func nearSelector(_ entries: [YAMLNode.Pair], node: YAMLNode, pointer: String) {
        let written = entries.filter { !$0.key.hasPrefix("x-") }
        let exact = Set(written.map(\.key)).intersection(Self.selectorFields)
        var meant: [String: YAMLNode.Pair] = [:]
        var typos: [(YAMLNode.Pair, String)] = []
        for pair in written where !exact.contains(pair.key) {
            let open = Self.selectorFields.filter { !exact.contains($0) && meant[$0] == nil }
            guard let near = suggest(pair.key, among: open) else { return }
            meant[near] = pair
            typos.append((pair, near))
        }
        for key in exact { meant[key] = written.first { $0.key == key } }
        guard meant["context"] != nil, meant["selector"] != nil else { return }
        let lead = "this payload mapping looks like a Selector Object but is sent as a literal object"
        for (pair, near) in typos {
            warning(
                .payloadSelectorLike, "\(lead): `\(pair.key)` is probably `\(near)`; rename it",
                at: pair.keyLocation, path: pointer + "/" + JSONPointerText.escape(pair.key), range: pair.keyRange,
                fixIts: [Self.renameKey(pair, to: near)])
        }
        guard typos.isEmpty else { return }
        guard let type = meant["type"] else {
            warning(
                .payloadSelectorLike, "\(lead): it has no `type`; add `type: jsonpointer`, `jsonpath` or `xpath`",
                at: node.location, path: pointer)
            return
        }
        let kinds = CriterionExpressionType.ExpressionKind.allCases.map(\.rawValue)
        if let scalar = type.value.scalar, case .string(let s) = scalar.value, !kinds.contains(s) {
            if let near = suggest(s, among: kinds) {
                warning(
                    .payloadSelectorLike, "\(lead): `type: \(s)` — `\(s)` is probably `\(near)`; correct it",
                    at: type.value.location, path: pointer + "/type", range: type.value.range,
                    fixIts: [FixIt("write `\(near)`", edits: [type.value.replacingScalar(with: near)])])
            } else {
                warning(
                    .payloadSelectorLike, "\(lead): `type` must be jsonpointer, jsonpath or xpath",
                    at: type.value.location, path: pointer + "/type")
            }
            return
        }
        if !Self.isSelectorShaped(entries) {
            warning(
                .payloadSelectorLike,
                "\(lead): `context` and `selector` must be strings and `type` jsonpointer, jsonpath, xpath or an Expression Type Object of one",
                at: node.location, path: pointer)
        }
    }
}
