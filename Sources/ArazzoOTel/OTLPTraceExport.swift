public import Tracing
import Foundation

/// Why the OTLP exporter could not be set up: one line saying what to fix.
public struct OTLPSetupError: Error, Sendable, CustomStringConvertible {
    /// The line, without an `error:` prefix.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// Where spans go when `arazzo-run run` exports them: the endpoint the command line names, else
/// the OpenTelemetry environment (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`).
public enum OTLPEndpoint {
    /// The environment variables that name an endpoint without the flag.
    public static let environmentKeys = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"]

    /// The OTLP/HTTP traces URL for an endpoint given on the command line: a collector's base
    /// URL gets the signal path `/v1/traces` (as `OTEL_EXPORTER_OTLP_ENDPOINT` does); a URL that
    /// already ends in it is kept.
    public static func tracesURL(flag: String) -> Result<String, OTLPSetupError> {
        let lower = flag.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
              let hostStart = flag.range(of: "://")?.upperBound,
              let first = flag[hostStart...].first, first != "/", first != "?", first != "#"
        else {
            return .failure(OTLPSetupError(message: "expected an http:// or https:// URL with a host (an OpenTelemetry collector's OTLP/HTTP endpoint, usually port 4318)"))
        }
        if flag.hasSuffix("/v1/traces") { return .success(flag) }
        return .success((flag.hasSuffix("/") ? String(flag.dropLast()) : flag) + "/v1/traces")
    }

    /// Whether spans are exported: the flag is given, or the environment names an endpoint.
    public static func isRequested(flag: String?, environment: [String: String]) -> Bool {
        flag != nil || environmentKeys.contains { !(environment[$0] ?? "").isEmpty }
    }
}

#if OTLP  // Package.swift: swift-otel is resolved only with the OTLP trait
import Logging
import OTel
import ServiceLifecycle
import Synchronization

/// The OTLP/HTTP (protobuf) trace exporter of `arazzo-run run`: a tracer whose finished spans
/// a batch processor sends to the collector, running until ``shutdown(within:)`` flushes them.
/// The CLI scopes the tracer to the run with `withTracer` rather than bootstrapping it, so
/// nothing process-wide changes (the in-process CLI tests run many commands).
public final class OTLPTraceExport: Sendable {
    /// The tracer to scope the run to.
    public let tracer: any Tracer
    /// Where spans are sent (for messages).
    public let endpoint: String
    private let group: ServiceGroup
    private let running: Task<Void, Never>
    private let problems: ProblemLog
    /// How long one export (and the final flush) may take.
    static let exportTimeout = Duration.seconds(5)

    /// Starts the exporter. `flag` is the endpoint the command line gives (nil: the endpoint
    /// comes from the environment). The service name is `arazzo-run` unless `OTEL_SERVICE_NAME` says
    /// otherwise; swift-otel applies the `OTEL_*` variables of the process over these settings.
    public static func start(flag: String?) -> Result<OTLPTraceExport, OTLPSetupError> {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "arazzo-run"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        // A run must not wait long on a collector that is down: each export and the final flush
        // give up after 5 s (shutdown bounds the whole wait too).
        configuration.traces.otlpExporter.timeout = exportTimeout
        configuration.traces.batchSpanProcessor.exportTimeout = exportTimeout
        configuration.propagators = [.traceContext]
        let problems = ProblemLog()
        configuration.diagnosticLogger = .custom(Logger(label: "arazzo-run.otlp") { _ in ProblemCapture(log: problems) })
        configuration.diagnosticLogLevel = .warning
        if let flag {
            switch OTLPEndpoint.tracesURL(flag: flag) {
            case .success(let url): configuration.traces.otlpExporter.endpoint = url
            case .failure(let error): return .failure(error)
            }
        }
        let backend: (factory: any Tracer, service: any Service)
        do {
            let made = try OTel.makeTracingBackend(configuration: configuration)
            backend = (made.factory, made.service)
        } catch {
            return .failure(OTLPSetupError(message: "the OTLP trace exporter could not start: \(error)"))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: backend.service)], gracefulShutdownSignals: [],
            logger: Logger(label: "arazzo-run.otlp") { _ in SwiftLogNoOpLogHandler() }))
        // Detached: the exporter's own requests must not run inside the run's tracer scope.
        let running = Task.detached { do { try await group.run() } catch {} }
        return .success(OTLPTraceExport(
            tracer: backend.factory, endpoint: flag.flatMap { try? OTLPEndpoint.tracesURL(flag: $0).get() } ?? "the OTEL_EXPORTER_OTLP endpoint",
            group: group, running: running, problems: problems))
    }

    private init(tracer: any Tracer, endpoint: String, group: ServiceGroup, running: Task<Void, Never>, problems: ProblemLog) {
        self.tracer = tracer
        self.endpoint = endpoint
        self.group = group
        self.running = running
        self.problems = problems
    }

    /// Flushes every finished span and stops the exporter, waiting at most `limit`. Returns
    /// warnings for stderr: spans that could not be sent, or a flush that did not finish in time
    /// (the process may then exit with spans unsent; it never hangs on the collector).
    public func shutdown(within limit: Duration = .seconds(6)) async -> [String] {
        await group.triggerGracefulShutdown()
        let running = self.running
        let finished = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let once = ResumeOnce(continuation)
            Task.detached { await running.value; once.resume(true) }
            Task.detached { try? await Task.sleep(for: limit); once.resume(false) }
        }
        var warnings: [String] = problems.lines.first.map { problem -> [String] in
            // swift-otel words a collector that is down (connection refused, retried until the
            // export timeout) as a cancelled TimeoutError; say what it means.
            let reason = problem.contains("TimeoutError") ? "no answer within \(Self.exportTimeout.components.seconds) s (is a collector listening there?)" : problem
            return ["traces could not be sent to \(endpoint): \(reason)"]
        } ?? []
        if !finished {
            running.cancel()
            warnings.append("traces were not all sent to \(endpoint) within \(limit.components.seconds) s; giving up")
        }
        return warnings
    }
}

/// Resumes a continuation once, whichever of two racing tasks comes first.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Bool) {
        continuation.withLock { pending in
            pending?.resume(returning: value)
            pending = nil
        }
    }
}

/// What swift-otel's diagnostic logger reported at warning or above (a failed export), kept
/// for one warning line instead of its own log output.
final class ProblemLog: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }

    func append(_ line: String) {
        storage.withLock { $0.append(line) }
    }
}

/// A log handler that hands warnings and errors to a ``ProblemLog`` and drops the rest.
struct ProblemCapture: LogHandler {
    let log: ProblemLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level >= .warning else { return }
        let detail = event.error.map { "\($0)" } ?? (event.metadata?["error"] ?? metadata["error"]).map { "\($0)" }
        log.append(detail.map { "\(event.message) (\($0))" } ?? "\(event.message)")
    }
}
#else
/// Stands in for the exporter when the package is built without the OTLP trait.
public final class OTLPTraceExport: Sendable {
    /// Never reached: ``start(flag:)`` always fails without the trait.
    public var tracer: any Tracer { NoOpTracer() }

    /// Fails: this build has no exporter.
    public static func start(flag: String?) -> Result<OTLPTraceExport, OTLPSetupError> {
        .failure(OTLPSetupError(message: "this arazzo-run was built without the OTLP trait, so it cannot export traces"))
    }

    /// Nothing to flush.
    public func shutdown(within limit: Duration = .seconds(6)) async -> [String] { [] }
}
#endif
