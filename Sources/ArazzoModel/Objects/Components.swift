public import ArazzoDiagnostics
public import OrderedCollections

/// Reusable objects of the document (spec: "Components Object").
public struct Components: Sendable, Hashable {
    /// `inputs`: JSON Schemas referenced from workflow `inputs` via `$ref`.
    public let inputs: OrderedDictionary<String, LocatedValue>
    /// `parameters`: targets of `$components.parameters.<key>`.
    public let parameters: OrderedDictionary<String, Parameter>
    /// `successActions`: targets of `$components.successActions.<key>`.
    public let successActions: OrderedDictionary<String, SuccessAction>
    /// `failureActions`: targets of `$components.failureActions.<key>`.
    public let failureActions: OrderedDictionary<String, FailureAction>
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
