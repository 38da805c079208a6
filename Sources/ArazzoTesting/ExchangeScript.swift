public import ArazzoExecutor
public import ArazzoJSON
import Foundation

/// A conversation a ``ScriptedExecutor`` (in memory) or ArazzoTestServer's `ScriptedServer`
/// (loopback HTTP) replays: the requests it expects, in order, and what it answers to each.
///
/// The format is `Codable`, so a script can live in a JSON or YAML file next to a test
/// (docs/testing.md):
///
/// ```yaml
/// ordered: true
/// exchanges:
///   - request:
///       method: POST
///       path: /v1/b2b/totp
///       query: {limit: "10"}
///       headers: {Content-Type: application/json}
///       absentHeaders: [Cookie]
///       json: {organization_id: org-1}
///     response:
///       status: 200
///       headers: {Retry-After: "1"}
///       json: {totp_registration_id: reg-1}
///       delayMilliseconds: 0
///       fault: resetMidBody     # or closeConnection / noResponse (transport failures)
///     times: 1
/// ```
public struct ExchangeScript: Sendable, Hashable, Codable {
    /// Whether requests must arrive in script order (the default) or may match any unused exchange.
    public var ordered: Bool
    /// The expected exchanges.
    public var exchanges: [Exchange]

    /// Creates a script.
    public init(ordered: Bool = true, exchanges: [Exchange]) {
        self.ordered = ordered
        self.exchanges = exchanges
    }

    /// Decodes a script from JSON text.
    public init(jsonBytes: [UInt8]) throws {
        self = try JSONDecoder().decode(ExchangeScript.self, from: Data(jsonBytes))
    }

    /// Decodes a script from a JSON value (e.g. a YAML file's `node.jsonValue`).
    public init(jsonValue: JSONValue) throws {
        try self.init(jsonBytes: jsonValue.jsonBytes())
    }

    private enum CodingKeys: String, CodingKey { case ordered, exchanges }

    /// Decodes a script; `ordered` defaults to `true`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ordered = try container.decodeIfPresent(Bool.self, forKey: .ordered) ?? true
        exchanges = try container.decode([Exchange].self, forKey: .exchanges)
    }
}

/// One expected request and the response that answers it.
public struct Exchange: Sendable, Hashable, Codable {
    /// What the request must look like.
    public var request: ExpectedRequest
    /// What the server answers when it does.
    public var response: ScriptedResponse
    /// How many consecutive matching requests this exchange answers (retries of one request).
    public var times: Int

    /// Creates an exchange.
    public init(request: ExpectedRequest, response: ScriptedResponse, times: Int = 1) {
        self.request = request
        self.response = response
        self.times = times
    }

    private enum CodingKeys: String, CodingKey { case request, response, times }

    /// Decodes an exchange; `times` defaults to 1.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        request = try container.decode(ExpectedRequest.self, forKey: .request)
        response = try container.decodeIfPresent(ScriptedResponse.self, forKey: .response) ?? ScriptedResponse()
        times = max(1, try container.decodeIfPresent(Int.self, forKey: .times) ?? 1)
    }
}

/// The parts of a request a script checks. Fields left `nil` are not checked.
public struct ExpectedRequest: Sendable, Hashable, Codable {
    /// The method, upper case.
    public var method: String
    /// The raw, percent-encoded path without the query.
    public var path: String
    /// The exact query items (percent-decoded), order kept within a repeated name; `[]` = no query.
    public var query: [HTTPHeaderField]?
    /// The exact raw query string after `?`.
    public var rawQuery: String?
    /// Headers that must be present with exactly these values (names case-insensitive).
    public var headers: [HTTPHeaderField]?
    /// Headers that must not be present.
    public var absentHeaders: [String]?
    /// The body, parsed as JSON, must equal this value (member order ignored, `1 == 1.0`).
    public var json: JSONValue?
    /// The body must be exactly this text.
    public var body: String?

    /// Creates an expectation.
    public init(
        method: String, path: String, query: [HTTPHeaderField]? = nil, rawQuery: String? = nil,
        headers: [HTTPHeaderField]? = nil, absentHeaders: [String]? = nil, json: JSONValue? = nil,
        body: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.rawQuery = rawQuery
        self.headers = headers
        self.absentHeaders = absentHeaders
        self.json = json
        self.body = body
    }

