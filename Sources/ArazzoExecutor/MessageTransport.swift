public import ArazzoJSON

/// The body of one asynchronous message. JSON is kept as a value so criteria and `$message`
/// expressions read it without parsing again; text and bytes stay as they arrived when they are
/// not JSON.
public enum MessagePayload: Sendable, Hashable {
    /// A JSON document (sent as its compact text).
    case json(JSONValue)
    /// Text that is not JSON (or not meant as JSON).
    case text(String)
    /// Bytes that are not UTF-8 text.
    case binary([UInt8])

    /// The payload as a JSON value: JSON as is, text as a string, bytes as nil (nothing to address).
    public var jsonValue: JSONValue? {
        switch self {
        case .json(let value): return value
        case .text(let text): return .string(text)
        case .binary: return nil
        }
    }

    /// Reads received bytes: JSON when they parse as JSON, else UTF-8 text, else bytes.
    public static func decoding(_ bytes: [UInt8]) -> MessagePayload {
        if let value = try? JSONValue(parsing: bytes) { return .json(value) }
        if let text = String(validating: bytes, as: UTF8.self) { return .text(text) }
        return .binary(bytes)
    }

    /// The bytes a transport puts on the wire: compact JSON text, the text's UTF-8, or the bytes.
    public var bytes: [UInt8] {
        switch self {
        case .json(let value): return value.jsonBytes()
        case .text(let text): return Array(text.utf8)
        case .binary(let bytes): return bytes
        }
    }
}

/// One message sent or received on a channel: application headers (AsyncAPI Message `headers`,
/// any JSON values) and the payload.
public struct TransportMessage: Sendable, Hashable {
    /// Application headers by name (not protocol framing). Empty when the protocol carries none.
    public var headers: [String: JSONValue]
    /// The payload.
    public var payload: MessagePayload
    /// The content type the sender declared, when known (`application/json`).
    public var contentType: String?

    /// Creates a message.
    public init(headers: [String: JSONValue] = [:], payload: MessagePayload, contentType: String? = nil) {
        self.headers = headers
        self.payload = payload
        self.contentType = contentType
    }
}

/// Where messages go and come from: the protocol of the AsyncAPI server, the absolute URL built
/// from the server and the channel address, and the channel's address as written (for brokers
/// that address topics rather than URLs).
public struct ChannelEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The AsyncAPI server protocol, lower case (`ws`, `wss`, `kafka`, `mqtt`, `amqp`, …).
    public var `protocol`: String
    /// The URL the transport connects to (`ws://host:port/path/address`).
    public var url: String
    /// The channel address with its parameters substituted (`place-order`, `users/42`).
    public var address: String

    /// Creates an endpoint.
    public init(protocol: String, url: String, address: String) {
        self.protocol = `protocol`.lowercased()
        self.url = url
        self.address = address
    }

    /// `protocol url`.
    public var description: String { "\(`protocol`) \(url)" }
}

/// Why a message could not be sent or received. The engine treats it as a step failure whose
/// reason is this value, like a ``TransportError`` for HTTP.
public struct MessageTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Kind: String, Sendable, Hashable {
        /// No transport is registered for the server's protocol.
        case noTransport
        /// No matching message arrived within the receive timeout.
        case timeout
        /// The connection could not be made (refused, DNS, handshake declined).
        case connectionFailed
        /// The peer closed the connection.
        case closed
        /// The endpoint URL cannot be used by this transport.
        case invalidEndpoint
        /// The message cannot be expressed on this protocol (for example headers over plain
        /// WebSocket frames).
        case unsupported
        /// The run was cancelled while waiting.
        case cancelled
    }

    /// What kind of failure.
    public var kind: Kind
    /// One line for people saying what happened and, where there is one, what to do.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The error for a protocol nobody registered a transport for; names the protocol.
    public static func noTransport(for protocolName: String) -> MessageTransportError {
        MessageTransportError(
            .noTransport,
            "no message transport for protocol '\(protocolName)'; register one for it (docs/asyncapi.md) or point the source at a ws/wss server")
    }

    /// `kind: message`.
    public var description: String { "\(kind.rawValue): \(message)" }
}

