import ArazzoDiagnostics
public import ArazzoJSON
import ArazzoExecutor

public import OrderedCollections

/// The run-time values runtime expressions read. The engine implements this once per evaluation
/// site (a step's request/response, the workflow's outputs, …).
///
/// Every requirement has a default that returns `nil` ("not available here"), so an implementation
/// only provides what exists at its point of the run; an unavailable value makes an expression
/// *unresolved* (never a crash).
///
/// Contract, so evaluation stays cheap:
/// - Bodies are handed over already parsed (JSON as a ``JSONValue``; XML and text as
///   `.string`): parse a response body once when it arrives, not per expression.
/// - Header lookups must match names case-insensitively and return the first value of a
///   repeated header ("single header values only"); ``HeaderLookup`` does that over a list.
/// - Lookups are called at most a few times per expression; return stored values.
///
/// The protocol is not `Sendable` on purpose: evaluation is synchronous, and a context may be a
/// short-lived view over the engine's per-step state.
public protocol ExpressionContext {
    /// The full URL of the request that was sent (`$url`).
    var url: String? { get }
    /// The HTTP method of the request that was sent, upper-case (`$method`).
    var method: String? { get }
    /// The response status code (`$statusCode`).
    var statusCode: Int? { get }
    /// The first value of the request header `name`, matched case-insensitively.
    func requestHeader(named name: String) -> String?
    /// The value sent for the query parameter `name` (before serialization).
    func requestQueryParameter(named name: String) -> JSONValue?
    /// The value sent for the path parameter `name` (before serialization).
    func requestPathParameter(named name: String) -> JSONValue?
    /// The request body sent: parsed JSON, or a string for other media types.
    var requestBody: JSONValue? { get }
    /// The first value of the response header `name`, matched case-insensitively.
    func responseHeader(named name: String) -> String?
    /// The response body: parsed JSON for JSON media types, a string for XML and text.
    var responseBody: JSONValue? { get }
    /// `$response.body#pointer`: the node `pointer` (non-empty) reaches in the response body, or
    /// why it reaches none; nil when there is no body. The default resolves the pointer on
    /// `responseBody`; a context holding the body's `JSONTape` resolves it there instead, so the
    /// whole body is never built for one value (decision TP4). Both must give the same answers.
    func responseBody(at pointer: JSONPointer) -> Result<JSONValue, JSONPointer.Failure>?
    /// The current workflow's inputs (normally an object).
    var inputs: JSONValue? { get }
    /// `$outputs`: the current workflow's outputs, or in a `workflowId` step the called
    /// workflow's outputs (A13).
    var outputs: JSONObject? { get }
    /// The outputs of step `stepId` in the current workflow; `nil` if it has not run.
    func stepOutputs(stepId: String) -> JSONObject?
    /// The inputs of workflow `workflowId` in this run; `nil` if it has not run.
    func workflowInputs(workflowId: String) -> JSONValue?
    /// The outputs of workflow `workflowId` in this run; `nil` if it has not completed.
    func workflowOutputs(workflowId: String) -> JSONObject?
    /// What `$sourceDescriptions.<name>.<reference>` denotes: the operation or workflow (as the
    /// engine chooses to represent it) or the field value (`url`, `type`).
    func sourceDescription(name: String, reference: String) -> JSONValue?
    /// The component `name` of `kind`, as JSON.
    func component(kind: RuntimeExpression.ComponentKind, name: String) -> JSONValue?
    /// `$self` (Arazzo 1.1): the document's own URI, that is its `$self` field resolved against
    /// the URI it was retrieved from (1.1 §"Establishing the Base URI"), or that retrieval URI
    /// when it has no `$self`. The engine fills this in once it knows the document's identity;
    /// `nil` (the default) makes `$self` unresolved.
    var selfURI: String? { get }
    /// The first value of header `name` of the message the current asynchronous step sent or
    /// received (`$message.header.<name>`, Arazzo 1.1), matched case-insensitively.
    func messageHeader(named name: String) -> String?
    /// The payload of the message the current asynchronous step sent or received
    /// (`$message.payload`, Arazzo 1.1): parsed JSON, or a string for other content types.
    var messagePayload: JSONValue? { get }
}

