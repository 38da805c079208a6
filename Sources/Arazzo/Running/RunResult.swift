import Foundation
public import OrderedCollections
public import ArazzoJSON
public import ArazzoDiagnostics
public import ArazzoExecutor

/// The outcome of running one workflow: how it ended, its outputs, and a trace of every step.
/// Secrets are already redacted everywhere in it.
public struct RunResult: Sendable, Codable {
    /// The workflow that ran.
    public var workflowId: String
    /// Succeeded, or failed with the failing step and reason.
    public var outcome: Outcome
    /// The workflow's `outputs` that resolved.
    public var outputs: JSONObject
    /// Every step attempt, in execution order (a retry is a new entry with a higher `attempt`).
    public var steps: [StepTrace]
    /// Runs of other workflows this one caused: dependencies, workflow steps, `goto` workflows.
    public var workflows: [RunResult]
    /// How long the whole workflow took on the run's clock (``RunOptions/clock``; wall time by default).
    public var duration: Duration
    /// Things the user should know that did not fail the run (e.g. an output whose step never ran).
    public var warnings: [String]

    /// Whether the workflow succeeded.
    public var succeeded: Bool {
        if case .succeeded = outcome { return true }
        return false
    }

    /// Creates a result.
    public init(
        workflowId: String, outcome: Outcome, outputs: JSONObject = [:], steps: [StepTrace] = [],
        workflows: [RunResult] = [], duration: Duration = .zero, warnings: [String] = []
    ) {
        self.workflowId = workflowId
        self.outcome = outcome
        self.outputs = outputs
        self.steps = steps
        self.workflows = workflows
        self.duration = duration
        self.warnings = warnings
    }

    private enum CodingKeys: String, CodingKey {
        case workflowId, outcome, outputs, steps, workflows, duration, warnings
    }

    /// Decodes a result (durations are seconds as numbers).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workflowId = try c.decode(String.self, forKey: .workflowId)
        outcome = try c.decode(Outcome.self, forKey: .outcome)
        outputs = try c.decode(JSONValue.self, forKey: .outputs).objectValue ?? [:]
        steps = try c.decode([StepTrace].self, forKey: .steps)
        workflows = try c.decode([RunResult].self, forKey: .workflows)
        duration = .seconds(try c.decode(Double.self, forKey: .duration))
        warnings = try c.decode([String].self, forKey: .warnings)
    }

    /// Encodes the result; durations are written as seconds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workflowId, forKey: .workflowId)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(JSONValue.object(outputs), forKey: .outputs)
        try c.encode(steps, forKey: .steps)
        try c.encode(workflows, forKey: .workflows)
        try c.encode(duration.seconds, forKey: .duration)
        try c.encode(warnings, forKey: .warnings)
    }
}

/// How a workflow ended.
public enum Outcome: Sendable, Hashable, Codable {
    /// Every step it ran ended in success (or an `end` success action).
    case succeeded
    /// It failed; the reason names the step.
    case failed(FailureReason)

    private enum CodingKeys: String, CodingKey { case status, reason }

    /// Decodes `{"status": "succeeded"}` or `{"status": "failed", "reason": {...}}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if try c.decode(String.self, forKey: .status) == "succeeded" {
            self = .succeeded
        } else {
            self = .failed(try c.decode(FailureReason.self, forKey: .reason))
        }
    }

    /// Encodes `{"status": "succeeded"}` or `{"status": "failed", "reason": {...}}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .succeeded:
            try c.encode("succeeded", forKey: .status)
        case .failed(let reason):
            try c.encode("failed", forKey: .status)
            try c.encode(reason, forKey: .reason)
        }
    }
}

