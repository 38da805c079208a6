import ArazzoDiagnostics
import ArazzoJSON
import ArazzoYAML
import OrderedCollections

/// Field names per object, in the spec's order (used for unknown-field suggestions too).
enum FieldNames {
    static let root = ["arazzo", "info", "sourceDescriptions", "workflows", "components"]
    static let info = ["title", "summary", "description", "version"]
    static let source = ["name", "url", "type"]
    static let workflow = [
        "workflowId", "summary", "description", "inputs", "dependsOn", "steps", "successActions", "failureActions",
        "outputs", "parameters",
    ]
    static let step = [
        "description", "stepId", "operationId", "operationPath", "workflowId", "parameters", "requestBody",
        "successCriteria", "onSuccess", "onFailure", "outputs",
    ]
    static let parameter = ["name", "in", "value"]
    static let successAction = ["name", "type", "workflowId", "stepId", "criteria"]
    static let failureAction = ["name", "type", "workflowId", "stepId", "retryAfter", "retryLimit", "criteria"]
    static let components = ["inputs", "parameters", "successActions", "failureActions"]
    static let reusable = ["reference", "value"]
    static let criterion = ["context", "condition", "type"]
    static let expressionType = ["type", "version"]
    static let requestBody = ["contentType", "payload", "replacements"]
    static let replacement = ["target", "value"]
}

extension DecodingContext {
    /// The whole document. Returns nil only when the root is not a mapping or the version is one
    /// this engine does not run (then nothing else is checked: the fields would differ).
    mutating func decodeDocument(_ root: YAMLNode) -> ArazzoSpecification? {
        // The version decides which fields exist, so it is checked before anything else; a
        // document for another feature set gets that one error only.
        let placeholder = ArazzoVersion(text: "1.0.0", major: 1, minor: 0, patch: 0, suffix: nil)
        var version = placeholder
        var versionProblem: Diagnostic?
        if let pair = root.pair("arazzo") {
            if let scalar = pair.value.scalar, case .string(let text) = scalar.value {
                declare11 = .replace(
                    pair.value.range, with: scalar.style == .plain ? "1.1.0" : "\"1.1.0\"", "declare `arazzo: 1.1.0`")
                if let v = ArazzoVersion(text) {
                    if let set = v.featureSet {
                        version = v
                        featureSet = set
                        if !v.isKnownRelease {
                            // A later patch only fixes wording (the spec: tooling SHOULD NOT
                            // consider it), so it is read as the feature set; decision V1.
                            warning(
                                .unseenPatchVersion,
                                "Arazzo \(text) is newer than the \(set.suggestedVersion) this engine knows; it is read as \(set.suggestedVersion)",
                                at: pair.value.location, path: "/arazzo")
                        }
                    } else {
                        error(
                            .unsupportedVersion, "Arazzo \(text) is not supported (this engine runs 1.0.x and 1.1.x)",
                            at: pair.value.location, path: "/arazzo")
                        return nil
                    }
                } else {
                    versionProblem = .error(
                        "`arazzo` must be a version like `1.0.1` (major.minor.patch), found `\(text)`",
                        at: pair.value.location, path: "/arazzo", code: ArazzoRule.invalidVersion.rawValue)
                }
            } else if let scalar = pair.value.scalar, scalar.style == .plain, !scalar.value.isNull {
                versionProblem = .error(
                    "`arazzo` must be a string, found \(describeKind(pair.value)); write the full version in quotes, e.g. '1.0.1'",
                    at: pair.value.location, path: "/arazzo", code: ArazzoRule.typeMismatch.rawValue)
            } else {
                versionProblem = .error(
                    "`arazzo` must be a string, found \(describeKind(pair.value))", at: pair.value.location, path: "/arazzo",
                    code: ArazzoRule.typeMismatch.rawValue)
            }
        }
        guard let f = open(root, as: "Arazzo Specification Object", path: "", fields: FieldNames.root) else { return nil }
        if var versionProblem {
            versionProblem.message = clippedMessage(versionProblem.message)
            diagnostics.append(versionProblem)
        }
        if !f.has("arazzo") { missing(f, "arazzo", hint: "; add `arazzo: 1.0.1` at the top") }

        let info: Info
        if let pair = f.pairs["info"], let decoded = decodeInfo(pair.value, anchor: pair.keyLocation) {
            info = decoded
        } else {
            if !f.has("info") { missing(f, "info") }
            info = Info(
                title: "", summary: nil, description: nil, version: "", extensions: .none, location: root.location,
                locations: [:])
        }

        let sources = decodeItems(f, "sourceDescriptions", required: true, minItems: 1) { ctx, item, path in
            ctx.decodeSource(item, path: path)
        } ?? []

        var components: Components?
        if let pair = f.pairs["components"] {
            components = decodeComponents(pair.value, anchor: pair.keyLocation)
        }

        let workflows = decodeItems(f, "workflows", required: true, minItems: 1) { ctx, item, path in
            ctx.decodeWorkflow(item, path: path)
        } ?? []

        checkURIReference(f, "$self")
        var selfURI: String?
        if let value = expression(f, "$self") {
            // A fragment would make the base of every relative reference ambiguous (schema).
            if value.text.contains("#") {
                error(.invalidValue, "`$self` must not contain a fragment (`#…`); remove it", at: value.location, path: "/$self")
            } else {
                selfURI = value.text
            }
        }

        return ArazzoSpecification(
            arazzo: version, info: info, sourceDescriptions: sources, workflows: workflows, components: components,
            selfURI: selfURI, extensions: f.extensions, location: root.location, locations: f.locations, root: root)
    }