extension ExpressionContext {
    /// Not available by default.
    public var url: String? { nil }
    /// Not available by default.
    public var method: String? { nil }
    /// Not available by default.
    public var statusCode: Int? { nil }
    /// Not available by default.
    public func requestHeader(named name: String) -> String? { nil }
    /// Not available by default.
    public func requestQueryParameter(named name: String) -> JSONValue? { nil }
    /// Not available by default.
    public func requestPathParameter(named name: String) -> JSONValue? { nil }
    /// Not available by default.
    public var requestBody: JSONValue? { nil }
    /// Not available by default.
    public func responseHeader(named name: String) -> String? { nil }
    /// Not available by default.
    public var responseBody: JSONValue? { nil }
    /// Resolves `pointer` on `responseBody`.
    public func responseBody(at pointer: JSONPointer) -> Result<JSONValue, JSONPointer.Failure>? {
        guard let body = responseBody else { return nil }
        return Result { () throws(JSONPointer.Failure) in try pointer.resolve(in: body) }
    }
    /// Not available by default.
    public var inputs: JSONValue? { nil }
    /// Not available by default.
    public var outputs: JSONObject? { nil }
    /// Not available by default.
    public func stepOutputs(stepId: String) -> JSONObject? { nil }
    /// Not available by default.
    public func workflowInputs(workflowId: String) -> JSONValue? { nil }
    /// Not available by default.
    public func workflowOutputs(workflowId: String) -> JSONObject? { nil }
    /// Not available by default.
    public func sourceDescription(name: String, reference: String) -> JSONValue? { nil }
    /// Not available by default.
    public func component(kind: RuntimeExpression.ComponentKind, name: String) -> JSONValue? { nil }
    /// Not available by default.
    public var selfURI: String? { nil }
    /// Not available by default.
    public func messageHeader(named name: String) -> String? { nil }
    /// Not available by default.
    public var messagePayload: JSONValue? { nil }
}

/// Case-insensitive header lookup over a list of name/value pairs (first value wins).
public enum HeaderLookup {
    /// The first value whose name matches `name` as header names do (``HeaderFields/namesMatch(_:_:)``:
    /// ASCII case-insensitive, RFC 9110 §5.1).
    public static func first(named name: String, in fields: [(name: String, value: String)]) -> String? {
        fields.first { HeaderFields.namesMatch($0.name, name) }?.value
    }
}

/// A plain-value ``ExpressionContext``: everything stored up front. Handy for tests, for the
/// engine's simple cases and for benchmarks.
public struct ExpressionValues: ExpressionContext, Sendable {
    /// `$url`.
    public var url: String?
    /// `$method`.
    public var method: String?
    /// `$statusCode`.
    public var statusCode: Int?
    /// Request headers in the order sent (repeats allowed).
    public var requestHeaders: [(name: String, value: String)]
    /// Query parameter values by name.
    public var requestQuery: [String: JSONValue]
    /// Path parameter values by name.
    public var requestPath: [String: JSONValue]
    /// `$request.body`.
    public var requestBody: JSONValue?
    /// Response headers in the order received (repeats allowed).
    public var responseHeaders: [(name: String, value: String)]
    /// `$response.body`.
    public var responseBody: JSONValue?
    /// `$inputs`.
    public var inputs: JSONValue?
    /// `$outputs`.
    public var outputs: JSONObject?
    /// Step outputs by step id (only steps that ran).
    public var steps: [String: JSONObject]
    /// Workflow inputs by workflow id.
    public var workflowInputsById: [String: JSONValue]
    /// Workflow outputs by workflow id.
    public var workflowOutputsById: [String: JSONObject]
    /// Source description values by name, then reference (`url`, operationIds, …).
    public var sourceDescriptions: [String: [String: JSONValue]]
    /// Components by kind, then name.
    public var components: [RuntimeExpression.ComponentKind: [String: JSONValue]]
    /// `$self` (Arazzo 1.1).
    public var selfURI: String?
    /// The current message's headers in order (repeats allowed), for `$message.header` (1.1).
    public var messageHeaders: [(name: String, value: String)]
    /// `$message.payload` (Arazzo 1.1).
    public var messagePayload: JSONValue?

