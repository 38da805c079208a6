import ArazzoAsyncAPI
import ArazzoExecutor
import ArazzoJSON
import Testing

@Suite("Message transports: buffer, registry, in-memory broker")
struct MessageTransportTests {
    static let requests = ChannelEndpoint(protocol: "kafka", url: "kafka://broker:9092/place-order", address: "place-order")
    static let replies = ChannelEndpoint(protocol: "kafka", url: "kafka://broker:9092/confirm-order", address: "confirm-order")

    @Test("a protocol without a transport is a typed error naming the protocol")
    func noTransport() throws {
        var transports = MessageTransports()
        transports.register(InMemoryBroker(), for: ["ws"])
        #expect(throws: Never.self) { _ = try transports.transport(for: "WS") }
        for name in ["kafka", "mqtt", "amqp"] {
            do {
                _ = try transports.transport(for: name)
                Issue.record("\(name) found a transport")
            } catch {
                #expect(error.kind == .noTransport)
                #expect(error.message.contains("'\(name)'"))
            }
        }
    }

    @Test("a fallback transport (the broker under --mock) serves every protocol without its own")
    func fallback() async throws {
        let broker = InMemoryBroker()
        let transports = MessageTransports(["ws": InMemoryBroker()], fallback: broker)
        let kafka = try transports.transport(for: "kafka")
        try await kafka.send(TransportMessage(payload: .text("hi")), to: Self.requests)
        #expect(await broker.sent.count == 1)
    }

    @Test("the buffer hands the first matching message over, keeps the rest, and drops the oldest past its bound")
    func buffer() async throws {
        let buffer = MessageBuffer(capacity: 2)
        for id in 1...3 { await buffer.deliver(TransportMessage(payload: .json(["id": .int(id)]))) }
        #expect(await buffer.dropped == 1)
        let third = try await buffer.take(timeout: .milliseconds(50), describing: "test") { $0.payload.jsonValue?["id"] == 3 }
        #expect(third.payload == .json(["id": 3]))
        #expect(await buffer.buffered.map(\.payload) == [.json(["id": 2])])
    }

    @Test("a receive that nothing matches times out with a typed error")
    func timeout() async throws {
        let buffer = MessageBuffer()
        await buffer.deliver(TransportMessage(payload: .text("unrelated")))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await buffer.take(timeout: .milliseconds(150), describing: "ws://x/y") { _ in false }
            Issue.record("received")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.message == "no matching message on ws://x/y within 150 ms")
        }
        #expect(clock.now - start >= .milliseconds(140))
        #expect(await buffer.buffered.count == 1)
    }

    @Test("a waiting receive gets a message that arrives later")
    func waitingReceive() async throws {
        let buffer = MessageBuffer()
        async let received = buffer.take(timeout: .seconds(5), describing: "test") { $0.headers["id"] == "b" }
        try await Task.sleep(for: .milliseconds(50))
        await buffer.deliver(TransportMessage(headers: ["id": "a"], payload: .text("first")))
        await buffer.deliver(TransportMessage(headers: ["id": "b"], payload: .text("second")))
        #expect(try await received.payload == .text("second"))
        #expect(await buffer.buffered.map(\.payload) == [.text("first")])
    }

    @Test("the in-memory broker: send, the responder's reply buffered before the receive, correlation by header")
    func broker() async throws {
        let correlation = try #require(CorrelationID(location: "$message.header#/orderRequestId"))
        let broker = InMemoryBroker { request, _ in
            let id = request.headers["orderRequestId"] ?? .null
            return [
                (TransportMessage(headers: ["orderRequestId": "someone-else"], payload: .json(["orderId": 1])), Self.replies),
                (TransportMessage(headers: ["orderRequestId": id], payload: .json(["orderId": 2])), Self.replies),
            ]
        }
        try await broker.subscribe(Self.replies)
        try await broker.send(TransportMessage(headers: ["orderRequestId": "r-1"], payload: .json(["petId": 7])), to: Self.requests)
        // The reply is already there before anyone receives.
        #expect(await broker.buffered(on: Self.replies).count == 2)
        let reply = try await broker.receive(from: Self.replies, timeout: .seconds(1)) { correlation.matches($0, expected: "r-1") }
        #expect(reply.payload == .json(["orderId": 2]))
        #expect(await broker.sent.count == 1)
        // The sender's own channel does not echo the request back.
        do {
            _ = try await broker.receive(from: Self.requests, timeout: .milliseconds(50)) { _ in true }
            Issue.record("the request came back")
        } catch {
            #expect(error.kind == .timeout)
        }
    }

    @Test("closing fails pending receives with .closed")
    func closing() async throws {
        let broker = InMemoryBroker()
        async let pending = broker.receive(from: Self.replies, timeout: .seconds(5)) { _ in true }
        try await Task.sleep(for: .milliseconds(50))
        await broker.close()
        do {
            _ = try await pending
            Issue.record("received")
        } catch let error as MessageTransportError {
            #expect(error.kind == .closed)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
