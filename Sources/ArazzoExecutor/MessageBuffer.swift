/// The bounded buffer of one subscribed channel, shared by the transports: arriving messages are
/// handed to a waiting receive whose predicate matches, or kept (oldest dropped past the bound)
/// until a receive asks for them.
///
/// Why a buffer and not a stream: a receive step names a correlation id, so it takes the first
/// *matching* message and leaves the others for later steps; and a reply may come before the
/// receive step starts.
public actor MessageBuffer {
    private struct Waiter {
        let id: Int
        let matches: @Sendable (TransportMessage) -> Bool
        let continuation: CheckedContinuation<Result<TransportMessage, MessageTransportError>, Never>
    }

    /// The most messages kept; the oldest is dropped to make room.
    public let capacity: Int
    private var messages: [TransportMessage] = []
    private var waiters: [Waiter] = []
    private var nextWaiter = 0
    private var closedReason: MessageTransportError?
    /// How many messages were dropped because the buffer was full (for reports and tests).
    public private(set) var dropped = 0

    /// Creates a buffer keeping at most `capacity` (at least one) messages.
    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
    }

    /// The messages waiting, oldest first.
    public var buffered: [TransportMessage] { messages }

    /// Delivers an arriving message: to the oldest waiting receive it matches, else into the buffer.
    public func deliver(_ message: TransportMessage) {
        if let index = waiters.firstIndex(where: { $0.matches(message) }) {
            let waiter = waiters.remove(at: index)
            waiter.continuation.resume(returning: .success(message))
            return
        }
        messages.append(message)
        if messages.count > capacity {
            messages.removeFirst(messages.count - capacity)
            dropped += 1
        }
    }

    /// Fails every pending receive (and later ones) with `reason`; buffered messages stay
    /// readable, since they arrived before the close.
    public func close(_ reason: MessageTransportError) {
        closedReason = reason
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.continuation.resume(returning: .failure(reason)) }
    }

    /// The first buffered or arriving message `matches` accepts, within `timeout`.
    public func take(
        timeout: Duration, describing endpoint: String,
        where matches: @escaping @Sendable (TransportMessage) -> Bool
    ) async throws(MessageTransportError) -> TransportMessage {
        if let index = messages.firstIndex(where: matches) {
            return messages.remove(at: index)
        }
        if let closedReason { throw closedReason }
        let id = nextWaiter
        nextWaiter += 1
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            await self?.fail(
                id, MessageTransportError(.timeout, "no matching message on \(endpoint) within \(Self.describe(timeout))"))
        }
        defer { timer.cancel() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<TransportMessage, MessageTransportError>, Never>) in
                waiters.append(Waiter(id: id, matches: matches, continuation: continuation))
            }
        } onCancel: {
            Task { await self.fail(id, MessageTransportError(.cancelled, "the receive on \(endpoint) was cancelled")) }
        }
        return try result.get()
    }

    private func fail(_ id: Int, _ error: MessageTransportError) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.continuation.resume(returning: .failure(error))
    }

    /// `250 ms`, `6 s`: the timeout as people wrote it in milliseconds.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