    /// Creates a context; every field defaults to "not available".
    public init(
        url: String? = nil, method: String? = nil, statusCode: Int? = nil,
        requestHeaders: [(name: String, value: String)] = [], requestQuery: [String: JSONValue] = [:],
        requestPath: [String: JSONValue] = [:], requestBody: JSONValue? = nil,
        responseHeaders: [(name: String, value: String)] = [], responseBody: JSONValue? = nil,
        inputs: JSONValue? = nil, outputs: JSONObject? = nil, steps: [String: JSONObject] = [:],
        workflowInputs: [String: JSONValue] = [:], workflowOutputs: [String: JSONObject] = [:],
        sourceDescriptions: [String: [String: JSONValue]] = [:],
        components: [RuntimeExpression.ComponentKind: [String: JSONValue]] = [:],
        selfURI: String? = nil, messageHeaders: [(name: String, value: String)] = [], messagePayload: JSONValue? = nil
    ) {
        self.selfURI = selfURI
        self.messageHeaders = messageHeaders
        self.messagePayload = messagePayload
        self.url = url
        self.method = method
        self.statusCode = statusCode
        self.requestHeaders = requestHeaders
        self.requestQuery = requestQuery
        self.requestPath = requestPath
        self.requestBody = requestBody
        self.responseHeaders = responseHeaders
        self.responseBody = responseBody
        self.inputs = inputs
        self.outputs = outputs
        self.steps = steps
        self.workflowInputsById = workflowInputs
        self.workflowOutputsById = workflowOutputs
        self.sourceDescriptions = sourceDescriptions
        self.components = components
    }

    /// Case-insensitive, first value.
    public func requestHeader(named name: String) -> String? { HeaderLookup.first(named: name, in: requestHeaders) }
    /// The stored value.
    public func requestQueryParameter(named name: String) -> JSONValue? { requestQuery[name] }
    /// The stored value.
    public func requestPathParameter(named name: String) -> JSONValue? { requestPath[name] }
    /// Case-insensitive, first value.
    public func responseHeader(named name: String) -> String? { HeaderLookup.first(named: name, in: responseHeaders) }
    /// The stored outputs.
    public func stepOutputs(stepId: String) -> JSONObject? { steps[stepId] }
    /// The stored inputs.
    public func workflowInputs(workflowId: String) -> JSONValue? { workflowInputsById[workflowId] }
    /// The stored outputs.
    public func workflowOutputs(workflowId: String) -> JSONObject? { workflowOutputsById[workflowId] }
    /// The stored value.
    public func sourceDescription(name: String, reference: String) -> JSONValue? { sourceDescriptions[name]?[reference] }
    /// The stored value.
    public func component(kind: RuntimeExpression.ComponentKind, name: String) -> JSONValue? { components[kind]?[name] }
    /// Case-insensitive, first value.
    public func messageHeader(named name: String) -> String? { HeaderLookup.first(named: name, in: messageHeaders) }
}

/// Why an expression produced no value: the step has not run, the input was not supplied, the
/// pointer names a missing member, … Evaluation reports this instead of failing hard.
public struct UnresolvedExpression: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The expression text.
    public var expression: String
    /// One line saying why (e.g. "no input `petId` was supplied").
    public var reason: String

    /// Creates an unresolved result.
    public init(expression: String, reason: String) {
        self.expression = expression
        self.reason = reason
    }

    /// "`expr` is unresolved: reason".
    public var description: String { "`\(expression)` is unresolved: \(reason)" }
}

/// One step of `simple`-condition navigation after a runtime expression: `.member` or `[index]`.
public enum Navigation: Sendable, Hashable, CustomStringConvertible {
    /// `.member` on an object.
    case member(String)
    /// `[index]` on an array (0-based).
    case index(Int)

