public import ArazzoDiagnostics

/// A value passed to an operation or workflow (spec: "Parameter Object").
public struct Parameter: Sendable, Hashable {
    /// Where a parameter goes (`in`).
    public enum Location: String, Sendable, Hashable, CaseIterable {
        /// A path template variable.
        case path
        /// A query parameter.
        case query
        /// A request header.
        case header
        /// A cookie.
        case cookie
    }

    /// `name` (required), case-sensitive.
    public let name: String
    /// `in`: required unless the step calls a workflow (then parameters map to its inputs).
    public let `in`: Location?
    /// `value` (required): a constant of any type, or a runtime expression / `{$…}` template.
    public let value: LocatedValue
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
