public import ArazzoJSON
public import ArazzoExecutor
import OrderedCollections

/// One parameter value the caller has already resolved (expressions evaluated, selectors
/// applied), with where it goes.
public struct ResolvedParameter: Sendable, Hashable {
    /// What the caller found for the parameter.
    public enum Value: Sendable, Hashable {
        /// Send this value.
        case value(JSONValue)
        /// Leave the parameter out; `reason` says why (`input q was not supplied`) and becomes a note.
        case omitted(reason: String)
    }

    /// A member of an object or array value that was left out while resolving it.
    public struct OmittedMember: Sendable, Hashable {
        /// The JSON pointer of the member inside the value.
        public var path: String
        /// Why it was left out.
        public var reason: String

        /// Creates an omitted-member record.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Where a value goes: the four OpenAPI locations, and `querystring` (Arazzo 1.1), one
    /// value that is the whole query string.
    public enum Location: String, Sendable, Hashable, CaseIterable {
        /// A `{name}` of the path template.
        case path
        /// One query parameter.
        case query
        /// A header field.
        case header
        /// A cookie.
        case cookie
        /// The whole query string: a string sent as written (made URL-safe) or an object form-encoded.
        case querystring
    }

    /// The parameter name as the step writes it.
    public var name: String
    /// Where the value goes (`in`).
    public var location: Location
    /// The value, or why there is none.
    public var value: Value
    /// Members left out of the value, each reported as a note.
    public var omittedMembers: [OmittedMember]

    /// Creates a resolved parameter.
    public init(name: String, location: Location, value: Value, omittedMembers: [OmittedMember] = []) {
        self.name = name
        self.location = location
        self.value = value
        self.omittedMembers = omittedMembers
    }
}

/// A request body the caller has already resolved: the final payload (replacements applied) and
/// the media type it is sent as.
public struct ResolvedBody: Sendable, Hashable {
    /// The payload: a JSON value, or a string holding text written for the media type.
    public var payload: JSONValue
    /// The media type to send (``OpenAPIOperation/requestContentType(for:notes:)`` picks one
    /// when the step names none).
    public var contentType: String
    /// The payload's JSON text already parsed, when the caller parsed it (what `$request.body`
    /// reads); nil lets the builder parse a JSON string itself.
    public var parsedJSON: JSONValue?

    /// Creates a resolved body.
    public init(payload: JSONValue, contentType: String, parsedJSON: JSONValue? = nil) {
        self.payload = payload
        self.contentType = contentType
        self.parsedJSON = parsedJSON
    }
}

/// The credential values to put on a request, already worked out (tokens fetched) by the caller.
public struct SecurityValues: Sendable, Hashable {
    /// One header field (the executor contract's).
    public typealias Header = HeaderFields.Field

    /// Header fields, in order; a header the parameters already set wins (a note says so).
    public var headers: [Header]
    /// `name=value` query pairs, already percent-encoded.
    public var queryPairs: [String]
    /// `name=value` cookie pairs.
    public var cookiePairs: [String]
    /// What applying the credentials found, reported before the request's own notes about them.
    public var notes: [String]

    /// Creates security values.
    public init(headers: [Header] = [], queryPairs: [String] = [], cookiePairs: [String] = [], notes: [String] = []) {
        self.headers = headers
        self.queryPairs = queryPairs
        self.cookiePairs = cookiePairs
        self.notes = notes
    }
}

/// Why a request could not be built: one line saying what to fix (the engine fails the step
/// with kind `request`).
public struct RequestBuildError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The one-line message.
    public var message: String

