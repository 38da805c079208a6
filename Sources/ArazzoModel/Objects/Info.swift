public import ArazzoDiagnostics

/// Metadata about the workflows of the document (spec: "Info Object").
public struct Info: Sendable, Hashable {
    /// `title` (required).
    public let title: String
    /// `summary`.
    public let summary: String?
    /// `description` (CommonMark).
    public let description: String?
    /// `version` (required): the document's own version, as written. An unquoted `1.0` is accepted
    /// and keeps its text (YAML reads it as a number; the author meant the text).
    public let version: String
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
