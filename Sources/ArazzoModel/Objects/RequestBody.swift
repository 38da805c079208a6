public import ArazzoDiagnostics

/// The body a step sends (spec: "Request Body Object").
public struct RequestBody: Sendable, Hashable {
    /// `contentType`; nil means "use the operation's".
    public let contentType: String?
    /// `payload`: any value; string leaves may be runtime expressions or `{$…}` templates.
    public let payload: LocatedValue?
    /// `replacements`, applied in order after the payload is evaluated.
    public let replacements: [PayloadReplacement]
    /// The Selector Objects written inside ``payload`` (Arazzo 1.1, decision S6), in document
    /// order; each is replaced by what it selects. Always empty in a 1.0 document.
    public internal(set) var payloadSelectors: [PayloadSelector] = []
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}

/// A Selector Object inside a request body `payload` (Arazzo 1.1, decision S6): a mapping whose
/// keys are exactly `context`, `selector` and `type` (plus `x-` extensions).
public struct PayloadSelector: Sendable, Hashable {
    /// The JSON Pointer of the mapping inside the payload (`""` for the whole payload).
    public let path: String
    /// The Selector Object.
    public let selector: Selector
}
