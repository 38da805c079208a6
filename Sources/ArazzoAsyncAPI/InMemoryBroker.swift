public import ArazzoExecutor

/// A message transport that never touches the network: endpoints are keys, a send is delivered
/// to the responder only, and the responder's answers are delivered to the endpoints it names (the
/// request/reply half of a test or of `--mock`). As ``MessageTransports/fallback`` it serves every
/// protocol, so descriptions naming Kafka or MQTT run against it too.
public actor InMemoryBroker: MessageTransport {
    /// Computes the messages a send causes: each reply with the endpoint it arrives on.
    public typealias Responder = @Sendable (TransportMessage, ChannelEndpoint) -> [(TransportMessage, ChannelEndpoint)]

    private let capacity: Int
    private var buffers: [String: MessageBuffer] = [:]
    private var responder: Responder?
    /// Every message sent through the broker, in order, with its endpoint (for assertions).
    public private(set) var sent: [(message: TransportMessage, endpoint: ChannelEndpoint)] = []

    /// Creates a broker whose per-channel buffers keep at most `capacity` messages.
    public init(capacity: Int = 256, responder: Responder? = nil) {
        self.capacity = capacity
        self.responder = responder
    }

    /// Replaces the responder.
    public func setResponder(_ responder: Responder?) {
        self.responder = responder
    }

    /// Delivers `message` on `endpoint` as if another application published it.
    public func publish(_ message: TransportMessage, on endpoint: ChannelEndpoint) async {
        await buffer(for: endpoint).deliver(message)
    }

    /// The messages waiting on `endpoint`.
    public func buffered(on endpoint: ChannelEndpoint) async -> [TransportMessage] {
        await buffers[Self.key(endpoint)]?.buffered ?? []
    }

    /// How many messages `endpoint`'s buffer dropped because it was full.
    public func dropped(on endpoint: ChannelEndpoint) async -> Int {
        await buffers[Self.key(endpoint)]?.dropped ?? 0
    }

    public func subscribe(_ endpoint: ChannelEndpoint) async throws(MessageTransportError) {
        _ = buffer(for: endpoint)
    }

    public func send(_ message: TransportMessage, to endpoint: ChannelEndpoint) async throws(MessageTransportError) {
        sent.append((message, endpoint))
        // The sender's own subscription does not see the message: a request/reply on one
        // channel would otherwise receive its own request, which carries the very correlation
        // id the receive step waits for.
        for (reply, replyEndpoint) in responder?(message, endpoint) ?? [] {
            await buffer(for: replyEndpoint).deliver(reply)
        }
    }

    public func receive(
        from endpoint: ChannelEndpoint, timeout: Duration,
        where matches: @escaping @Sendable (TransportMessage) -> Bool
    ) async throws(MessageTransportError) -> TransportMessage {
        try await buffer(for: endpoint).take(timeout: timeout, describing: endpoint.description, where: matches)
    }

    public func close() async {
        for buffer in buffers.values {
            await buffer.close(MessageTransportError(.closed, "the in-memory broker was closed"))
        }
    }

    private func buffer(for endpoint: ChannelEndpoint) -> MessageBuffer {
        let key = Self.key(endpoint)
        if let existing = buffers[key] { return existing }
        let created = MessageBuffer(capacity: capacity)
        buffers[key] = created
        return created
    }

    /// Brokers address channels, so the address (not the server URL) is the key: two servers of
    /// one description reach the same topic.
    static func key(_ endpoint: ChannelEndpoint) -> String { endpoint.address }
}
