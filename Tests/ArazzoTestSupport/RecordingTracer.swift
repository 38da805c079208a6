public import Tracing
import Synchronization

/// An in-memory tracer for tests: it records every span (name, kind, ids, parent, attributes,
/// status, errors) and injects W3C `traceparent` headers, with ids counted up from 1 so tests
/// can name them. Scope it to the code under test with `withTracer`, never bootstrap it: tests
/// run in parallel in one process.
public final class RecordingTracer: Tracer, Sendable {
    /// One span as it ended (or as it stands, while open).
    public struct Record: Sendable, CustomStringConvertible {
        /// The operation name.
        public var name: String
        /// `client`, `internal`, ….
        public var kind: String
        /// 32 hex digits.
        public var traceID: String
        /// 16 hex digits.
        public var spanID: String
        /// The parent's span id; nil for a root span.
        public var parentSpanID: String?
        /// Attribute values as text.
        public var attributes: [String: String]
        /// `ok`, `error` or nil when never set.
        public var status: String?
        /// The status message.
        public var statusMessage: String?
        /// Errors recorded, as text.
        public var errors: [String]
        /// Whether `end` was called.
        public var ended: Bool

        /// `name [kind] attributes`.
        public var description: String { "\(name) [\(kind)] \(attributes.sorted { $0.key < $1.key })" }
    }

    private struct State {
        var records: [Record] = []
        var nextTrace = 0
        var nextSpan = 0
    }

    private let state = Mutex(State())

    /// An empty tracer.
    public init() {}

    /// Every span started, in start order.
    public var spans: [Record] { state.withLock { $0.records } }

    /// The span named `name`; fails the test (returns nil) when there is not exactly one.
    public func span(named name: String) -> Record? {
        let matches = spans.filter { $0.name == name }
        return matches.count == 1 ? matches[0] : nil
    }

    /// Starts a span under the span in `context`, or a new trace.
    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> RecordedSpan {
        var context = context()
        let parent = context[RecordedSpanKey.self]
        let (index, ids) = state.withLock { state -> (Int, RecordedSpanIDs) in
            state.nextSpan += 1
            let traceID: String
            if let parent {
                traceID = parent.traceID
            } else {
                state.nextTrace += 1
                traceID = Self.hex(state.nextTrace, digits: 32)
            }
            let ids = RecordedSpanIDs(traceID: traceID, spanID: Self.hex(state.nextSpan, digits: 16))
            state.records.append(Record(
                name: operationName, kind: "\(kind)", traceID: ids.traceID, spanID: ids.spanID, parentSpanID: parent?.spanID,
                attributes: [:], status: nil, statusMessage: nil, errors: [], ended: false))
            return (state.records.count - 1, ids)
        }
        context[RecordedSpanKey.self] = ids
        return RecordedSpan(tracer: self, index: index, context: context, name: operationName)
    }

    /// Nothing is buffered.
    public func forceFlush() {}

    /// Writes `traceparent: 00-<trace id>-<span id>-01` for the span in `context`.
    public func inject<Carrier, Inject: Injector>(
        _ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        guard let ids = context[RecordedSpanKey.self] else { return }
        injector.inject("00-\(ids.traceID)-\(ids.spanID)-01", forKey: "traceparent", into: &carrier)
    }

    /// Reads nothing (the tests inject only).
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {}

    fileprivate func update(_ index: Int, _ change: (inout Record) -> Void) {
        state.withLock { change(&$0.records[index]) }
    }

    fileprivate func record(_ index: Int) -> Record {
        state.withLock { $0.records[index] }
    }

    private static func hex(_ value: Int, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// The ids a recorded span puts in its context.
public struct RecordedSpanIDs: Sendable, Hashable {
    /// 32 hex digits.
    public var traceID: String
    /// 16 hex digits.
    public var spanID: String
}

/// Where a ``RecordingTracer`` keeps a span's ids in an `InstrumentationContext`.
public enum RecordedSpanKey: InstrumentationContextKey {
    /// The ids.
    public typealias Value = RecordedSpanIDs
}

/// A span of a ``RecordingTracer``: every change goes straight to the tracer's record.
public struct RecordedSpan: Span {
    let tracer: RecordingTracer
    let index: Int
    /// The context carrying this span's ids.
    public let context: InstrumentationContext
    private let name: String

    init(tracer: RecordingTracer, index: Int, context: InstrumentationContext, name: String) {
        self.tracer = tracer
        self.index = index
        self.context = context
        self.name = name
    }

    /// The name the span was started with (renaming is recorded).
    public var operationName: String {
        get { tracer.record(index).name }
        nonmutating set { tracer.update(index) { $0.name = newValue } }
    }

    /// Records `status`.
    public func setStatus(_ status: SpanStatus) {
        tracer.update(index) {
            $0.status = "\(status.code)"
            $0.statusMessage = status.message
        }
    }

    /// Events are not recorded.
    public func addEvent(_ event: SpanEvent) {}

    /// Records the error's text.
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        tracer.update(index) { $0.errors.append("\(error)") }
    }

    /// The attributes, kept as text by the tracer.
    public var attributes: SpanAttributes {
        get {
            var attributes = SpanAttributes()
            for (key, value) in tracer.record(index).attributes { attributes[key] = value }
            return attributes
        }
        nonmutating set {
            var text: [String: String] = [:]
            newValue.forEach { key, value in text[key] = Self.text(value) }
            tracer.update(index) { $0.attributes = text }
        }
    }

    /// Always recording.
    public var isRecording: Bool { true }

    /// Links are not recorded.
    public func addLink(_ link: SpanLink) {}

    /// Marks the span ended.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        tracer.update(index) { $0.ended = true }
    }

    private static func text(_ value: SpanAttribute) -> String {
        switch value {
        case .string(let s): return s
        case .int64(let i): return String(i)
        case .int32(let i): return String(i)
        case .bool(let b): return String(b)
        case .double(let d): return String(d)
        default: return "\(value)"
        }
    }
}
