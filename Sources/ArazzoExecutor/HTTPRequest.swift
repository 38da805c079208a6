/// An ordered list of HTTP header fields with case-insensitive lookup (RFC 9110 §5.1).
public struct HeaderFields: Sendable, Hashable, Codable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public struct Field: Sendable, Hashable, Codable {
        /// The field name as written.
        public var name: String
        /// The field value.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields in order, repeated names kept.
    public private(set) var fields: [Field]

    /// Creates a list of fields.
    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    /// Creates fields from name/value pairs, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value of `name`, compared case-insensitively.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Makes room for `count` fields in all, so adding them one by one allocates once.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Appends a field (keeping any existing ones of the same name).
    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of `name` with one field.
    public mutating func set(name: String, value: String) {
        remove(name: name)
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field of `name`.
    public mutating func remove(name: String) {
        fields.removeAll { Self.namesMatch($0.name, name) }
    }

    /// Whether no fields are present.
    public var isEmpty: Bool { fields.isEmpty }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Whether two field names name the same header: the one header-name comparison of the
    /// package. Field names are tokens compared case-insensitively (RFC 9110 §5.1), so ASCII
    /// letters match without case and every other byte exactly (no Unicode case folding: `ß` is
    /// not `SS` in a header name).
    public static func namesMatch(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        a.utf8.elementsEqual(b.utf8) { asciiLowercased($0) == asciiLowercased($1) }
    }

    /// ``namesMatch(_:_:)`` for two `String`s, the case of every header lookup and of the
    /// redaction of every recorded header: names of different lengths are rejected before any
    /// byte is read, and the bytes are compared without the generic collection machinery (which
    /// other modules cannot specialise; it was 7% of a reused engine's step, docs/performance.md).
    public static func namesMatch(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        // A name is usually looked up as it was written: equal strings are answered by comparing
        // their representations (two words for a name of up to 15 bytes), before any byte is read.
        if a == b { return true }
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for i in 0..<count where x[i] != y[i] {
                    guard asciiLowercased(x[i]) == asciiLowercased(y[i]) else { return false }
                }
                return true
            }
        }
    }

    /// A field name with its ASCII letters lowercased: the key for sets and dictionaries of
    /// header names, matching as ``namesMatch(_:_:)`` does.
    public static func canonicalName(_ name: some StringProtocol) -> String {
        String(decoding: name.utf8.map(asciiLowercased), as: UTF8.self)
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}

/// A fully built HTTP request, ready for a ``StepExecutor`` to send.
///
/// A value type whose fields sit behind one copy-on-write reference: the engine hands the
/// request to the executor, the trace and the tracer, and each of those moves or copies is a
/// retain instead of an outlined copy of eight fields (decision RB1).
public struct HTTPRequest: Sendable, Hashable, Codable {
    /// The method in upper case (`GET`, `POST`, ...).
    public var method: String {
        get { storage.method }
        _modify { makeUnique(); yield &storage.method }
    }
    /// The absolute URL, query string included, already percent-encoded.
    public var url: String {
        get { storage.url }
        _modify { makeUnique(); yield &storage.url }
    }
    /// The header fields (including `Content-Type` when there is a body).
    public var headers: HeaderFields {
        get { storage.headers }
        _modify { makeUnique(); yield &storage.headers }
    }
    /// The body bytes, if any.
    public var body: [UInt8]? {
        get { storage.body }
        _modify { makeUnique(); yield &storage.body }
    }
    /// How long the executor may take for the whole exchange.
    public var timeout: Duration {
        get { storage.timeout }
        _modify { makeUnique(); yield &storage.timeout }
    }
    /// The most response-body bytes the executor may accept before failing with `.bodyTooLarge`.
    public var maxResponseBytes: Int {
        get { storage.maxResponseBytes }
        _modify { makeUnique(); yield &storage.maxResponseBytes }
    }
    /// The description operation the request was built from, when the engine built it for an
    /// operation step. Executors that send bytes ignore it; one that answers from the
    /// descriptions (the OpenAPI mock) reads it instead of guessing the operation back from the
    /// URL, which several operations or sources can share.
    public var operation: OperationReference? {
        get { storage.operation }
        _modify { makeUnique(); yield &storage.operation }
    }
    /// The URL with the run's secrets masked (as the run's records and HAR show it), set by the
    /// engine on the request it sends while a tracer records. An executor that puts the URL in a
    /// span or a log uses this, never ``url``; nil when nothing redacted it.
    public var redactedURL: String? {
        get { storage.redactedURL }
        _modify { makeUnique(); yield &storage.redactedURL }
    }