/// Why a workflow failed.
public struct FailureReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The step at fault, when one is.
    public var stepId: String?
    /// One line for people.
    public var message: String
    /// A stable kind for tools (its raw value is what reports write).
    public var kind: Kind
    /// The run guard that stopped the workflow (kinds `max-steps` and `max-depth`), so a caller
    /// can word its own remedy (the CLI names its flag); nil for every other failure.
    public var limit: LimitReached?

    /// Why a workflow failed, as a stable kind for tools. The raw value is the string the JSON
    /// and JUnit reports write (`criteria`, `end-action`, …), so reports read the same as when
    /// the kind was a plain string.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// Success criteria not met.
        case criteria
        /// No (usable) response: a transport error or a body over the size limit.
        case transport
        /// The request (or message) could not be built.
        case request
        /// An `end` failure action was chosen.
        case endAction = "end-action"
        /// A retry action spent its `retryLimit`.
        case retriesExhausted = "retries-exhausted"
        /// The step's operation, channel or workflow could not be resolved.
        case operation
        /// A called workflow failed.
        case workflow
        /// A workflow or step `dependsOn` was not met.
        case dependency
        /// Inputs violate the workflow's inputs schema.
        case inputs
        /// An action that cannot be taken (no target, unresolvable parameters).
        case action
        /// A workflow step's `timeout`, or an AsyncAPI receive's wait, passed.
        case timeout
        /// A contract finding at level `error` (docs/contracts.md).
        case contract
        /// ``RunLimits/maxSteps`` reached.
        case maxSteps = "max-steps"
        /// ``RunLimits/maxDepth`` exceeded.
        case maxDepth = "max-depth"
        /// ``RunLimits/runDeadline`` passed.
        case deadline
        /// The run's task was cancelled.
        case cancelled

        /// The raw value, as reports write it.
        public var description: String { rawValue }
    }

    /// Creates a reason.
    public init(stepId: String?, message: String, kind: Kind) {
        self.stepId = stepId
        self.message = message
        self.kind = kind
    }

    /// The reason a run guard gives: its ``LimitReached/description`` as the message.
    public init(stepId: String?, limit: LimitReached) {
        self.stepId = stepId
        self.message = limit.description
        self.kind = limit.limit.kind
        self.limit = limit
    }

    /// `step X: message` or the message alone.
    public var description: String {
        stepId.map { "step \($0): \(message)" } ?? message
    }
}

/// A run guard of ``RunLimits`` that stopped a workflow: which one, and the value it had.
public struct LimitReached: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A guard that can stop a run.
    public enum Limit: String, Sendable, Hashable, Codable, CaseIterable {
        /// ``RunLimits/maxSteps``: the most step executions in one run (the `goto` loop guard).
        case maxSteps
        /// ``RunLimits/maxDepth``: the deepest nesting of workflows.
        case maxDepth

        /// The ``FailureReason/kind`` it produces: `max-steps` or `max-depth`.
        public var kind: FailureReason.Kind {
            switch self {
            case .maxSteps: return .maxSteps
            case .maxDepth: return .maxDepth
            }
        }

        /// The ``RunLimits`` property that sets it, e.g. `RunLimits.maxSteps`.
        public var property: String { "RunLimits.\(rawValue)" }

        /// The library's remedy, as its messages end: `raise RunLimits.maxSteps if this is
        /// intended`. A caller with its own way to raise the limit replaces it.
        public var remedy: String { "raise \(property) if this is intended" }
    }

    /// Which guard.
    public var limit: Limit
    /// Its value in the run.
    public var value: Int

    /// A guard at `value`.
    public init(_ limit: Limit, value: Int) {
        self.limit = limit
        self.value = value
    }

    /// What happened, without a remedy: `the run reached its limit of 4 steps (a goto loop?)`.
    public var situation: String {
        switch limit {
        case .maxSteps: return "the run reached its limit of \(value) steps (a goto loop?)"
        case .maxDepth: return "workflows are nested more than \(value) deep"
        }
    }

    /// The situation and the library's remedy.
    public var description: String { "\(situation); \(limit.remedy)" }
}

