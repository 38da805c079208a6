public import ArazzoDiagnostics
public import ArazzoJSON
public import ArazzoYAML
public import OrderedCollections

// Public initialisers, so documents can be built in code (tests, generators, embedders that hold
// workflows in their own format). Every location defaults to ``SourceLocation/memory``: diagnostics
// about a built document then point at `<memory>:1:1`, and `locations` stays empty (the checks
// fall back to the object's own location). Each one forwards to the memberwise initialiser the
// document reader uses, so a new field is added in one place.

extension SourceLocation {
    /// The place of objects built in code rather than read from a file: `<memory>:1:1`.
    public static let memory = SourceLocation(file: "<memory>", line: 1, column: 1)
}

extension ExpressionString {
    /// An expression or literal written in code (located at ``SourceLocation/memory``).
    public init(_ text: String, at location: SourceLocation = .memory) {
        self.init(text: text, location: location)
    }
}

extension LocatedValue {
    /// A value written in code; its node tree is synthesised (every node at `location`).
    public init(_ value: JSONValue, at location: SourceLocation = .memory) {
        self.init(node: YAMLNode.synthesized(value, at: location))
    }
}

extension YAMLNode {
    /// A node tree holding `value`, every node at `location`: for documents built in code, whose
    /// values have no source text. Strings are double-quoted scalars so that they keep their type.
    public static func synthesized(_ value: JSONValue, at location: SourceLocation = .memory) -> YAMLNode {
        let kind: YAMLNode.Kind
        switch value {
        case .null: kind = .scalar(.init(text: "null", style: .plain, value: .null))
        case .bool(let b): kind = .scalar(.init(text: b ? "true" : "false", style: .plain, value: value))
        case .int(let i): kind = .scalar(.init(text: String(i), style: .plain, value: value))
        case .double(let d): kind = .scalar(.init(text: String(d), style: .plain, value: value))
        case .string(let s): kind = .scalar(.init(text: s, style: .doubleQuoted, value: value))
        case .array(let items): kind = .sequence(items.map { synthesized($0, at: location) })
        case .object(let object):
            kind = .mapping(object.map { key, item in
                YAMLNode.Pair(key: key, keyLocation: location, value: synthesized(item, at: location))
            })
        }
        return YAMLNode(kind: kind, location: location)
    }
}

extension ArazzoSpecification {
    /// A document built in code. `arazzo` defaults to 1.0.1 (nil). The node tree (``root``) is
    /// synthesised from the components' input schemas, so that `$ref: '#/components/inputs/…'`
    /// in a workflow's inputs resolves as it would in a file.
    public init(
        arazzo: ArazzoVersion? = nil,
        info: Info, sourceDescriptions: [SourceDescription], workflows: [Workflow], components: Components? = nil,
        selfURI: String? = nil, extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        let arazzo = arazzo ?? ArazzoVersion(text: "1.0.1", major: 1, minor: 0, patch: 1, suffix: nil)
        var rootValue: JSONObject = ["arazzo": .string(arazzo.text)]
        if let components, !components.inputs.isEmpty {
            var inputs: JSONObject = [:]
            for (name, schema) in components.inputs { inputs[name] = schema.value }
            rootValue["components"] = .object(["inputs": .object(inputs)])
        }
        self.init(
            arazzo: arazzo, info: info, sourceDescriptions: sourceDescriptions, workflows: workflows,
            components: components, selfURI: selfURI, extensions: extensions, location: location, locations: [:],
            root: YAMLNode.synthesized(.object(rootValue), at: location))
    }
}

extension Info {
    /// The `info` object: `title` and `version` are required by the spec.
    public init(
        title: String, version: String, summary: String? = nil, description: String? = nil,
        extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(
            title: title, summary: summary, description: description, version: version, extensions: extensions,
            location: location, locations: [:])
    }
}

extension SourceDescription {
    /// A source description: `url` is resolved against the document's base URL when loaded.
    public init(
        name: String, url: String, type: SourceType? = .openapi,
        extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(name: name, url: url, type: type, extensions: extensions, location: location, locations: [:])
    }
}

extension Workflow {
    /// A workflow; `steps` must not be empty for the document to be valid.
    public init(
        workflowId: String, summary: String? = nil, description: String? = nil, inputs: LocatedValue? = nil,
        dependsOn: [ExpressionString] = [], steps: [Step],
        successActions: [OrReusable<SuccessAction>] = [], failureActions: [OrReusable<FailureAction>] = [],
        outputs: OrderedDictionary<String, ExpressionString> = [:], parameters: [OrReusable<Parameter>] = [],
        outputSelectors: OrderedDictionary<String, Selector> = [:], extensions: Extensions = Extensions(),
        location: SourceLocation = .memory
    ) {
        self.init(
            workflowId: workflowId, summary: summary, description: description, inputs: inputs, dependsOn: dependsOn,
            steps: steps, successActions: successActions, failureActions: failureActions, outputs: outputs,
            parameters: parameters, outputSelectors: outputSelectors, extensions: extensions, location: location,
            locations: [:])
    }
}

