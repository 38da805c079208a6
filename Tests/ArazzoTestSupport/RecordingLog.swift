public import Logging
import Synchronization

/// An in-memory log for tests: every record (level, message, metadata) in the order it was
/// logged, from any number of loggers and tasks. Hand `logger(level:)` to the engine, or
/// `handler` to anything that makes its own loggers (the CLI's `CLISettings.logHandler`).
public final class RecordingLog: Sendable {
    /// One logged line.
    public struct Record: Sendable {
        /// The level it was logged at.
        public var level: Logger.Level
        /// The message.
        public var message: String
        /// The logger's metadata merged with the record's own (the record's win).
        public var metadata: Logger.Metadata

        /// The message and every metadata value (`key=value`, sorted by key), for leak searches.
        public var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }

        /// The record as one line: `level message key=value…`.
        public var line: String { "\(level) \(text)" }
    }

    // Behind a mutex: the engine logs from several tasks at once.
    private let list = Mutex<[Record]>([])

    /// Creates an empty log.
    public init() {}

    /// Every record so far, oldest first.
    public var records: [Record] { list.withLock { $0 } }

    /// Every record so far as lines (`Record.line`), each ending in a newline.
    public var text: String { records.map { $0.line + "\n" }.joined() }

    /// A logger at `level` that writes here.
    public func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "test") { _ in self.handler }
        logger.logLevel = level
        return logger
    }

    /// A fresh handler that writes here (at `.trace` until its logger sets a level).
    public var handler: RecordingLogHandler { RecordingLogHandler(log: self) }

    fileprivate func add(_ record: Record) { list.withLock { $0.append(record) } }
}

/// The `LogHandler` behind `RecordingLog`: it keeps its own metadata and level, as swift-log
/// expects of a value-type handler, and appends each record to the shared log.
public struct RecordingLogHandler: LogHandler {
    /// Where records go.
    public let log: RecordingLog
    /// The logger's metadata.
    public var metadata: Logger.Metadata = [:]
    /// The logger's level.
    public var logLevel: Logger.Level = .trace

    /// The logger's metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Appends the record with the logger's metadata merged in.
    public func log(event: LogEvent) {
        log.add(RecordingLog.Record(
            level: event.level, message: "\(event.message)", metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