/// One attempt of one step.
///
/// A value type whose fields sit behind one copy-on-write reference (decision RB1): the run
/// moves each attempt's trace twice and keeps it in the result, and a move or copy of the
/// reference is one retain where the fields' outlined copy was several hundred instructions.
public struct StepTrace: Sendable, Codable {
    /// The step.
    public var stepId: String {
        get { storage.stepId }
        _modify { makeUnique(); yield &storage.stepId }
    }
    /// The `operationId`, `operationPath` or `workflowId` as written.
    public var operation: String {
        get { storage.operation }
        _modify { makeUnique(); yield &storage.operation }
    }
    /// 1 for the first attempt, 2 for the first retry, ...
    public var attempt: Int {
        get { storage.attempt }
        _modify { makeUnique(); yield &storage.attempt }
    }
    /// The request sent (secrets redacted); nil for workflow steps or when it could not be built.
    public var request: HTTPRequest? {
        get {
            guard let owed = storage.owed, owed.request, let storedRequest = storage.storedRequest else {
                return storage.storedRequest
            }
            return owed.redactor.redact(storedRequest)
        }
        set {
            makeUnique()
            storage.storedRequest = newValue
            storage.owed?.request = false
        }
    }
    /// Whether a request was sent (``request`` is not nil), without redacting a copy of it:
    /// what a caller that only counts requests reads (a load summary counts every run's).
    public var sentRequest: Bool { storage.storedRequest != nil }
    /// The response received (secrets redacted).
    public var response: HTTPResponse? {
        get {
            guard let owed = storage.owed, owed.response, let storedResponse = storage.storedResponse else {
                return storage.storedResponse
            }
            return owed.redactor.redact(storedResponse)
        }
        set {
            makeUnique()
            storage.storedResponse = newValue
            storage.owed?.response = false
        }
    }
    /// Why no response arrived, when none did.
    public var transportError: TransportError? {
        get { storage.transportError }
        _modify { makeUnique(); yield &storage.transportError }
    }
    /// What an AsyncAPI step (Arazzo 1.1) sent or received, or why it could not (secrets
    /// redacted); nil for HTTP and workflow steps.
    public var message: MessageTrace? {
        get { storage.message }
        _modify { makeUnique(); yield &storage.message }
    }
    /// Each success criterion's verdict, in order.
    public var criteria: [CriterionVerdict] {
        get {
            guard let owed = storage.owed, owed.criteria else { return storage.criteria }
            return Self.explanationsRedacted(storage.criteria, by: owed.redactor)
        }
        _modify {
            makeUnique()
            if let owed = storage.owed, owed.criteria {
                storage.criteria = Self.explanationsRedacted(storage.criteria, by: owed.redactor)
                storage.owed?.criteria = false
            }
            yield &storage.criteria
        }
    }

    /// `verdicts` whose explanations read redacted by `redactor` (still written only when read).
    private static func explanationsRedacted(_ verdicts: [CriterionVerdict], by redactor: Redactor) -> [CriterionVerdict] {
        let redact: @Sendable (String) -> String = { redactor.redact($0) }
        return verdicts.map { verdict in
            var redacted = verdict
            redacted.transformExplanation(redact)
            return redacted
        }
    }
    /// The step's outputs (those that resolved).
    public var outputs: JSONObject {
        get {
            guard let owed = storage.owed, owed.outputs else { return storage.storedOutputs }
            return owed.redactor.redact(storage.storedOutputs)
        }
        set {
            makeUnique()
            storage.storedOutputs = newValue
            storage.owed?.outputs = false
        }
    }
    /// What happened next (written in reports as `next`, `end`, `goto step X`, `goto workflow X`,
    /// `retry after 2s`, `fail`, or empty for a step a retry action ran on the side).
    public var action: StepAction {
        get { storage.action }
        _modify { makeUnique(); yield &storage.action }
    }
    /// The name of the success/failure action chosen, if one was.
    public var actionName: String? {
        get { storage.actionName }
        _modify { makeUnique(); yield &storage.actionName }
    }
    /// Things worth knowing, e.g. "payload member /session_duration_minutes omitted: input not supplied".
    public var notes: [String] {
        get { storage.notes }
        _modify { makeUnique(); yield &storage.notes }
    }
    /// Whether the step succeeded.
    public var succeeded: Bool {
        get { storage.succeeded }
        _modify { makeUnique(); yield &storage.succeeded }
    }
    /// How long the attempt took on the run's clock (``RunOptions/clock``; wall time by default).
    public var duration: Duration {
        get { storage.duration }
        _modify { makeUnique(); yield &storage.duration }
    }
    /// How the request and response depart from the operation's OpenAPI description (contract
    /// checks, docs/contracts.md), in the order found: request findings first. Empty when they
    /// conform, when checks are off, and for workflow and AsyncAPI steps.
    public var contract: [ContractFinding] {
        get { storage.contract }
        _modify { makeUnique(); yield &storage.contract }
    }

    private var storage: Storage