/// Sends and receives messages for AsyncAPI steps, the asynchronous counterpart of
/// ``StepExecutor``. The engine stays protocol-agnostic: it builds endpoints and messages from the
/// descriptions and asks the transport registered for the server's protocol.
///
/// The engine calls ``subscribe(_:)`` for every channel a workflow may receive on before its
/// first step runs, so a reply that arrives before its receive step starts (the answer to the
/// previous send) waits in the channel's buffer instead of being lost. Implementations buffer
/// per endpoint with a bound (dropping the oldest message when it is full) and must honour the
/// receive timeout and task cancellation.
public protocol MessageTransport: Sendable {
    /// Starts listening on `endpoint` (connecting if needed) and buffering what arrives. Calling
    /// it again for the same endpoint does nothing.
    func subscribe(_ endpoint: ChannelEndpoint) async throws(MessageTransportError)

    /// Sends `message` on `endpoint` (connecting if needed). Returns once the message is handed
    /// to the network: Arazzo does not model broker acknowledgement.
    func send(_ message: TransportMessage, to endpoint: ChannelEndpoint) async throws(MessageTransportError)

    /// Returns the first message on `endpoint`, buffered or arriving, for which `matches` is true,
    /// removing it from the buffer; messages that do not match stay buffered for later receives.
    /// Subscribes first when the endpoint is not subscribed yet. Throws `.timeout` when none
    /// arrives within `timeout`.
    func receive(
        from endpoint: ChannelEndpoint, timeout: Duration,
        where matches: @escaping @Sendable (TransportMessage) -> Bool
    ) async throws(MessageTransportError) -> TransportMessage

    /// Closes every connection; pending receives fail with `.closed`.
    func close() async
}

/// The transports of a run by protocol. The engine looks the server's protocol up here; a
/// protocol without a transport gives ``MessageTransportError/noTransport(for:)``.
public struct MessageTransports: Sendable {
    /// The registered transports by lower-case protocol name.
    public private(set) var byProtocol: [String: any MessageTransport]
    /// The transport for every protocol without its own (the in-memory broker under `--mock`,
    /// where a Kafka description must run without Kafka); nil in a real run, so an unknown
    /// protocol is an error.
    public var fallback: (any MessageTransport)?

    /// Creates a registry.
    public init(_ byProtocol: [String: any MessageTransport] = [:], fallback: (any MessageTransport)? = nil) {
        self.byProtocol = [:]
        self.fallback = fallback
        for (name, transport) in byProtocol { self.byProtocol[name.lowercased()] = transport }
    }

    /// Registers `transport` for each of `protocols` (replacing an earlier registration).
    public mutating func register(_ transport: any MessageTransport, for protocols: [String]) {
        for name in protocols { byProtocol[name.lowercased()] = transport }
    }

    /// The transport for `protocolName` (else the fallback), or the typed error naming the protocol.
    public func transport(for protocolName: String) throws(MessageTransportError) -> any MessageTransport {
        guard let transport = byProtocol[protocolName.lowercased()] ?? fallback else {
            throw MessageTransportError.noTransport(for: protocolName)
        }
        return transport
    }
}

/// A message transport that connects only to endpoints a ``HostPolicy`` allows (`--allow-host`
/// for WebSocket servers): a refused endpoint fails with `.invalidEndpoint` naming the host and
/// the allow-list, before anything connects.
public struct PolicyEnforcingTransport: MessageTransport {
    /// The transport that talks to allowed endpoints.
    public let base: any MessageTransport
    /// The allow-list; its `schemes` should list the protocols `base` serves (`ws`, `wss`).
    public let policy: HostPolicy

    /// Wraps `base` with `policy`.
    public init(_ base: any MessageTransport, policy: HostPolicy) {
        self.base = base
        self.policy = policy
    }

    private func check(_ endpoint: ChannelEndpoint) throws(MessageTransportError) {
        if let refusal = policy.refusal(for: endpoint.url) { throw MessageTransportError(.invalidEndpoint, refusal) }
    }

    public func subscribe(_ endpoint: ChannelEndpoint) async throws(MessageTransportError) {
        try check(endpoint)
        try await base.subscribe(endpoint)
    }

    public func send(_ message: TransportMessage, to endpoint: ChannelEndpoint) async throws(MessageTransportError) {
        try check(endpoint)
        try await base.send(message, to: endpoint)
    }

    public func receive(
        from endpoint: ChannelEndpoint, timeout: Duration, where matches: @escaping @Sendable (TransportMessage) -> Bool
    ) async throws(MessageTransportError) -> TransportMessage {
        try check(endpoint)
        return try await base.receive(from: endpoint, timeout: timeout, where: matches)
    }

    public func close() async {
        await base.close()
    }
}