    private var storage: Storage

    /// The fields. Mutated only through a uniquely referenced instance (``makeUnique()``), so a
    /// request keeps value semantics; `@unchecked Sendable` rests on that. Every access goes
    /// through the struct, whose own accesses are checked statically, so the fields need no
    /// dynamic exclusivity check (`swift_beginAccess` at each read was ~30 instructions).
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var method: String
        @exclusivity(unchecked) var url: String
        @exclusivity(unchecked) var headers: HeaderFields
        @exclusivity(unchecked) var body: [UInt8]?
        @exclusivity(unchecked) var timeout: Duration
        @exclusivity(unchecked) var maxResponseBytes: Int
        @exclusivity(unchecked) var operation: OperationReference?
        @exclusivity(unchecked) var redactedURL: String?

        init(
            method: String, url: String, headers: HeaderFields, body: [UInt8]?, timeout: Duration,
            maxResponseBytes: Int, operation: OperationReference?, redactedURL: String?
        ) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.timeout = timeout
            self.maxResponseBytes = maxResponseBytes
            self.operation = operation
            self.redactedURL = redactedURL
        }

        func copy() -> Storage {
            Storage(
                method: method, url: url, headers: headers, body: body, timeout: timeout,
                maxResponseBytes: maxResponseBytes, operation: operation, redactedURL: redactedURL)
        }
    }

    /// Gives this request its own storage before a write when another copy shares it.
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Creates a request.
    public init(
        method: String, url: String, headers: HeaderFields = [:], body: [UInt8]? = nil,
        timeout: Duration = .seconds(30), maxResponseBytes: Int = 16 << 20, operation: OperationReference? = nil,
        redactedURL: String? = nil
    ) {
        storage = Storage(
            method: method, url: url, headers: headers, body: body, timeout: timeout,
            maxResponseBytes: maxResponseBytes, operation: operation, redactedURL: redactedURL)
    }

    /// Whether two requests have the same fields.
    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        if lhs.storage === rhs.storage { return true }
        let l = lhs.storage, r = rhs.storage
        return l.method == r.method && l.url == r.url && l.headers == r.headers && l.body == r.body
            && l.timeout == r.timeout && l.maxResponseBytes == r.maxResponseBytes && l.operation == r.operation
            && l.redactedURL == r.redactedURL
    }

    /// Hashes the fields that ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        let s = storage
        hasher.combine(s.method)
        hasher.combine(s.url)
        hasher.combine(s.headers)
        hasher.combine(s.body)
        hasher.combine(s.timeout)
        hasher.combine(s.maxResponseBytes)
        hasher.combine(s.operation)
        hasher.combine(s.redactedURL)
    }

    private enum CodingKeys: String, CodingKey {
        case method, url, headers, body, timeout, maxResponseBytes, operation, redactedURL
    }

    /// Decodes a request from the keys ``encode(to:)`` writes (the field names).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        storage = Storage(
            method: try c.decode(String.self, forKey: .method),
            url: try c.decode(String.self, forKey: .url),
            headers: try c.decode(HeaderFields.self, forKey: .headers),
            body: try c.decodeIfPresent([UInt8].self, forKey: .body),
            timeout: try c.decode(Duration.self, forKey: .timeout),
            maxResponseBytes: try c.decode(Int.self, forKey: .maxResponseBytes),
            operation: try c.decodeIfPresent(OperationReference.self, forKey: .operation),
            redactedURL: try c.decodeIfPresent(String.self, forKey: .redactedURL))
    }

    /// Encodes the fields under their names, an absent optional left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let s = storage
        try c.encode(s.method, forKey: .method)
        try c.encode(s.url, forKey: .url)
        try c.encode(s.headers, forKey: .headers)
        try c.encodeIfPresent(s.body, forKey: .body)
        try c.encode(s.timeout, forKey: .timeout)
        try c.encode(s.maxResponseBytes, forKey: .maxResponseBytes)
        try c.encodeIfPresent(s.operation, forKey: .operation)
        try c.encodeIfPresent(s.redactedURL, forKey: .redactedURL)
    }
}