    /// The fields. Mutated only through a uniquely referenced instance (``makeUnique()``), so a
    /// trace keeps value semantics; `@unchecked Sendable` rests on that. Every access goes
    /// through the struct, whose own accesses are checked statically, so the fields need no
    /// dynamic exclusivity check.
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var stepId: String
        @exclusivity(unchecked) var operation: String
        @exclusivity(unchecked) var attempt: Int
        @exclusivity(unchecked) var storedRequest: HTTPRequest?
        @exclusivity(unchecked) var storedResponse: HTTPResponse?
        @exclusivity(unchecked) var transportError: TransportError?
        @exclusivity(unchecked) var message: MessageTrace?
        @exclusivity(unchecked) var criteria: [CriterionVerdict]
        @exclusivity(unchecked) var storedOutputs: JSONObject
        @exclusivity(unchecked) var action: StepAction
        @exclusivity(unchecked) var actionName: String?
        @exclusivity(unchecked) var notes: [String]
        @exclusivity(unchecked) var succeeded: Bool
        @exclusivity(unchecked) var duration: Duration
        @exclusivity(unchecked) var contract: [ContractFinding] = []
        /// The redaction the request, response and outputs still owe (decision PB1): the run
        /// records a trace with its redactor, and the values are redacted each time they are
        /// read — every read goes through the getters above. A value set after recording owes none.
        @exclusivity(unchecked) var owed: OwedRedaction?

        init(
            stepId: String, operation: String, attempt: Int, storedRequest: HTTPRequest?, storedResponse: HTTPResponse?,
            transportError: TransportError?, message: MessageTrace?, criteria: [CriterionVerdict],
            storedOutputs: JSONObject, action: StepAction, actionName: String?, notes: [String], succeeded: Bool,
            duration: Duration, contract: [ContractFinding], owed: OwedRedaction?
        ) {
            self.stepId = stepId
            self.operation = operation
            self.attempt = attempt
            self.storedRequest = storedRequest
            self.storedResponse = storedResponse
            self.transportError = transportError
            self.message = message
            self.criteria = criteria
            self.storedOutputs = storedOutputs
            self.action = action
            self.actionName = actionName
            self.notes = notes
            self.succeeded = succeeded
            self.duration = duration
            self.contract = contract
            self.owed = owed
        }

        func copy() -> Storage {
            Storage(
                stepId: stepId, operation: operation, attempt: attempt, storedRequest: storedRequest,
                storedResponse: storedResponse, transportError: transportError, message: message, criteria: criteria,
                storedOutputs: storedOutputs, action: action, actionName: actionName, notes: notes,
                succeeded: succeeded, duration: duration, contract: contract, owed: owed)
        }
    }

    /// Gives this trace its own storage before a write when another copy shares it.
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    private struct OwedRedaction: Sendable {
        let redactor: Redactor
        var request: Bool
        var response: Bool
        var outputs: Bool
        var criteria: Bool
    }

    /// Makes the request, response, outputs and criteria explanations read redacted by
    /// `redactor` from now on; the same values as assigning their redacted forms now (decision
    /// PB1), without the scan of two bodies and the outputs, or a redaction closure per
    /// verdict, for the traces nobody reads.
    mutating func redactOnRead(with redactor: Redactor) {
        makeUnique()
        storage.owed = OwedRedaction(
            redactor: redactor, request: storage.storedRequest != nil, response: storage.storedResponse != nil,
            outputs: !storage.storedOutputs.isEmpty, criteria: !storage.criteria.isEmpty)
    }

    /// Creates a trace.
    public init(
        stepId: String, operation: String, attempt: Int, request: HTTPRequest? = nil, response: HTTPResponse? = nil,
        transportError: TransportError? = nil, criteria: [CriterionVerdict] = [], outputs: JSONObject = [:],
        action: StepAction = .sideStep, actionName: String? = nil, notes: [String] = [], succeeded: Bool = false,
        duration: Duration = .zero
    ) {
        storage = Storage(
            stepId: stepId, operation: operation, attempt: attempt, storedRequest: request, storedResponse: response,
            transportError: transportError, message: nil, criteria: criteria, storedOutputs: outputs, action: action,
            actionName: actionName, notes: notes, succeeded: succeeded, duration: duration, contract: [], owed: nil)
    }

    private enum CodingKeys: String, CodingKey {
        case stepId, operation, attempt, request, response, transportError, message, criteria, outputs, action, actionName,
             notes, succeeded, duration, contract
    }

    /// Decodes a trace (durations are seconds as numbers).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        storage = Storage(
            stepId: try c.decode(String.self, forKey: .stepId),
            operation: try c.decode(String.self, forKey: .operation),
            attempt: try c.decode(Int.self, forKey: .attempt),
            storedRequest: try c.decodeIfPresent(HTTPRequest.self, forKey: .request),
            storedResponse: try c.decodeIfPresent(HTTPResponse.self, forKey: .response),
            transportError: try c.decodeIfPresent(TransportError.self, forKey: .transportError),
            message: try c.decodeIfPresent(MessageTrace.self, forKey: .message),
            criteria: try c.decode([CriterionVerdict].self, forKey: .criteria),
            storedOutputs: try c.decode(JSONValue.self, forKey: .outputs).objectValue ?? [:],
            action: try c.decode(StepAction.self, forKey: .action),
            actionName: try c.decodeIfPresent(String.self, forKey: .actionName),
            notes: try c.decode([String].self, forKey: .notes),
            succeeded: try c.decode(Bool.self, forKey: .succeeded),
            duration: .seconds(try c.decode(Double.self, forKey: .duration)),
            contract: try c.decodeIfPresent([ContractFinding].self, forKey: .contract) ?? [],
            owed: nil)
    }

    /// Encodes the trace; durations are written as seconds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stepId, forKey: .stepId)
        try c.encode(operation, forKey: .operation)
        try c.encode(attempt, forKey: .attempt)
        try c.encodeIfPresent(request, forKey: .request)
        try c.encodeIfPresent(response, forKey: .response)
        try c.encodeIfPresent(transportError, forKey: .transportError)
        try c.encodeIfPresent(message, forKey: .message)
        try c.encode(criteria, forKey: .criteria)
        try c.encode(JSONValue.object(outputs), forKey: .outputs)
        try c.encode(action, forKey: .action)
        try c.encodeIfPresent(actionName, forKey: .actionName)
        try c.encode(notes, forKey: .notes)
        try c.encode(succeeded, forKey: .succeeded)
        try c.encode(duration.seconds, forKey: .duration)
        if !contract.isEmpty { try c.encode(contract, forKey: .contract) }
    }
}

