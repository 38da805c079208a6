public import ArazzoDiagnostics

/// The body a step sends (spec: "Request Body Object").
public struct RequestBody: Sendable, Hashable {
    /// `contentType`; nil means "use the operation's".
    public let contentType: String?
    /// `payload`: any value; string leaves may be runtime expressions or `{$…}` templates.
    public let payload: LocatedValue?
    /// `replacements`, applied in order after the payload is evaluated.
    public let replacements: [PayloadReplacement]
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