    /// `.member` or `[index]`.
    public var description: String {
        switch self {
        case .member(let m): return ".\(m)"
        case .index(let i): return "[\(i)]"
        }
    }
}

extension RuntimeExpression {
    /// Evaluates the expression; the JSON type of the referenced value is preserved.
    ///
    /// A dotted name reads the exact name first (`$inputs.a.b` reads the input `a.b` when there
    /// is one); otherwise the longest existing name with the rest as `.member`/`[n]` navigation,
    /// the evident meaning of `$steps.s.outputs.user.id` (canonically `…outputs.user#/id`).
    public func evaluate(in context: any ExpressionContext) -> Result<JSONValue, UnresolvedExpression> {
        evaluate(in: context, dottedNavigation: true)
    }

    /// Evaluates the expression, then applies `navigation` (the `simple`-condition operand form).
    /// Dotted names match the longest existing name first, and the rest becomes `.member`
    /// navigation (A2).
    public func evaluate(in context: any ExpressionContext, navigation: [Navigation]) -> Result<JSONValue, UnresolvedExpression> {
        switch evaluate(in: context, dottedNavigation: true) {
        case .failure(let failure): return .failure(failure)
        case .success(var value):
            for step in navigation {
                switch Self.navigate(value, step) {
                case .some(let next): value = next
                case .none:
                    return .failure(unresolved("\(Self.navigationFailure(value, step)) (after `\(text)`)"))
                }
            }
            return .success(value)
        }
    }

    func unresolved(_ reason: String) -> UnresolvedExpression {
        UnresolvedExpression(expression: text, reason: reason)
    }

    static func navigate(_ value: JSONValue, _ step: Navigation) -> JSONValue? {
        switch (step, value) {
        case let (.member(m), .object(o)): return o[m]
        case let (.index(i), .array(a)):
            guard i >= 0, i < a.count else { return Optional<JSONValue>.none }
            return a[i]
        default: return nil
        }
    }

    static func navigationFailure(_ value: JSONValue, _ step: Navigation) -> String {
        switch (step, value) {
        case let (.member(m), .object): return "no member `\(m)`"
        case let (.index(i), .array(a)): return "index \(i) is out of range (the array has \(a.count) element\(a.count == 1 ? "" : "s"))"
        case (.member(let m), _): return "cannot take `.\(m)` of a \(value.typeName)"
        case (.index(let i), _): return "cannot take `[\(i)]` of a \(value.typeName)"
        }
    }

