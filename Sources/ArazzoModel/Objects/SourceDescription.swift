public import ArazzoDiagnostics

/// An API description or Arazzo document the workflows refer to (spec: "Source Description
/// Object").
public struct SourceDescription: Sendable, Hashable {
    /// The kinds of source a description may be.
    public enum SourceType: String, Sendable, Hashable, CaseIterable {
        /// An OpenAPI description.
        case openapi
        /// Another Arazzo document.
        case arazzo
        /// An AsyncAPI description (Arazzo 1.1).
        case asyncapi
    }

    /// `name` (required): unique; used as `$sourceDescriptions.<name>`.
    public let name: String
    /// `url` (required): a URI-reference, resolved against the document's own URL.
    public let url: String
    /// `type`: nil when omitted (the engine sniffs the loaded document).
    public let type: SourceType?
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
