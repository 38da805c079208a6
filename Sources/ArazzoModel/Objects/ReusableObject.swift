public import ArazzoDiagnostics

/// A reference to a component (spec: "Reusable Object").
public struct ReusableObject: Sendable, Hashable {
    /// The component maps a Reusable Object can point into.
    public enum ComponentKind: String, Sendable, Hashable, CaseIterable {
        /// `$components.parameters.<key>`.
        case parameters
        /// `$components.successActions.<key>`.
        case successActions
        /// `$components.failureActions.<key>`.
        case failureActions
    }

    /// `reference` (required): the runtime expression `$components.<kind>.<key>`.
    public let reference: ExpressionString
    /// `value`: overrides the referenced parameter's value (any type; decision A22).
    public let value: LocatedValue?
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]

    /// The component kind and key named by ``reference``; nil unless it has the form
    /// `$components.<parameters|successActions|failureActions>.<key>`.
    public var component: (kind: ComponentKind, key: String)? {
        let prefix = "$components."
        guard reference.text.hasPrefix(prefix) else { return nil }
        let rest = reference.text.dropFirst(prefix.count)
        guard let dot = rest.firstIndex(of: "."), let kind = ComponentKind(rawValue: String(rest[..<dot])) else {
            return nil
        }
        let key = rest[rest.index(after: dot)...]
        guard !key.isEmpty else { return nil }
        return (kind, String(key))
    }
}