    func evaluate(in context: any ExpressionContext, dottedNavigation: Bool) -> Result<JSONValue, UnresolvedExpression> {
        let base: JSONValue
        switch source {
        case .url:
            guard let url = context.url else { return .failure(unresolved("no request was sent here")) }
            base = .string(url)
        case .method:
            guard let method = context.method else { return .failure(unresolved("no request was sent here")) }
            base = .string(method)
        case .statusCode:
            guard let code = context.statusCode else { return .failure(unresolved("no response was received here")) }
            base = .int(code)
        case .requestHeader(let name):
            guard let value = context.requestHeader(named: name) else {
                return .failure(unresolved("the request has no header `\(name)`"))
            }
            base = .string(value)
        case .requestQuery(let name):
            guard let value = context.requestQueryParameter(named: name) else {
                return .failure(unresolved("the request has no query parameter `\(name)`"))
            }
            base = value
        case .requestPath(let name):
            guard let value = context.requestPathParameter(named: name) else {
                return .failure(unresolved("the request has no path parameter `\(name)`"))
            }
            base = value
        case .requestBody:
            guard let body = context.requestBody else { return .failure(unresolved("the request has no body")) }
            base = body
        case .responseHeader(let name):
            guard let value = context.responseHeader(named: name) else {
                if context.statusCode == nil && context.responseBody == nil {
                    return .failure(unresolved("no response was received here"))
                }
                return .failure(unresolved("the response has no header `\(name)`"))
            }
            base = .string(value)
        case .responseBody:
            if let pointer, !pointer.tokens.isEmpty {
                switch context.responseBody(at: pointer) {
                case .none:
                    return .failure(unresolved(context.statusCode == nil ? "no response was received here" : "the response has no body"))
                case .success(let value)?:
                    return .success(value)
                case .failure(let error)?:
                    return .failure(unresolved("JSON pointer `#\(pointer)`: \(error.message)"))
                }
            }
            guard let body = context.responseBody else {
                return .failure(unresolved(context.statusCode == nil ? "no response was received here" : "the response has no body"))
            }
            base = body
        case .inputs(let name):
            guard let inputs = context.inputs else { return .failure(unresolved("no workflow inputs are available here")) }
            switch Self.lookup(name, in: inputs.objectValue ?? [:], dotted: dottedNavigation) {
            case .some(let value): base = value
            case .none: return .failure(unresolved(Self.missing(name, in: inputs.objectValue ?? [:], what: "input", verb: "was supplied", pointerHint: "$inputs")))
            }
        case .outputs(let name):
            guard let outputs = context.outputs else { return .failure(unresolved("no workflow outputs are available here")) }
            switch Self.lookup(name, in: outputs, dotted: dottedNavigation) {
            case .some(let value): base = value
            case .none: return .failure(unresolved(Self.missing(name, in: outputs, what: "output", verb: "exists", pointerHint: "$outputs")))
            }
        case .stepOutput(let stepId, let name):
            guard let outputs = context.stepOutputs(stepId: stepId) else {
                return .failure(unresolved("step `\(stepId)` has not run"))
            }
            switch Self.lookup(name, in: outputs, dotted: dottedNavigation) {
            case .some(let value): base = value
            case .none: return .failure(unresolved(Self.missing(name, in: outputs, what: "output", verb: "was produced by step `\(stepId)`", pointerHint: "$steps.\(stepId).outputs")))
            }
        case .workflowInput(let workflowId, let name):
            guard let inputs = context.workflowInputs(workflowId: workflowId) else {
                return .failure(unresolved("workflow `\(workflowId)` has not run"))
            }
            switch Self.lookup(name, in: inputs.objectValue ?? [:], dotted: dottedNavigation) {
            case .some(let value): base = value
            case .none: return .failure(unresolved(Self.missing(name, in: inputs.objectValue ?? [:], what: "input", verb: "was given to workflow `\(workflowId)`", pointerHint: "$workflows.\(workflowId).inputs")))
            }
        case .workflowOutput(let workflowId, let name):
            guard let outputs = context.workflowOutputs(workflowId: workflowId) else {
                // The usual cause is a missing `dependsOn`: say so, since that is the fix.
                return .failure(unresolved("workflow `\(workflowId)` has not completed in this run; list it in `dependsOn` so it runs first"))
            }
            switch Self.lookup(name, in: outputs, dotted: dottedNavigation) {
            case .some(let value): base = value
            case .none: return .failure(unresolved(Self.missing(name, in: outputs, what: "output", verb: "was produced by workflow `\(workflowId)`", pointerHint: "$workflows.\(workflowId).outputs")))
            }
        case .sourceDescription(let name, let reference):
            guard let value = context.sourceDescription(name: name, reference: reference) else {
                return .failure(unresolved("source description `\(name)` has no operation, workflow or field `\(reference)`"))
            }
            base = value
        case .component(let kind, let name):
            guard let value = context.component(kind: kind, name: name) else {
                return .failure(unresolved("there is no component `\(kind.rawValue).\(name)`"))
            }
            base = value
        case .selfURI:
            guard let uri = context.selfURI else {
                return .failure(unresolved("the document's own URI is not known here"))
            }
            base = .string(uri)
        case .messageHeader(let name):
            guard let value = context.messageHeader(named: name) else {
                return .failure(unresolved(context.messagePayload == nil
                    ? "no message was sent or received here"
                    : "the message has no header `\(name)`"))
            }
            base = .string(value)
        case .messagePayload:
            guard let payload = context.messagePayload else {
                return .failure(unresolved("no message was sent or received here"))
            }
            base = payload
        }
        guard let pointer, !pointer.tokens.isEmpty else { return .success(base) }
        do {
            return .success(try pointer.resolve(in: base))
        } catch {
            return .failure(unresolved("JSON pointer `#\(pointer)`: \(error.message)"))
        }
    }