    mutating func decodeInfo(_ node: YAMLNode, anchor: SourceLocation) -> Info? {
        guard let f = open(node, as: "Info Object", path: "/info", anchor: anchor, fields: FieldNames.info) else {
            return nil
        }
        let title = string(f, "title", required: true)
        let summary = string(f, "summary")
        let description = string(f, "description")
        // `version: 1.0` is a number in YAML; keep its text rather than reject it (notes §2.2).
        var version = ""
        if let pair = f.pairs["version"] {
            if let scalar = pair.value.scalar, !scalar.value.isNull {
                version = scalar.text
            } else {
                error(
                    .typeMismatch, "`version` must be a string, found \(pair.value.kindName)", at: pair.value.location,
                    path: "/info/version")
            }
        } else {
            missing(f, "version", hint: "; add the document's own version, e.g. `version: 1.0.0`")
        }
        return Info(
            title: title ?? "", summary: summary, description: description, version: version,
            extensions: f.extensions, location: node.location, locations: f.locations)
    }

    mutating func decodeSource(_ node: YAMLNode, path: String) -> SourceDescription? {
        guard let f = open(node, as: "Source Description Object", path: path, fields: FieldNames.source) else {
            return nil
        }
        let name = expression(f, "name", required: true)
        checkIdentifier(name, field: "name", path: f.childPath("name"))
        let url = string(f, "url", required: true)
        checkURIReference(f, "url")
        var type = enumeration(
            f, "type", SourceDescription.SourceType.self,
            allowed: featureSet == .v1_1 ? [.openapi, .arazzo, .asyncapi] : [.openapi, .arazzo])
        if type == .asyncapi, let value = f.pairs["type"]?.value {
            if featureSet == .v1_0 {
                error(
                    .invalidValue, "`type: asyncapi` is an Arazzo 1.1 value; declare `arazzo: 1.1.0`, or use `openapi` or `arazzo`",
                    at: value.location, path: f.childPath("type"))
                type = nil
            }
        }
        return SourceDescription(
            name: name?.text ?? "", url: url ?? "", type: type, extensions: f.extensions, location: node.location,
            locations: f.locations)
    }

