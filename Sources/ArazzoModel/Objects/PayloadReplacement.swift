public import ArazzoDiagnostics

/// A value to set at a place in the payload (spec: "Payload Replacement Object").
public struct PayloadReplacement: Sendable, Hashable {
    /// `target` (required): a JSON Pointer (JSON bodies) or an XPath (XML bodies).
    public let target: String
    /// `value` (required): a constant of any type or a runtime expression.
    public let value: LocatedValue
    /// `targetSelectorType` (Arazzo 1.1): the language of ``target``; nil means JSON Pointer for
    /// JSON bodies and XPath for XML ones.
    public internal(set) var targetSelectorType: SelectorType? = nil
    /// `value` as a Selector Object (Arazzo 1.1); then ``value`` holds the mapping as written.
    public internal(set) var selector: Selector? = nil
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