    /// Exact name first, then the longest prefix that exists with the rest walked as `.member`
    /// and `[n]` navigation (A2; outside conditions the static check reports the navigation as
    /// `dotted-navigation` with the canonical `#/pointer` form).
    static func lookup(_ name: String, in object: JSONObject, dotted: Bool) -> JSONValue? {
        if let value = object[name] { return value }
        guard dotted else { return nil }
        for split in DottedName.splits(of: name) {
            guard var value = object[split.head] else { continue }
            for step in split.navigation {
                guard let next = navigate(value, step) else { return nil }
                value = next
            }
            return value
        }
        return nil
    }

    static func missing(_ name: String, in object: JSONObject, what: String, verb: String, pointerHint: String) -> String {
        var reason = "no \(what) `\(name)` \(verb)"
        for split in DottedName.splits(of: name) where object[split.head] != nil {
            return reason + "; `\(pointerHint).\(split.head)` has no \(split.pointer.tokens.map { "`\($0)`" }.joined(separator: "/")) (written `\(pointerHint).\(split.head)#\(split.pointer)`)"
        }
        if let suggestion = suggest(name, among: object.keys) {
            reason += "; did you mean `\(suggestion)`?"
        }
        return reason
    }
}

/// The ways a dotted name (`user.address.city`, `items[0].id`) splits into a name and `.member`
/// / `[n]` navigation, longest name first (A2).
enum DottedName {
    /// One split: the name, the navigation after it, and that navigation as a JSON pointer.
    struct Split: Sendable, Hashable {
        var head: String
        var navigation: [Navigation]
        var pointer: JSONPointer {
            JSONPointer(tokens: navigation.map {
                switch $0 {
                case .member(let m): return m
                case .index(let i): return String(i)
                }
            })
        }
    }

    /// Every split of `name` at a `.` or `[` whose rest is well-formed navigation, longest head
    /// first; empty for a name without `.` or `[`.
    static func splits(of name: String) -> [Split] {
        let s = Array(name.unicodeScalars)
        guard s.contains(where: { $0 == "." || $0 == "[" }) else { return [] }
        var result: [Split] = []
        var cut = s.count - 1
        while cut >= 1 {
            if s[cut] == "." || s[cut] == "[", let navigation = parseNavigation(s, from: cut) {
                result.append(Split(head: makeString(s, 0, cut), navigation: navigation))
            }
            cut -= 1
        }
        return result
    }

    /// `.member` / `[digits]` steps from `from` to the end, or nil if the rest is not that.
    static func parseNavigation(_ s: [Unicode.Scalar], from: Int) -> [Navigation]? {
        var steps: [Navigation] = []
        var i = from
        while i < s.count {
            if s[i] == "." {
                i += 1
                let memberStart = i
                while i < s.count, s[i] != ".", s[i] != "[" { i += 1 }
                guard memberStart < i else { return nil }
                steps.append(.member(makeString(s, memberStart, i)))
            } else if s[i] == "[" {
                i += 1
                let digitsStart = i
                while i < s.count, s[i].isASCIIDigit { i += 1 }
                guard digitsStart < i, i < s.count, s[i] == "]", let index = Int(makeString(s, digitsStart, i)) else { return nil }
                steps.append(.index(index))
                i += 1
            } else {
                return nil
            }
        }
        return steps
    }
}

/// Escapes one JSON pointer reference token (`~` → `~0`, `/` → `~1`).
func escapePointerToken(_ token: some StringProtocol) -> String {
    var out = ""
    for c in token.unicodeScalars {
        switch c {
        case "~": out += "~0"
        case "/": out += "~1"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}