    mutating func decodeWorkflow(_ node: YAMLNode, path: String) -> Workflow? {
        guard let f = open(node, as: "Workflow Object", path: path, fields: FieldNames.workflow) else { return nil }
        let workflowId = expression(f, "workflowId", required: true)
        checkIdentifier(workflowId, field: "workflowId", path: f.childPath("workflowId"))
        let summary = string(f, "summary")
        let description = string(f, "description")
        var inputs: LocatedValue?
        if let pair = f.pairs["inputs"] {
            if pair.value.mapping == nil, pair.value.scalar?.value.boolValue == nil {
                error(
                    .typeMismatch, "`inputs` must be a JSON Schema (a mapping), found \(describeKind(pair.value))",
                    at: pair.value.location, path: f.childPath("inputs"))
            } else {
                inputs = LocatedValue(node: pair.value)
            }
        }
        let dependsOn = decodeItems(f, "dependsOn") { ctx, item, path in
            ctx.stringValue(item, field: "dependsOn entry", path: path)
        } ?? []
        let steps = decodeItems(f, "steps", required: true, minItems: 1) { ctx, item, path in ctx.decodeStep(item, path: path) } ?? []
        let successActions = actionList(f, "successActions", decode: { ctx, n, p in ctx.decodeSuccessAction(n, path: p) })
        let failureActions = actionList(f, "failureActions", decode: { ctx, n, p in ctx.decodeFailureAction(n, path: p) })
        var selectors = OrderedDictionary<String, Selector>()
        let outputs = outputs(f, selectors: &selectors)
        let parameters = parameterList(f)
        return Workflow(
            workflowId: workflowId?.text ?? "", summary: summary, description: description, inputs: inputs,
            dependsOn: dependsOn, steps: steps, successActions: successActions, failureActions: failureActions,
            outputs: outputs, parameters: parameters, outputSelectors: selectors, extensions: f.extensions,
            location: node.location, locations: f.locations)
    }

    mutating func decodeStep(_ node: YAMLNode, path: String) -> Step? {
        guard let f = open(node, as: "Step Object", path: path, fields: FieldNames.step) else { return nil }
        let stepId = expression(f, "stepId", required: true)
        checkIdentifier(stepId, field: "stepId", path: f.childPath("stepId"))
        let description = string(f, "description")

        // Exactly one of the three targets; the second one written is the one to remove.
        let targetKeys = featureSet == .v1_1
            ? ["operationId", "operationPath", "workflowId", "channelPath"] : ["operationId", "operationPath", "workflowId"]
        // Read through the decoded fields, so a case-only spelling (`operationID`) counts.
        let present = targetKeys.compactMap { key in f.pairs[key].map { (key: key, pair: $0) } }
            .sorted { $0.pair.keyLocation < $1.pair.keyLocation }
        var target: Step.Target?
        if present.isEmpty {
            var message = "Step Object needs one of \(listing(targetKeys))"
            if let key = targetKeys.first(where: { f.misspelt[$0] != nil }), let typo = f.misspelt[key] {
                message += "; `\(typo)` is probably `\(key)`: rename it"
            }
            error(.stepTarget, message, at: f.anchor, path: path)
        } else {
            for extra in present.dropFirst() {
                error(
                    .stepTarget,
                    "`\(extra.key)` cannot be combined with `\(present[0].key)`; a step calls exactly one operation or workflow",
                    at: extra.pair.keyLocation, path: f.childPath(extra.key))
            }
            let first = present[0]
            if let value = stringValue(first.pair.value, field: first.key, path: f.childPath(first.key)) {
                switch first.key {
                case "operationId": target = .operationId(value)
                case "operationPath": target = .operationPath(value)
                case "channelPath": target = .channelPath(value)
                default: target = .workflowId(value)
                }
            }
        }
        for extra in present.dropFirst() {
            _ = stringValue(extra.pair.value, field: extra.key, path: f.childPath(extra.key))
        }

        let parameters = parameterList(f)
        var requestBody: RequestBody?
        if let pair = f.pairs["requestBody"] {
            requestBody = decodeRequestBody(pair.value, path: f.childPath("requestBody"), anchor: pair.keyLocation)
            if case .workflowId? = target {
                error(
                    .requestBodyOnWorkflowStep,
                    "a step that calls a workflow takes no `requestBody`; pass values as `parameters` (they become the workflow's inputs)",
                    at: pair.keyLocation, path: f.childPath("requestBody"))
            }
        }
        var criteria: [Criterion] = []
        // Arazzo 1.1 makes `minItems: 1` normative; 1.0.1's text allowed an empty list.
        if let items = sequence(f, "successCriteria", minItems: featureSet == .v1_1 ? 1 : 0) {
            if items.isEmpty, featureSet == .v1_0, let pair = f.pairs["successCriteria"] {
                warning(
                    .emptySuccessCriteria,
                    "`successCriteria` is empty, so the step succeeds on any response; add a criterion or remove the field",
                    at: pair.value.location, path: f.childPath("successCriteria"))
            }
            for (i, item) in items.enumerated() {
                if let c = decodeCriterion(item, path: f.childPath("successCriteria") + "/\(i)") { criteria.append(c) }
            }
        }
        let onSuccess = actionList(f, "onSuccess", decode: { ctx, n, p in ctx.decodeSuccessAction(n, path: p) })
        let onFailure = actionList(f, "onFailure", decode: { ctx, n, p in ctx.decodeFailureAction(n, path: p) })
        var selectors = OrderedDictionary<String, Selector>()
        let outputs = outputs(f, selectors: &selectors)
        let async = decodeStep11(f, target: target)
        return Step(
            stepId: stepId?.text ?? "", description: description,
            target: target ?? .operationId(ExpressionString(text: "", location: f.anchor)), parameters: parameters,
            requestBody: requestBody, successCriteria: criteria, onSuccess: onSuccess, onFailure: onFailure,
            outputs: outputs, timeout: async.timeout, dependsOn: async.dependsOn, action: async.action,
            correlationId: async.correlationId, outputSelectors: selectors, extensions: f.extensions,
            location: node.location, locations: f.locations)
    }