/// What a step attempt led to: the action the run took after it. Reports write it as one string
/// (``description``); decoding reads that string back.
public enum StepAction: Sendable, Hashable, Codable, CustomStringConvertible {
    /// No action of its own: a step a retry action ran on the side (control returned to the
    /// retrying step). Written as the empty string.
    case sideStep
    /// On to the following step (`next`).
    case next
    /// The workflow ended here (`end`): by a success action, or by an `end` failure action
    /// (then the workflow failed).
    case end
    /// A `goto` to the step with this id (`goto step X`).
    case gotoStep(String)
    /// A `goto` to the workflow with this id (`goto workflow X`); it ends the current one.
    case gotoWorkflow(String)
    /// The step runs again after this delay (`retry after 2s`).
    case retry(after: Duration)
    /// The workflow failed at this step (`fail`).
    case fail

    /// The report form: `next`, `end`, `goto step X`, `goto workflow X`, `retry after 1.5s`,
    /// `fail`, or empty.
    public var description: String {
        switch self {
        case .sideStep: return ""
        case .next: return "next"
        case .end: return "end"
        case .gotoStep(let id): return "goto step \(id)"
        case .gotoWorkflow(let id): return "goto workflow \(id)"
        case .retry(let delay): return "retry after \(RunSession.format(delay))"
        case .fail: return "fail"
        }
    }

    /// Reads the report form back; nil for text that is none of them.
    public init?(_ text: String) {
        switch text {
        case "": self = .sideStep
        case "next": self = .next
        case "end": self = .end
        case "fail": self = .fail
        default:
            if text.hasPrefix("goto step ") {
                self = .gotoStep(String(text.dropFirst("goto step ".count)))
            } else if text.hasPrefix("goto workflow ") {
                self = .gotoWorkflow(String(text.dropFirst("goto workflow ".count)))
            } else if text.hasPrefix("retry after "), text.hasSuffix("s"),
                      let seconds = Double(text.dropFirst("retry after ".count).dropLast()), seconds.isFinite, seconds >= 0 {
                self = .retry(after: .milliseconds(Int64((seconds * 1000).rounded())))
            } else {
                return nil
            }
        }
    }

    /// Decodes the report form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let action = StepAction(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a step action: '\(text)'"))
        }
        self = action
    }

    /// Encodes the report form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// What one AsyncAPI step attempt sent or received: the channel endpoint, the message (headers,
