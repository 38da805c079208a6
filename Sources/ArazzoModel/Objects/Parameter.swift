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
        /// The whole query string from one value (Arazzo 1.1, OpenAPI 3.2).
        case querystring
        /// An AsyncAPI channel parameter (Arazzo 1.1 schema).
        case channel

        /// Whether the location exists in `featureSet` (`querystring` and `channel` came with 1.1).
        public func isAllowed(in featureSet: ArazzoVersion.FeatureSet) -> Bool {
            switch self {
            case .path, .query, .header, .cookie: return true
            case .querystring, .channel: return featureSet == .v1_1
            }
        }
    }

    /// `name` (required), case-sensitive.
    public let name: String
    /// `in`: required unless the step calls a workflow (then parameters map to its inputs).
    public let `in`: Location?
    /// `value` (required): a constant of any type, or a runtime expression / `{$…}` template.
    public let value: LocatedValue
    /// `value` as a Selector Object (Arazzo 1.1); then ``value`` holds the mapping as written.
    public internal(set) var selector: Selector? = nil
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