    /// A `parameters` list: Parameter Objects or Reusable Objects.
    mutating func parameterList(_ f: ObjectFields) -> [OrReusable<Parameter>] {
        actionList(f, "parameters") { ctx, node, path in ctx.decodeParameter(node, path: path) }
    }

    /// A list of objects or Reusable Objects (actions, parameters).
    mutating func actionList<A>(
        _ f: ObjectFields, _ key: String, decode: (inout DecodingContext, YAMLNode, String) -> A?
    ) -> [OrReusable<A>] {
        decodeItems(f, key) { ctx, item, path in
            item["reference"] != nil
                ? ctx.decodeReusable(item, path: path).map(OrReusable.reusable)
                : decode(&ctx, item, path).map(OrReusable.object)
        } ?? []
    }

    /// The sequence at `key`, each item decoded at its own path (`…/key/i`); an item that does not
    /// decode was reported and is left out. Nil when the field is absent or not a sequence.
    mutating func decodeItems<T>(
        _ f: ObjectFields, _ key: String, required: Bool = false, minItems: Int = 0,
        _ decode: (inout DecodingContext, YAMLNode, String) -> T?
    ) -> [T]? {
        guard let items = sequence(f, key, required: required, minItems: minItems) else { return nil }
        var decoded: [T] = []
        for (i, item) in items.enumerated() {
            if let value = decode(&self, item, f.childPath(key) + "/\(i)") { decoded.append(value) }
        }
        return decoded
    }

    mutating func decodeParameter(_ node: YAMLNode, path: String, anchor: SourceLocation? = nil) -> Parameter? {
        guard let f = open(node, as: "Parameter Object", path: path, anchor: anchor, fields: FieldNames.parameter) else {
            return nil
        }
        let name = string(f, "name", required: true)
        var location = enumeration(
            f, "in", Parameter.Location.self, allowed: Parameter.Location.allCases.filter { $0.isAllowed(in: featureSet) },
            extraHint: ["body": "`in: body` was removed in Arazzo 1.0.1; send the body with the step's `requestBody`"])
        if let written = location, let value = f.pairs["in"]?.value {
            if !written.isAllowed(in: featureSet) {
                error(
                    .invalidValue, "`in: \(written.rawValue)` is an Arazzo 1.1 value; declare `arazzo: 1.1.0`, or use path, query, header or cookie",
                    at: value.location, path: f.childPath("in"))
                location = nil
            }
        }
        let value = any(f, "value", required: true)
        var selector: Selector?
        if featureSet == .v1_1, let pair = f.pairs["value"], pair.value.mapping != nil {
            // In 1.1 a mapping value can only be a Selector Object (schema: `value` oneOf).
            selector = decodeSelector(pair.value, path: f.childPath("value"))
        }
        return Parameter(
            name: name ?? "", in: location, value: value ?? LocatedValue(node: YAMLNode(kind: .scalar(.init(text: "", style: .plain, value: .null)), location: f.anchor)),
            selector: selector, extensions: f.extensions, location: node.location, locations: f.locations)
    }

    mutating func decodeReusable(_ node: YAMLNode, path: String) -> ReusableObject? {
        guard let f = open(node, as: "Reusable Object", path: path, fields: FieldNames.reusable, extensible: false) else {
            return nil
        }
        guard let reference = expression(f, "reference", required: true) else { return nil }
        let value = any(f, "value")
        return ReusableObject(reference: reference, value: value, location: node.location, locations: f.locations)
    }

