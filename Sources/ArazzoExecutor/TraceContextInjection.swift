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
