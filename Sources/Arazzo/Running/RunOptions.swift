import Foundation
public import ArazzoExecutor
public import Logging
import Synchronization

/// Guards for one run; every one has a sane default.
public struct RunLimits: Sendable, Hashable {
    /// The most steps (attempts included, nested workflows included) one run may execute: the
    /// guard against `goto` loops (decision A27). Default 1 000.
    public var maxSteps: Int
    /// The deepest nesting of workflow steps, `goto` workflows and dependencies. Default 16.
    public var maxDepth: Int
    /// The timeout of each HTTP exchange. Default 30 s.
    public var requestTimeout: Duration
    /// The whole run's deadline; nil (the default) for none.
    public var runDeadline: Duration?
    /// The largest response body accepted. Default 16 MiB.
    public var maxResponseBytes: Int
    /// The longest delay a retry may wait (`retryAfter` or `Retry-After`, whichever is larger, is
    /// capped to this and the cap is reported). Default 5 minutes.
    public var maxRetryDelay: Duration

    /// Creates limits.
    public init(
        maxSteps: Int = 1_000, maxDepth: Int = 16, requestTimeout: Duration = .seconds(30),
        runDeadline: Duration? = nil, maxResponseBytes: Int = 16 << 20, maxRetryDelay: Duration = .seconds(300)
    ) {
        self.maxSteps = maxSteps
        self.maxDepth = maxDepth
        self.requestTimeout = requestTimeout
        self.runDeadline = runDeadline
        self.maxResponseBytes = maxResponseBytes
        self.maxRetryDelay = maxRetryDelay
    }

    /// The defaults.
    public static let `default` = RunLimits()
}

/// How to run: where requests go, with which credentials and limits.
public struct RunOptions: Sendable {
    /// Sends the HTTP requests.
    public var executor: any StepExecutor
    /// Credentials by source description or security scheme.
    public var credentials: Credentials
    /// Source description name → base URL replacing the description's server URL entirely
    /// (e.g. `stytchB2bApi` → `http://127.0.0.1:8080`).
    public var serverOverrides: [String: String]
    /// Guards.
    public var limits: RunLimits
    /// The run's clock: retry delays sleep on it, and the run deadline, step timeouts and the
    /// durations in results are measured on it; tests inject one that does not really sleep.
    public var clock: any Clock<Duration>
    /// Build every request but send none: steps get no response (criteria see no status).
    public var dryRun: Bool
    /// Fill missing inputs with the `default`s of the workflow's inputs schema. Default true.
    public var applyInputDefaults: Bool
    /// Step outputs whose values are secret (e.g. a token a login step returns): redacted, with
    /// their encodings, from everything recorded once they have a value. Default none (a
    /// document may still mark outputs with `x-arazzo-secret-outputs`).
    public var secretOutputs: SecretOutputs
    /// The message transports AsyncAPI steps (Arazzo 1.1) send and receive through, by server
    /// protocol. Default: none, so an AsyncAPI step fails with a `noTransport` error naming its
    /// protocol; the CLI registers the WebSocket transport for `ws`/`wss`, and `--mock` an
    /// in-memory broker as the fallback (docs/asyncapi.md). The caller owns the transports and
    /// closes them after the run.
    public var messageTransports: MessageTransports
    /// Which contract checks hold each OpenAPI request and response to its description, and how
    /// a finding counts (docs/contracts.md). Default: every check at `warn`, like the CLI's
    /// `--contract warn`: findings are reported, the run's outcome does not change.
    public var contract: ContractPolicy
    /// Watch every workflow run and step attempt with paired start/finish callbacks
    /// (docs/observability.md). Default none.
    public var observers: [any RunObserver]
    /// Where the run logs (docs/observability.md, "Logging"): `info` workflow starts and ends,
    /// `debug` requests, criteria and actions, `warning` retries exhausted and the like, with the
    /// run ids as metadata and secrets redacted. Default: a logger that drops everything, so
    /// nothing is logged unless you set one (e.g. `Logger(label: "arazzo")` after bootstrapping
    /// swift-log, with its `logLevel` set).
    public var logger: Logger
    /// The cookie jar the run's HTTP requests share (docs/networking.md, "Cookies"): every
    /// response's `Set-Cookie` is stored in it and every request without a `Cookie` header of its
    /// own gets the matching cookies (decisions CK1–CK4). Default nil: no cookie is kept or sent
    /// beyond what the document sends itself. Give several runs one jar to share a login.
    public var cookies: CookieJar?
    /// How OAuth 2.0 flows that need a user (the authorization code flow with PKCE) are driven
    /// (docs/networking.md, "OAuth"). Default: no user agent, so such a flow fails its step with
    /// a message saying so.
    public var oauth: OAuthOptions

    /// Options with default credentials (none), limits and the continuous clock.
    public init(executor: any StepExecutor) {
        self.executor = executor
        self.credentials = Credentials()
        self.serverOverrides = [:]
        self.limits = .default
        self.clock = ContinuousClock()
        self.dryRun = false
        self.applyInputDefaults = true
        self.secretOutputs = SecretOutputs()
        self.messageTransports = MessageTransports()
        self.contract = ContractPolicy()
        self.observers = []
        self.logger = Self.quietLogger
        self.cookies = nil
        self.oauth = OAuthOptions()
    }

    /// Drops every line: the default ``logger``.
    static let quietLogger = Logger(label: "arazzo", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// A clock whose `sleep` returns at once while time appears to pass: retry delays in tests and
/// dry runs cost nothing, and ``slept`` tells how long the run asked to wait.
public final class ImmediateClock: Clock, Sendable {
    /// An instant of this clock.
    public struct Instant: InstantProtocol, Sendable {
        /// Time since the clock was created.
        public var offset: Duration
        /// Moves the instant.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        /// The time between two instants.
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        /// Orders instants.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    // Behind a mutex: the clock is shared by a run's tasks.
    private struct State {
        var current = Instant(offset: .zero)
        var sleeps: [Duration] = []
    }
    private let state = Mutex(State())

    /// A clock at time zero.
    public init() {}

    /// The current instant.
    public var now: Instant { state.withLock { $0.current } }
    /// The smallest sleep this clock distinguishes.
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Advances time to `deadline` without waiting.
    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            if deadline > state.current {
                state.sleeps.append(state.current.duration(to: deadline))
                state.current = deadline
            }
        }
    }

    /// Every sleep requested so far, in order.
    public var slept: [Duration] { state.withLock { $0.sleeps } }
}