    /// `stepId` / `workflowId` of an action, checked against its type.
    mutating func actionTarget(_ f: ObjectFields, typeName: String?, name: String?) -> ActionTarget? {
        let keys = ["stepId", "workflowId"].compactMap { key in f.pairs[key].map { (key: key, pair: $0) } }
            .sorted { $0.pair.keyLocation < $1.pair.keyLocation }
        var values: [(String, ExpressionString)] = []
        for (key, pair) in keys {
            if let v = stringValue(pair.value, field: key, path: f.childPath(key)) { values.append((key, v)) }
        }
        let label = name.map { "`\(typeName ?? "")` action `\($0)`" } ?? "`\(typeName ?? "")` action"
        switch typeName {
        case "end"?:
            // The spec only calls the target "relevant" for goto and retry, so a target on `end`
            // is a warning: the document still runs (the target is ignored).
            for (key, pair) in keys {
                warning(
                    .endWithTarget, "an `end` action ignores `\(key)`; remove it, or use `type: goto` to jump",
                    at: pair.keyLocation, path: f.childPath(key))
            }
            return nil
        case "goto"?, "retry"?:
            if keys.count > 1 {
                error(
                    .actionTarget, "`stepId` and `workflowId` are mutually exclusive; keep one", at: keys[1].pair.keyLocation,
                    path: f.childPath(keys[1].key))
            } else if keys.isEmpty && typeName == "goto" {
                error(.actionTarget, "\(label) needs a `stepId` or a `workflowId` to go to", at: f.anchor, path: f.path)
            }
        default:
            break
        }
        guard let first = values.first else { return nil }
        return first.0 == "stepId" ? .stepId(first.1) : .workflowId(first.1)
    }

    /// Action `criteria`. The schema gives success actions `minItems: 1` but not failure actions.
    mutating func criteriaList(_ f: ObjectFields, minItems: Int) -> [Criterion] {
        decodeItems(f, "criteria", minItems: minItems) { ctx, item, path in ctx.decodeCriterion(item, path: path) } ?? []
    }

    mutating func decodeSuccessAction(_ node: YAMLNode, path: String, anchor: SourceLocation? = nil) -> SuccessAction? {
        guard let f = open(node, as: "Success Action Object", path: path, anchor: anchor, fields: FieldNames.successAction)
        else { return nil }
        let name = string(f, "name", required: true)
        let type = enumeration(f, "type", SuccessAction.ActionType.self, required: true)
        let target = actionTarget(f, typeName: type?.rawValue, name: name)
        let criteria = criteriaList(f, minItems: 1)
        let parameters = actionParameters(f, target: target)
        return SuccessAction(
            name: name ?? "", type: type ?? .end, target: target, criteria: criteria, parameters: parameters,
            extensions: f.extensions, location: node.location, locations: f.locations)
    }

    mutating func decodeFailureAction(_ node: YAMLNode, path: String, anchor: SourceLocation? = nil) -> FailureAction? {
        guard let f = open(node, as: "Failure Action Object", path: path, anchor: anchor, fields: FieldNames.failureAction)
        else { return nil }
        let name = string(f, "name", required: true)
        let type = enumeration(f, "type", FailureAction.ActionType.self, required: true)
        let target = actionTarget(f, typeName: type?.rawValue, name: name)
        var retryAfter: Double?
        var retryLimit: Int?
        for key in ["retryAfter", "retryLimit"] {
            guard let pair = f.pairs[key] else { continue }
            if let type, type != .retry {
                // The action's type says what it does; the extra field is simply unused.
                warning(
                    .retryField, "`\(key)` only applies to `retry` actions and is ignored here; remove it or set `type: retry`",
                    at: pair.keyLocation, path: f.childPath(key))
            }
            let value = pair.value.scalar?.value
            if key == "retryAfter" {
                if let n = value?.numberValue?.doubleValue, n >= 0, n.isFinite {
                    retryAfter = n
                } else {
                    error(
                        .retryValue,
                        "`retryAfter` must be a non-negative number of seconds, found \(describe(pair.value))",
                        at: pair.value.location, path: f.childPath(key))
                }
            } else {
                if case .int(let n)? = value, n >= 0 {
                    retryLimit = n
                } else {
                    error(
                        .retryValue, "`retryLimit` must be a non-negative integer, found \(describe(pair.value))",
                        at: pair.value.location, path: f.childPath(key))
                }
            }
        }
        let criteria = criteriaList(f, minItems: 0)
        let parameters = actionParameters(f, target: target)
        return FailureAction(
            name: name ?? "", type: type ?? .end, target: target, retryAfter: retryAfter, retryLimit: retryLimit,
            criteria: criteria, parameters: parameters, extensions: f.extensions, location: node.location,
            locations: f.locations)
    }