extension Step {
    /// A step calling `target` (an operation or a workflow).
    public init(
        stepId: String, target: Target, description: String? = nil, parameters: [OrReusable<Parameter>] = [],
        requestBody: RequestBody? = nil, successCriteria: [Criterion] = [],
        onSuccess: [OrReusable<SuccessAction>] = [], onFailure: [OrReusable<FailureAction>] = [],
        outputs: OrderedDictionary<String, ExpressionString> = [:],
        timeout: Int? = nil, dependsOn: [ExpressionString] = [], action: AsyncAction? = nil,
        correlationId: LocatedValue? = nil, outputSelectors: OrderedDictionary<String, Selector> = [:],
        extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(
            stepId: stepId, description: description, target: target, parameters: parameters, requestBody: requestBody,
            successCriteria: successCriteria, onSuccess: onSuccess, onFailure: onFailure, outputs: outputs,
            timeout: timeout, dependsOn: dependsOn, action: action, correlationId: correlationId,
            outputSelectors: outputSelectors, extensions: extensions, location: location, locations: [:])
    }
}

extension Parameter {
    /// A parameter; `in` is required on steps that call operations.
    public init(
        name: String, in location: Location?, value: LocatedValue, selector: Selector? = nil,
        extensions: Extensions = Extensions(), at sourceLocation: SourceLocation = .memory
    ) {
        self.init(
            name: name, in: location, value: value, selector: selector, extensions: extensions,
            location: sourceLocation, locations: [:])
    }
}

extension Criterion {
    /// A criterion: `condition` with an optional `context` and `type` (default: simple).
    public init(
        condition: ExpressionString, context: ExpressionString? = nil, type: TypeValue? = nil,
        extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(
            context: context, condition: condition, type: type, extensions: extensions, location: location, locations: [:])
    }
}

extension CriterionExpressionType {
    /// An expression type object (`type` with the `version` of its syntax).
    public init(
        type: ExpressionKind, version: String, extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(type: type, version: version, extensions: extensions, location: location, locations: [:])
    }
}

extension SuccessAction {
    /// A success action: `end`, or `goto` with a target.
    public init(
        name: String, type: ActionType, target: ActionTarget? = nil, criteria: [Criterion] = [],
        parameters: [OrReusable<Parameter>] = [], extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(
            name: name, type: type, target: target, criteria: criteria, parameters: parameters, extensions: extensions,
            location: location, locations: [:])
    }
}

extension FailureAction {
    /// A failure action: `end`, `goto` with a target, or `retry` (with an optional target).
    public init(
        name: String, type: ActionType, target: ActionTarget? = nil, retryAfter: Double? = nil, retryLimit: Int? = nil,
        criteria: [Criterion] = [], parameters: [OrReusable<Parameter>] = [], extensions: Extensions = Extensions(),
        location: SourceLocation = .memory
    ) {
        self.init(
            name: name, type: type, target: target, retryAfter: retryAfter, retryLimit: retryLimit, criteria: criteria,
            parameters: parameters, extensions: extensions, location: location, locations: [:])
    }
}

extension RequestBody {
    /// A request body: a payload (runtime expressions allowed inside) and replacements.
    public init(
        contentType: String? = nil, payload: LocatedValue? = nil, replacements: [PayloadReplacement] = [],
        extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(
            contentType: contentType, payload: payload, replacements: replacements, extensions: extensions,
            location: location, locations: [:])
    }
}

extension PayloadReplacement {
    /// A replacement: `target` (a JSON Pointer or XPath) and its value.
    public init(
        target: String, value: LocatedValue, targetSelectorType: SelectorType? = nil, selector: Selector? = nil,
        extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(
            target: target, value: value, targetSelectorType: targetSelectorType, selector: selector,
            extensions: extensions, location: location, locations: [:])
    }
}

extension ReusableObject {
    /// A `reference: $components.<kind>.<key>` entry, with an optional `value` (parameters only).
    public init(reference: ExpressionString, value: LocatedValue? = nil, location: SourceLocation = .memory) {
        self.init(reference: reference, value: value, location: location, locations: [:])
    }
}

extension Components {
    /// Reusable objects, each keyed by name.
    public init(
        inputs: OrderedDictionary<String, LocatedValue> = [:], parameters: OrderedDictionary<String, Parameter> = [:],
        successActions: OrderedDictionary<String, SuccessAction> = [:],
        failureActions: OrderedDictionary<String, FailureAction> = [:],
        extensions: Extensions = Extensions(), location: SourceLocation = .memory
    ) {
        self.init(
            inputs: inputs, parameters: parameters, successActions: successActions, failureActions: failureActions,
            extensions: extensions, location: location, locations: [:])
    }
}