/// payload, content type) and, when the step could not send or receive, the error.
public struct MessageTrace: Sendable, Hashable, Codable {
    /// `send` or `receive`: the step's action.
    public var action: String
    /// The AsyncAPI channel key.
    public var channel: String
    /// The endpoint (protocol, URL, address with its parameters filled); nil when it could not be
    /// built.
    public var endpoint: ChannelEndpoint?
    /// The correlation id a receive step waited for, when it has one.
    public var correlationId: JSONValue?
    /// The message sent, or the matching message received; nil when none was.
    public var message: TransportMessage?
    /// Why nothing was sent or received: the transport error's kind (`timeout`, `noTransport`,
    /// `connectionFailed`, …) and message.
    public var error: MessageTransportError?

    /// Creates a trace.
    public init(
        action: String, channel: String, endpoint: ChannelEndpoint? = nil, correlationId: JSONValue? = nil,
        message: TransportMessage? = nil, error: MessageTransportError? = nil
    ) {
        self.action = action
        self.channel = channel
        self.endpoint = endpoint
        self.correlationId = correlationId
        self.message = message
        self.error = error
    }

    private enum CodingKeys: String, CodingKey {
        case action, channel, protocolName = "protocol", url, address, correlationId, headers, payload, payloadText,
             payloadBase64, contentType, error
    }

    private enum ErrorKeys: String, CodingKey { case kind, message }

    /// Decodes a trace written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        action = try c.decode(String.self, forKey: .action)
        channel = try c.decode(String.self, forKey: .channel)
        if let url = try c.decodeIfPresent(String.self, forKey: .url) {
            endpoint = ChannelEndpoint(
                protocol: try c.decodeIfPresent(String.self, forKey: .protocolName) ?? "",
                url: url, address: try c.decodeIfPresent(String.self, forKey: .address) ?? "")
        }
        correlationId = try c.decodeIfPresent(JSONValue.self, forKey: .correlationId)
        let payload: MessagePayload?
        if let json = try c.decodeIfPresent(JSONValue.self, forKey: .payload) {
            payload = .json(json)
        } else if let text = try c.decodeIfPresent(String.self, forKey: .payloadText) {
            payload = .text(text)
        } else if let base64 = try c.decodeIfPresent(String.self, forKey: .payloadBase64), let data = Data(base64Encoded: base64) {
            payload = .binary(Array(data))
        } else {
            payload = nil
        }
        if let payload {
            let headers = try c.decodeIfPresent(JSONValue.self, forKey: .headers)?.objectValue ?? [:]
            var byName: [String: JSONValue] = [:]
            for (name, value) in headers { byName[name] = value }
            message = TransportMessage(headers: byName, payload: payload, contentType: try c.decodeIfPresent(String.self, forKey: .contentType))
        }
        if c.contains(.error) {
            let e = try c.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error)
            error = MessageTransportError(
                MessageTransportError.Kind(rawValue: try e.decode(String.self, forKey: .kind)) ?? .closed,
                try e.decode(String.self, forKey: .message))
        }
    }

    /// Encodes the trace: the payload as `payload` (JSON), `payloadText` or `payloadBase64`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(action, forKey: .action)
        try c.encode(channel, forKey: .channel)
        if let endpoint {
            try c.encode(endpoint.protocol, forKey: .protocolName)
            try c.encode(endpoint.url, forKey: .url)
            try c.encode(endpoint.address, forKey: .address)
        }
        try c.encodeIfPresent(correlationId, forKey: .correlationId)
        if let message {
            var headers = JSONObject()
            for name in message.headers.keys.sorted() { headers[name] = message.headers[name] }
            try c.encode(JSONValue.object(headers), forKey: .headers)
            switch message.payload {
            case .json(let value): try c.encode(value, forKey: .payload)
            case .text(let text): try c.encode(text, forKey: .payloadText)
            case .binary(let bytes): try c.encode(Data(bytes).base64EncodedString(), forKey: .payloadBase64)
            }
            try c.encodeIfPresent(message.contentType, forKey: .contentType)
        }
        if let error {
            var e = c.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error)
            try e.encode(error.kind.rawValue, forKey: .kind)
            try e.encode(error.message, forKey: .message)
        }
    }
}

/// The run could not start: unknown workflow, or inputs that violate the workflow's schema
/// (each violation a diagnostic whose `path` is the JSON path of the input at fault).
public struct RunFailure: Error, Sendable, CustomStringConvertible {
    /// The problems.
    public var diagnostics: Diagnostics

    /// Creates a failure.
    public init(diagnostics: Diagnostics) {
        self.diagnostics = diagnostics
    }

    /// The problems, one per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

extension Duration {
    /// The duration in seconds, as a number (for reports, rates and the load generator).
    package var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