    /// Creates an error.
    public init(message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// A request built for an operation, with what runtime expressions can read about it.
public struct BuiltHTTPRequest: Sendable, Hashable {
    /// The request to send.
    public var request: HTTPRequest
    /// What the build found that the user should know (omitted values, chosen styles, ...).
    public var notes: [String]
    /// The path parameter values sent, by name (`$request.path.<name>`).
    public var pathValues: [String: JSONValue]
    /// The query parameter values sent, by name (`$request.query.<name>`).
    public var queryValues: [String: JSONValue]
    /// The body as `$request.body` reads it: the JSON value of a JSON body, else the payload.
    public var bodyValue: JSONValue?
}

/// Builds the HTTP request of an OpenAPI operation from values the caller has already resolved.
///
/// Building is pure: no I/O, no expression evaluation, no run state. ``build(operation:serverBase:parameters:body:security:timeout:maxResponseBytes:)``
/// does it in one call. A caller that resolves values lazily (the engine evaluates each
/// parameter's expression only when the ones before it were sent, and fetches credentials only
/// once parameters and body are known to be sendable) drives the same steps one by one:
/// ``add(_:)`` per parameter, ``finishParameters()``, ``setBody(_:)``, ``apply(_:)``, ``request(timeout:maxResponseBytes:)``.
/// The first failing step ends the build, so errors come in that order.
public struct RequestBuilding: Sendable {
    /// Headers an Arazzo parameter may not set: framing and routing belong to the client.
    static let forbiddenHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer"]

    /// The operation being called.
    public let operation: OpenAPIOperation
    /// The server base URL, without a trailing slash.
    public let serverBase: String
    /// Notes so far, in order; a caller may add its own between steps.
    public var notes: [String] = []

    private var pathText: String
    private var queryPieces: [String] = []
    private var headers = HeaderFields()
    private var cookiePieces: [String] = []
    private var pathValues: [String: JSONValue] = [:]
    private var queryValues: [String: JSONValue] = [:]
    private var bodyBytes: [UInt8]?
    private var bodyValue: JSONValue?

    /// Starts a request for `operation` sent to `serverBase` (no trailing slash).
    public init(operation: OpenAPIOperation, serverBase: String) {
        self.operation = operation
        self.serverBase = serverBase
        self.pathText = operation.path
        // A body's Content-Type and a credential at least: room for them and a few parameters
        // at once, not an allocation per field as the list grows.
        headers.reserveCapacity(4)
    }

    /// Builds the request in one call.
    public static func build(
        operation: OpenAPIOperation, serverBase: String, parameters: [ResolvedParameter], body: ResolvedBody?,
        security: SecurityValues, timeout: Duration = .seconds(30), maxResponseBytes: Int = 16 << 20
    ) -> Result<BuiltHTTPRequest, RequestBuildError> {
        var builder = RequestBuilding(operation: operation, serverBase: serverBase)
        do {
            for parameter in parameters { try builder.add(parameter) }
            try builder.finishParameters()
            if let body { try builder.setBody(body) }
        } catch {
            return .failure(error)
        }
        builder.apply(security)
        return .success(builder.request(timeout: timeout, maxResponseBytes: maxResponseBytes))
    }

    /// Serialises one parameter the way the operation declares it (the default style of its
    /// location when it declares none).
    public mutating func add(_ parameter: ResolvedParameter) throws(RequestBuildError) {
        let name = parameter.name
        let location = parameter.location
        // The OpenAPI location; a querystring value is the whole query and declares nothing.
        let openAPILocation = ParameterSerialization.Location(rawValue: location.rawValue)
        let declared = openAPILocation.flatMap { operation.parameter(named: name, in: $0) }
        let value: JSONValue
        switch parameter.value {
        case .omitted(let reason):
            notes.append("parameter \(name) (\(location.rawValue)) omitted: \(reason)")
            return
        case .value(let v):
            value = v
        }
        for omission in parameter.omittedMembers {
            notes.append("parameter \(name): member \(omission.path) omitted: \(omission.reason)")
        }
        // A querystring parameter is the whole query; OpenAPI 3.0/3.1 have no such location.
        if declared == nil, location != .querystring {
            notes.append("parameter \(name) (\(location.rawValue)) is not declared by operation \(operation.label); sent with the default style")
        }
        if value == .null {
            throw RequestBuildError(message: "parameter '\(name)' resolved to null")
        }
        let serialization = declared?.serialization ?? ParameterSerialization(location: openAPILocation ?? .query)
        switch location {
        case .path:
            let text = try Self.serializing { () throws(ParameterSerialization.Failure) in try serialization.pathValue(name: name, value: value) }
            let placeholder = "{\(name)}"
            guard pathText.contains(placeholder) else {
                throw RequestBuildError(message: "path parameter '\(name)' has no {\(name)} in the path \(operation.path)")
            }
            pathText = pathText.replacing(placeholder, with: text)
            pathValues[name] = value
        case .query:
            if let contentType = declared?.contentType, RequestBodyEncoder.kind(of: contentType) == .json {
                queryPieces.append(PercentEncoding.encode(name) + "=" + PercentEncoding.encode(value.jsonText()))
            } else {
                queryPieces.append(contentsOf: try Self.serializing { () throws(ParameterSerialization.Failure) in try serialization.queryPairs(name: name, value: value) })
            }
            queryValues[name] = value
        case .header:
            if Self.forbiddenHeaders.contains(HeaderFields.canonicalName(name)) {
                notes.append("header parameter \(name) not sent: the HTTP client owns that header")
                return
            }
            headers.set(name: name, value: try Self.serializing { () throws(ParameterSerialization.Failure) in try serialization.headerValue(name: name, value: value) })
        case .cookie:
            cookiePieces.append(contentsOf: try Self.serializing { () throws(ParameterSerialization.Failure) in try serialization.cookiePairs(name: name, value: value) })
        case .querystring:
            // The whole query string from one value (Arazzo 1.1, decision V6).
            switch value {
            case .string(let text):
                let query = Self.queryStringText(text.hasPrefix("?") ? String(text.dropFirst()) : text)
                if !query.isEmpty { queryPieces.append(query) }
            case .object(let members):
                do {
                    let query = try RequestBodyEncoder.formEncode(members, encoding: [:])
                    if !query.isEmpty { queryPieces.append(query) }
                } catch {
                    throw RequestBuildError(message: "querystring parameter '\(name)': \(error.message)")
                }
            default:
                throw RequestBuildError(message: "querystring parameter '\(name)' must be a string (the whole query, e.g. 'a=1&b=2') or an object, got \(value.typeName)")
            }
            queryValues[name] = value
        }
    }

    /// Runs a serialisation, turning its failure into a build error with the same message.
    private static func serializing<T>(_ work: () throws(ParameterSerialization.Failure) -> T) throws(RequestBuildError) -> T {
        do {
            return try work()
        } catch {
            throw RequestBuildError(message: error.message)
        }
    }

    /// Checks that every `{name}` of the path template got a value.
    public func finishParameters() throws(RequestBuildError) {
        // Searched as contiguous bytes: the generic search over the string's UTF-8 view cost
        // about 500 instructions a request.
        var path = pathText
        let hasPlaceholder = path.withUTF8 { $0.contains(UInt8(ascii: "{")) }
        if hasPlaceholder, let missing = Self.firstTemplateVariable(in: pathText) {
            throw RequestBuildError(message: "path parameter '\(missing)' of \(operation.path) has no value; add a parameter with in: path")
        }
    }

    /// Encodes the body for its media type (the operation's `encoding` map applies to form
    /// bodies) and sets `Content-Type`.
    public mutating func setBody(_ body: ResolvedBody) throws(RequestBuildError) {
        let kind = RequestBodyEncoder.kind(of: body.contentType)
        let encodingMap = operation.requestBody?.content.first { $0.mediaType == body.contentType }?.encoding
        let encoded: RequestBodyEncoder.Encoded
        do {
            encoded = try RequestBodyEncoder.encode(body.payload, contentType: body.contentType, encoding: encodingMap)
        } catch {
            throw RequestBuildError(message: error.message)
        }
        bodyBytes = encoded.bytes
        headers.set(name: "Content-Type", value: encoded.contentType)
        if kind == .json, case .string(let text) = body.payload {
            bodyValue = body.parsedJSON ?? (try? JSONValue(parsing: text)) ?? body.payload
        } else {
            bodyValue = body.payload
        }
    }

    /// Puts the credentials on the request. A header the parameters set is more specific than
    /// a credential bound to the whole source, so it is kept and a note says so.
    public mutating func apply(_ security: SecurityValues) {
        notes.append(contentsOf: security.notes)
        for header in security.headers {
            if headers[header.name] != nil {
                notes.append("header \(header.name) comes from the step's parameters; the bound credential was not applied to it")
                continue
            }
            headers.set(name: header.name, value: header.value)
        }
        queryPieces.append(contentsOf: security.queryPairs)
        cookiePieces.append(contentsOf: security.cookiePairs)
    }

    /// The request as built so far: URL from the server base, path and query; cookies joined
    /// into one `Cookie` header.
    ///
    /// Consuming: the builder's header fields, notes and values move into the result instead of
    /// being copied (a caller that goes on using the builder gets a copy made for it).
    public consuming func request(timeout: Duration, maxResponseBytes: Int) -> BuiltHTTPRequest {
        var headers = headers
        if !cookiePieces.isEmpty {
            headers.set(name: "Cookie", value: cookiePieces.joined(separator: "; "))
        }
        var url = serverBase + pathText
        if !queryPieces.isEmpty {
            url += (url.contains("?") ? "&" : "?") + queryPieces.joined(separator: "&")
        }
        let request = HTTPRequest(
            method: operation.method, url: url, headers: headers, body: bodyBytes,
            timeout: timeout, maxResponseBytes: maxResponseBytes)
        return BuiltHTTPRequest(
            request: request, notes: notes, pathValues: pathValues, queryValues: queryValues, bodyValue: bodyValue)
    }

    /// A pre-formatted query string made safe for a URL: characters a query may hold (RFC 3986
    /// `query`, and `%` so that an already encoded text stays as written) are kept, anything else
    /// is percent-encoded as UTF-8.
    static func queryStringText(_ text: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?%".utf8)
        var out = ""
        for byte in text.utf8 {
            if kept.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += (byte < 16 ? "%0" : "%") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// The first `{name}` left in a path after substitution.
    static func firstTemplateVariable(in path: String) -> String? {
        guard let open = path.firstIndex(of: "{") else { return nil }
        let rest = path[path.index(after: open)...]
        guard let close = rest.firstIndex(of: "}") else { return nil }
        return String(rest[..<close])
    }
}

extension OpenAPIOperation {
    /// The request body's media type when the step names none (notes §2.13): the operation's
    /// first JSON media type if it declares one, else its first media type, else `text/plain`
    /// for a string payload and `application/json` for anything else. Appends a note whenever
    /// the choice was not the only one possible.
    public func requestContentType(for payload: JSONValue, notes: inout [String]) -> String {
        let declared = requestBody?.content.map(\.mediaType) ?? []
        if let json = declared.first(where: { RequestBodyEncoder.kind(of: $0) == .json }) {
            if declared.count > 1 { notes.append("request body sent as \(json), the first JSON media type the operation declares") }
            return json
        }
        if let first = declared.first {
            if declared.count > 1 { notes.append("request body sent as \(first), the first media type the operation declares") }
            return first
        }
        if case .string = payload {
            notes.append("the operation declares no request body media type; sent as text/plain")
            return "text/plain"
        }
        notes.append("the operation declares no request body media type; sent as application/json")
        return "application/json"
    }
}