/// Names one Operation Object of one loaded description: the description's URL (or absolute
/// file path, as it was loaded) and the JSON pointer of the operation inside it. Together they
/// are unique even when two sources declare the same method and path.
public struct OperationReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The URL or absolute file path the description was loaded from.
    public var document: String
    /// The JSON pointer of the Operation Object (`/paths/~1pets~1{petId}/get`).
    public var pointer: String
    /// The name of the Arazzo source description the operation was resolved through, when the
    /// engine knows it: an executor with per-source settings (client certificates) picks them by
    /// this name.
    public var sourceName: String?

    /// Creates a reference.
    public init(document: String, pointer: String, sourceName: String? = nil) {
        self.document = document
        self.pointer = pointer
        self.sourceName = sourceName
    }

    /// `document#pointer`.
    public var description: String { document + "#" + pointer }
}

/// The response an executor returns: status, headers, the whole body, and how long it took.
public struct HTTPResponse: Sendable, Hashable, Codable {
    /// The status code.
    public var status: Int
    /// The header fields.
    public var headers: HeaderFields
    /// The body bytes.
    public var body: [UInt8]
    /// Time from sending the request to the end of the body.
    public var duration: Duration

    /// Creates a response.
    public init(status: Int, headers: HeaderFields = [:], body: [UInt8] = [], duration: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.duration = duration
    }
}

/// Why an exchange produced no HTTP response. The engine treats it as a step failure whose
/// reason is this value (it goes through `onFailure` like any failure).
public struct TransportError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kinds of transport failure.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Nothing listens at the address.
        case connectionRefused
        /// The peer closed or reset the connection before the response was complete.
        case connectionReset
        /// The request's deadline passed.
        case timeout
        /// The TLS handshake or certificate check failed.
        case tls
        /// The host name could not be resolved.
        case dns
        /// The response body exceeded the request's size cap.
        case bodyTooLarge
        /// The peer did not speak valid HTTP.
        case invalidResponse
        /// The URL cannot be used (bad scheme, bad host, refused by policy).
        case invalidURL
        /// The run was cancelled.
        case cancelled
        /// Anything else.
        case other
    }

    /// What kind of failure.
    public var kind: Kind
    /// One line for people; never contains credentials.
    public var message: String

    /// Creates a transport error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `kind: message`.
    public var description: String { "\(kind.rawValue): \(message)" }
}

/// Sends built requests. The engine calls it once per HTTP exchange; implementations decide how
/// (a real network client, a mock that answers from an OpenAPI description, scripted responses).
///
/// Implementations must not follow redirects (the engine sees every 3xx) and must honour
/// ``HTTPRequest/timeout`` and ``HTTPRequest/maxResponseBytes``.
public protocol StepExecutor: Sendable {
    /// Sends `request` and returns the response, or the transport failure that prevented one.
    func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse

    /// A base URL the engine may use for an operation whose description names no absolute
    /// server (none, which OpenAPI reads as `/`, or a relative one). Only an executor that
    /// sends nothing can answer for any base; nil (the default) makes the engine ask for a
    /// server override instead of guessing where to send.
    var placeholderServerURL: String? { get }

    /// Where the engine should run the code of one workflow run, asked once per run: an executor
    /// whose I/O completes on threads of its own can name one of them, so that the run's steps
    /// and their exchanges share a thread instead of waking one another for every request
    /// (decision EL1). Nil (the default) leaves the run on Swift's global executor.
    func preferredTaskExecutor() -> (any TaskExecutor)?
}

extension StepExecutor {
    /// Nil: requests go where the description or an override says, so there must be a server.
    public var placeholderServerURL: String? { nil }

    /// Nil: runs stay on Swift's global executor.
    public func preferredTaskExecutor() -> (any TaskExecutor)? { nil }
}
