import ArazzoJSON
import ArazzoOpenAPI
public import ArazzoExecutor
public import ArazzoAsyncAPI
import OrderedCollections

/// The `--mock` message transport (decision AS3): an ``InMemoryBroker`` that serves every
/// protocol (set it as ``MessageTransports/fallback``), so a description naming Kafka or MQTT runs
/// without a broker. Sends are recorded and go nowhere; a receive step gets the first matching
/// message already buffered, else one the engine sampled from the AsyncAPI message schema with
/// the expected correlation id written where the message's `correlationId.location` points.
public actor AsyncAPIMockTransport: MessageSampling {
    /// The broker holding the buffers; tests may `publish` on it or read what was `sent`.
    public let broker: InMemoryBroker

    /// A mock over a fresh broker.
    public init(broker: InMemoryBroker = InMemoryBroker()) {
        self.broker = broker
    }

    public func offer(_ sample: TransportMessage, on endpoint: ChannelEndpoint) async {
        // Queued after what is already there: a real matching message is taken first.
        await broker.publish(sample, on: endpoint)
    }

    public func subscribe(_ endpoint: ChannelEndpoint) async throws(MessageTransportError) {
        try await broker.subscribe(endpoint)
    }

    public func send(_ message: TransportMessage, to endpoint: ChannelEndpoint) async throws(MessageTransportError) {
        try await broker.send(message, to: endpoint)
    }

    public func receive(
        from endpoint: ChannelEndpoint, timeout: Duration, where matches: @escaping @Sendable (TransportMessage) -> Bool
    ) async throws(MessageTransportError) -> TransportMessage {
        try await broker.receive(from: endpoint, timeout: timeout, where: matches)
    }

    public func close() async {
        await broker.close()
    }
}

/// Makes up a message an AsyncAPI channel may carry: the payload and headers sampled from the
/// message's schemas (the OpenAPI mock's sampler: examples, defaults, enums, then the types),
/// and the correlation id, when one is expected, written at the message's correlation location.
struct MessageSampler {
    let source: AsyncAPISource

    func sample(for target: MessageTarget, correlationId expected: JSONValue?) -> TransportMessage {
        let root = source.root
        var sampler = SchemaSampler(resolve: { reference in
            guard reference.hasPrefix("#"),
                  let pointer = try? JSONPointer(parsing: percentDecoded(String(reference.dropFirst()))) else { return nil }
            return try? pointer.resolve(in: root)
        })
        let message = target.messages.first
        var payload = message?.payload.map { sampler.sample($0, name: nil, depth: 0) } ?? .object([:])
        var headers = message?.headers.map { sampler.sample($0, name: nil, depth: 0) } ?? .object([:])
        if let expected, let location = message?.correlationId ?? target.correlationIDs.first {
            let pointer = location.pointer.description
            switch location.source {
            case .payload:
                payload = pointer.isEmpty ? expected : ((try? RequestBodyEncoder.replacing(in: payload, target: pointer, with: expected)) ?? payload)
            case .header:
                if !pointer.isEmpty, let updated = try? RequestBodyEncoder.replacing(in: headers, target: pointer, with: expected) {
                    headers = updated
                }
            }
        }
        var headerValues: [String: JSONValue] = [:]
        for (name, value) in headers.objectValue ?? [:] { headerValues[name] = value }
        return TransportMessage(
            headers: headerValues, payload: .json(payload),
            contentType: message?.contentType ?? source.index.document.defaultContentType)
    }
}