    /// "`-1`" for scalars, "a mapping" otherwise.
    func describe(_ node: YAMLNode) -> String {
        if let s = node.scalar {
            if case .string = s.value { return "the string '\(s.text)'" }
            return "`\(s.text)`"
        }
        return article(node.kindName)
    }

    mutating func decodeCriterion(_ node: YAMLNode, path: String) -> Criterion? {
        guard let f = open(node, as: "Criterion Object", path: path, fields: FieldNames.criterion) else { return nil }
        let context = expression(f, "context")
        let condition = expression(f, "condition", required: true)
        var type: Criterion.TypeValue?
        if let pair = f.pairs["type"] {
            if pair.value.mapping != nil {
                if let t = decodeExpressionType(pair.value, path: f.childPath("type"), anchor: pair.keyLocation) {
                    if t.type == .jsonpointer {
                        // A JSON Pointer selects a value; it has no true/false outcome to test.
                        error(
                            .invalidValue, "a criterion cannot be a `jsonpointer` expression (it selects, it does not test); use `jsonpath` or `simple`",
                            at: t.locations["type"] ?? t.location, path: f.childPath("type") + "/type")
                    } else {
                        type = .expressionType(t)
                    }
                }
            } else if let kind = enumeration(f, "type", Criterion.Kind.self, what: "criterion `type`") {
                type = .kind(kind)
            }
        }
        if let type, type.kind != .simple, context == nil {
            error(
                .missingContext,
                "\(type.kind == .xpath ? "an" : "a") `\(type.kind.rawValue)` criterion needs a `context`: the runtime expression the condition applies to (e.g. `$response.body`)",
                at: f.anchor, path: path)
        }
        return Criterion(
            context: context, condition: condition ?? ExpressionString(text: "", location: f.anchor), type: type,
            extensions: f.extensions, location: node.location, locations: f.locations)
    }

    mutating func decodeExpressionType(_ node: YAMLNode, path: String, anchor: SourceLocation) -> CriterionExpressionType? {
        guard let f = open(node, as: "Criterion Expression Type Object", path: path, anchor: anchor, fields: FieldNames.expressionType)
        else { return nil }
        let kinds = CriterionExpressionType.ExpressionKind.allCases.filter { !$0.allowedVersions(in: featureSet).isEmpty }
        let kind = enumeration(f, "type", CriterionExpressionType.ExpressionKind.self, required: true, allowed: kinds)
        // Arazzo 1.1 makes `version` optional, with a default per type.
        let version = expression(f, "version", required: featureSet == .v1_0)
        guard let kind, kinds.contains(kind) else { return nil }
        guard let version else {
            if f.has("version") || featureSet == .v1_0 { return nil }
            return CriterionExpressionType(
                type: kind, version: kind.defaultVersion, extensions: f.extensions, location: node.location,
                locations: f.locations)
        }
        let allowed = kind.allowedVersions(in: featureSet)
        if !allowed.contains(version.text) {
            let name = kind == .jsonpath ? "a JSONPath" : kind == .xpath ? "an XPath" : "a JSON Pointer"
            var message = "`\(version.text)` is not \(name) version Arazzo \(featureSet.rawValue) allows; use \(listing(allowed))"
            if featureSet == .v1_1 {
                // No 1.0 hint: the versions it names are allowed in 1.1.
            } else if kind == .xpath, version.text == "xpath-31" {
                message += " (XPath 3.1 is the default: omit the Criterion Expression Type Object and write `type: xpath`)"
            } else if kind == .jsonpath, version.text.lowercased().contains("9535") {
                message += " (RFC 9535 is the default: write `type: jsonpath`)"
            }
            error(.criterionVersion, message, at: version.location, path: f.childPath("version"))
            return nil
        }
        return CriterionExpressionType(
            type: kind, version: version.text, extensions: f.extensions, location: node.location, locations: f.locations)
    }

