public import Instrumentation

/// Writes trace context into a request's header fields for any `Instrument` (the W3C
/// `traceparent` and `tracestate` of an OpenTelemetry tracer, or whatever the bootstrapped
/// instrument propagates). Each field replaces one of the same name, so a request re-injected by
/// an inner span (the HTTP client span under the step span) carries only the innermost context.
public struct HeaderFieldsInjector: Injector {
    /// Creates the injector.
    public init() {}

    /// Sets `key` to `value`, replacing any field of that name.
    public func inject(_ value: String, forKey key: String, into carrier: inout HeaderFields) {
        carrier.set(name: key, value: value)
    }
}

extension HTTPRequest {
    /// The request with `context` injected into its headers through `instrument`.
    public func injecting(_ context: InstrumentationContext, through instrument: some Instrument) -> HTTPRequest {
        var copy = self
        instrument.inject(context, into: &copy.headers, using: HeaderFieldsInjector())
        return copy
    }
}

/// Whether any instrument is active, answered without the search `InstrumentationSystem.tracer`
/// makes: that one casts the instrument to `any Tracer` (a protocol-conformance lookup) on every
/// read, which cost the engine about 3,300 instructions per run and the HTTP executor as much per
/// request (docs/performance.md). When neither a `withTracer` scope nor a bootstrap set one, the
/// instrument is the library's `NoOpInstrument`, so no tracer can record; anything else is handed
/// to the full search. Read at each use: a bootstrap may come after an engine or executor exists.
package enum ActiveInstrument {
    /// True when the active instrument is the default `NoOpInstrument` (nothing records).
    package static var isNone: Bool {
        ObjectIdentifier(type(of: InstrumentationSystem.instrument)) == ObjectIdentifier(NoOpInstrument.self)
    }
}