    private enum CodingKeys: String, CodingKey {
        case method, path, query, rawQuery, headers, absentHeaders, json, body
    }

    /// Decodes an expectation; `query` and `headers` are objects (a list value repeats a name) or
    /// lists of `{name, value}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decode(String.self, forKey: .method)
        path = try container.decode(String.self, forKey: .path)
        query = try container.decodeIfPresent(FieldList.self, forKey: .query)?.fields
        rawQuery = try container.decodeIfPresent(String.self, forKey: .rawQuery)
        headers = try container.decodeIfPresent(FieldList.self, forKey: .headers)?.fields
        absentHeaders = try container.decodeIfPresent([String].self, forKey: .absentHeaders)
        json = try container.decodeIfPresent(JSONValue.self, forKey: .json)
        body = try container.decodeIfPresent(String.self, forKey: .body)
    }
}

/// The response a script returns for a matched request.
public struct ScriptedResponse: Sendable, Hashable, Codable {
    /// The status code (default 200).
    public var status: Int
    /// Header fields, in order.
    public var headers: [HTTPHeaderField]
    /// A JSON body; `Content-Type: application/json` is added unless a content type is given.
    public var json: JSONValue?
    /// A text body.
    public var body: String?
    /// A binary body, base64.
    public var bodyBase64: String?
    /// Milliseconds to wait before answering.
    public var delayMilliseconds: Int?
    /// A transport failure instead of (or, for `resetMidBody`, in the middle of) the response.
    public var fault: ConnectionFault?

    /// Creates a response.
    public init(
        status: Int = 200, headers: [HTTPHeaderField] = [], json: JSONValue? = nil, body: String? = nil,
        bodyBase64: String? = nil, delayMilliseconds: Int? = nil, fault: ConnectionFault? = nil
    ) {
        self.fault = fault
        self.status = status
        self.headers = headers
        self.json = json
        self.body = body
        self.bodyBase64 = bodyBase64
        self.delayMilliseconds = delayMilliseconds
    }

    private enum CodingKeys: String, CodingKey {
        case status, headers, json, body, bodyBase64, delayMilliseconds, fault
    }

    /// Decodes a response; every field is optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeIfPresent(Int.self, forKey: .status) ?? 200
        headers = try container.decodeIfPresent(FieldList.self, forKey: .headers)?.fields ?? []
        json = try container.decodeIfPresent(JSONValue.self, forKey: .json)
        body = try container.decodeIfPresent(String.self, forKey: .body)
        bodyBase64 = try container.decodeIfPresent(String.self, forKey: .bodyBase64)
        delayMilliseconds = try container.decodeIfPresent(Int.self, forKey: .delayMilliseconds)
        fault = try container.decodeIfPresent(ConnectionFault.self, forKey: .fault)
    }

    /// The response the server sends.
    func serverResponse() -> ServerResponse {
        var headers = self.headers
        var bytes: [UInt8] = []
        if let json {
            bytes = json.jsonBytes()
            if !headers.contains(where: { HeaderFields.namesMatch($0.name, "content-type") }) {
                headers.append(HTTPHeaderField(name: "Content-Type", value: "application/json"))
            }
        } else if let body {
            bytes = Array(body.utf8)
        } else if let bodyBase64, let data = Data(base64Encoded: bodyBase64) {
            bytes = [UInt8](data)
        }
        let delay = delayMilliseconds.flatMap { $0 > 0 ? Duration.milliseconds($0) : nil }
        return ServerResponse(status: status, headers: headers, body: bytes, delay: delay, fault: fault)
    }
}

/// A list of name/value pairs written either as an object (`{a: "1", b: ["2", "3"]}`) or as a
/// list of `{name, value}` objects (which keeps order).
struct FieldList: Decodable {
    var fields: [HTTPHeaderField]

    init(from decoder: any Decoder) throws {
        if let list = try? [HTTPHeaderField](from: decoder) {
            fields = list
            return
        }
        let object = try [String: JSONValue](from: decoder)
        fields = []
        for name in object.keys.sorted() {
            switch object[name] {
            case .array(let values)?:
                for value in values { fields.append(HTTPHeaderField(name: name, value: Self.text(value))) }
            case let value?:
                fields.append(HTTPHeaderField(name: name, value: Self.text(value)))
            case nil:
                break
            }
        }
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        default: return value.jsonText()
        }
    }
}