    mutating func decodeRequestBody(_ node: YAMLNode, path: String, anchor: SourceLocation) -> RequestBody? {
        guard let f = open(node, as: "Request Body Object", path: path, anchor: anchor, fields: FieldNames.requestBody) else {
            return nil
        }
        let contentType = string(f, "contentType")
        let payload = any(f, "payload")
        var payloadSelectors: [PayloadSelector] = []
        if featureSet == .v1_1, let pair = f.pairs["payload"] {
            collectPayloadSelectors(pair.value, at: "", payloadPath: f.childPath("payload"), depth: 0, into: &payloadSelectors)
        }
        var replacements: [PayloadReplacement] = []
        if let items = sequence(f, "replacements") {
            for (i, item) in items.enumerated() {
                let p = f.childPath("replacements") + "/\(i)"
                guard let rf = open(item, as: "Payload Replacement Object", path: p, fields: FieldNames.replacement) else {
                    continue
                }
                let target = string(rf, "target", required: true)
                let value = any(rf, "value", required: true)
                var targetType: SelectorType?
                if let pair = rf.pairs["targetSelectorType"] {
                    targetType = decodeSelectorType(rf, pair: pair)
                }
                var selector: Selector?
                if featureSet == .v1_1, let pair = rf.pairs["value"], pair.value.mapping != nil {
                    selector = decodeSelector(pair.value, path: rf.childPath("value"))
                }
                if let target, let value {
                    replacements.append(
                        PayloadReplacement(
                            target: target, value: value, targetSelectorType: targetType, selector: selector,
                            extensions: rf.extensions, location: item.location, locations: rf.locations))
                }
            }
        }
        var body = RequestBody(
            contentType: contentType, payload: payload, replacements: replacements, extensions: f.extensions,
            location: node.location, locations: f.locations)
        body.payloadSelectors = payloadSelectors
        return body
    }

    mutating func decodeComponents(_ node: YAMLNode, anchor: SourceLocation) -> Components? {
        guard let f = open(node, as: "Components Object", path: "/components", anchor: anchor, fields: FieldNames.components) else {
            return nil
        }
        func keyed(_ ctx: inout DecodingContext, _ key: String) -> [(YAMLNode.Pair, String)] {
            guard let entries = ctx.mapping(f, key) else { return [] }
            return entries.map { pair in
                let path = f.childPath(key) + "/" + JSONPointerText.escape(pair.key)
                if !isValidComponentKey(pair.key) {
                    ctx.warning(
                        .invalidKey,
                        "component key `\(pair.key)` should only contain letters, digits, `.`, `-` and `_`; `$components` expressions that name it may not parse",
                        at: pair.keyLocation, path: path, range: pair.keyRange)
                }
                return (pair, path)
            }
        }
        var inputs = OrderedDictionary<String, LocatedValue>()
        for (pair, path) in keyed(&self, "inputs") {
            if pair.value.mapping == nil && pair.value.scalar?.value.boolValue == nil {
                error(.typeMismatch, "`inputs.\(pair.key)` must be a JSON Schema (a mapping), found \(describeKind(pair.value))", at: pair.value.location, path: path)
            } else {
                inputs[pair.key] = LocatedValue(node: pair.value)
            }
        }
        var parameters = OrderedDictionary<String, Parameter>()
        for (pair, path) in keyed(&self, "parameters") {
            if let p = decodeParameter(pair.value, path: path, anchor: pair.keyLocation) { parameters[pair.key] = p }
        }
        var successActions = OrderedDictionary<String, SuccessAction>()
        for (pair, path) in keyed(&self, "successActions") {
            if let a = decodeSuccessAction(pair.value, path: path, anchor: pair.keyLocation) { successActions[pair.key] = a }
        }
        var failureActions = OrderedDictionary<String, FailureAction>()
        for (pair, path) in keyed(&self, "failureActions") {
            if let a = decodeFailureAction(pair.value, path: path, anchor: pair.keyLocation) { failureActions[pair.key] = a }
        }
        return Components(
            inputs: inputs, parameters: parameters, successActions: successActions, failureActions: failureActions,
            extensions: f.extensions, location: node.location, locations: f.locations)
    }
}
