import ArazzoJSON
import ArazzoOpenAPI
import ArazzoExecutor
import ArazzoExpressions

/// What one step attempt sent and received, for `$url`, `$method`, `$statusCode`, `$request.*`
/// and `$response.*`. The response body is parsed at most once, on first use.
final class Exchange {
    let url: String
    let method: String
    let requestHeaders: HeaderFields
    let query: [String: JSONValue]
    let path: [String: JSONValue]
    let requestBody: JSONValue?
    var response: HTTPResponse?
    private var parsedBody: JSONValue??

    init(url: String, method: String, requestHeaders: HeaderFields, query: [String: JSONValue], path: [String: JSONValue], requestBody: JSONValue?) {
        self.url = url
        self.method = method
        self.requestHeaders = requestHeaders
        self.query = query
        self.path = path
        self.requestBody = requestBody
    }

    /// The JSON index of the response body, built on first use (decision TP4): pointers and the
    /// contract check read it in place; nil when the body is not JSON (then `responseBody` is its
    /// text, or nothing, as `BodyParser.value` says).
    private var bodyTape: JSONTape??

    var responseTape: JSONTape? {
        if let bodyTape { return bodyTape }
        guard let response else { return nil }
        let tape = BodyParser.tape(of: response.body, contentType: response.headers["Content-Type"])
        bodyTape = .some(tape)
        return tape
    }

    /// The whole body as a tree, materialised from the index (or, for a body that is not JSON,
    /// read as `BodyParser.value` reads it) on first use, then kept.
    var responseBody: JSONValue? {
        if let parsedBody { return parsedBody }
        guard let response else { return nil }
        let value: JSONValue?
        if let tape = responseTape {
            value = tape.root.value
        } else {
            value = BodyParser.value(of: response.body, contentType: response.headers["Content-Type"])
        }
        parsedBody = .some(value)
        return value
    }

    /// `$response.body#pointer`: resolved on the index, materialising only the node reached.
    func responseBody(at pointer: JSONPointer) -> Result<JSONValue, JSONPointer.Failure>? {
        if parsedBody == nil, let tape = responseTape {
            return Result { () throws(JSONPointer.Failure) in try pointer.resolve(in: tape.root).value }
        }
        guard let body = responseBody else { return nil }
        return Result { () throws(JSONPointer.Failure) in try pointer.resolve(in: body) }
    }
}

/// Workflow inputs and outputs seen so far in a run, for `$workflows.<id>.*`.
final class WorkflowValues {
    var inputs: [String: JSONValue] = [:]
    var outputs: [String: JSONObject] = [:]
}

/// The engine's view of the run for the expression layer.
///
/// A class: the expression layer takes `any ExpressionContext`, and a struct of these fields
/// did not fit an existential's inline buffer, so each call boxed a heap copy of it (a retain of
/// every field, then their releases): three or four per step. A reference boxes as a retain.
/// One context belongs to one step attempt (or one workflow's outputs) of one task; the step
/// sets its exchange, message or called workflow's outputs as they become known.
final class EvaluationContext: ExpressionContext {
    var exchange: Exchange?
    var inputsValue: JSONValue?
    var outputsValue: JSONObject?
    var steps: [String: JSONObject]
    let workflowValues: WorkflowValues
    let sourceURLs: [String: String]
    /// `$self` (Arazzo 1.1, decision E2); nil leaves it unresolved.
    let selfURI: String?
    /// The message an AsyncAPI step sent or received (`$message.*`, Arazzo 1.1).
    var message: TransportMessage?

    init(
        exchange: Exchange?, inputsValue: JSONValue?, outputsValue: JSONObject?, steps: [String: JSONObject],
        workflowValues: WorkflowValues, sourceURLs: [String: String], selfURI: String? = nil, message: TransportMessage? = nil
    ) {
        self.exchange = exchange
        self.inputsValue = inputsValue
        self.outputsValue = outputsValue
        self.steps = steps
        self.workflowValues = workflowValues
        self.sourceURLs = sourceURLs
        self.selfURI = selfURI
        self.message = message
    }

    var url: String? { exchange?.url }
    var method: String? { exchange?.method }
    var statusCode: Int? { exchange?.response?.status }
    func requestHeader(named name: String) -> String? { exchange?.requestHeaders[name] }
    func requestQueryParameter(named name: String) -> JSONValue? { exchange?.query[name] }
    func requestPathParameter(named name: String) -> JSONValue? { exchange?.path[name] }
    var requestBody: JSONValue? { exchange?.requestBody }
    func responseHeader(named name: String) -> String? { exchange?.response?.headers[name] }
    var responseBody: JSONValue? { exchange?.responseBody }
    func responseBody(at pointer: JSONPointer) -> Result<JSONValue, JSONPointer.Failure>? {
        exchange?.responseBody(at: pointer)
    }
    var inputs: JSONValue? { inputsValue }
    var outputs: JSONObject? { outputsValue }
    func stepOutputs(stepId: String) -> JSONObject? { steps[stepId] }
    func workflowInputs(workflowId: String) -> JSONValue? { workflowValues.inputs[workflowId] }
    func workflowOutputs(workflowId: String) -> JSONObject? { workflowValues.outputs[workflowId] }
    func messageHeader(named name: String) -> String? {
        guard let headers = message?.headers else { return nil }
        // Header names match case-insensitively, as HTTP's do; a structured value reads as JSON.
        for key in headers.keys.sorted() where HeaderFields.namesMatch(key, name) {
            guard let value = headers[key] else { continue }
            if case .string(let text) = value { return text }
            return value.jsonText()
        }
        return nil
    }
    var messagePayload: JSONValue? { message?.payload.jsonValue }
    func sourceDescription(name: String, reference: String) -> JSONValue? {
        guard reference == "url", let url = sourceURLs[name] else { return nil }
        return .string(url)
    }
}
