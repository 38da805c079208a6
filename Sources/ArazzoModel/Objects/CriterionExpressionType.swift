public import ArazzoDiagnostics

/// The type and version of a JSONPath, XPath or (1.1) JSON Pointer expression (spec 1.0:
/// "Criterion Expression Type Object", 1.1: "Expression Type Object"), written as the value of a
/// criterion's or selector's `type`.
public struct CriterionExpressionType: Sendable, Hashable {
    /// `type`.
    public enum ExpressionKind: String, Sendable, Hashable, CaseIterable {
        /// JSONPath.
        case jsonpath
        /// XPath.
        case xpath
        /// JSON Pointer (Arazzo 1.1; selectors only).
        case jsonpointer

        /// The `version` values Arazzo 1.0.1 allows for this kind.
        public var allowedVersions: [String] { allowedVersions(in: .v1_0) }

        /// The `version` values `featureSet` allows for this kind.
        public func allowedVersions(in featureSet: ArazzoVersion.FeatureSet) -> [String] {
            switch (self, featureSet) {
            case (.jsonpath, .v1_0): return ["draft-goessner-dispatch-jsonpath-00"]
            case (.xpath, .v1_0): return ["xpath-30", "xpath-20", "xpath-10"]
            case (.jsonpointer, .v1_0): return []
            case (.jsonpath, .v1_1): return ["rfc9535", "draft-goessner-dispatch-jsonpath-00"]
            case (.xpath, .v1_1): return ["xpath-31", "xpath-30", "xpath-20", "xpath-10"]
            case (.jsonpointer, .v1_1): return ["rfc6901"]
            }
        }

        /// The version an Arazzo 1.1 Expression Type Object without `version` means.
        public var defaultVersion: String {
            switch self {
            case .jsonpath: return "rfc9535"
            case .xpath: return "xpath-31"
            case .jsonpointer: return "rfc6901"
            }
        }
    }

    /// `type` (required).
    public let type: ExpressionKind
    /// `version`: required in 1.0; in 1.1 an omitted one is ``ExpressionKind/defaultVersion``.
    public let version: String
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
