public import ArazzoDiagnostics
public import ArazzoYAML

/// The root object of an Arazzo Description (spec: "Arazzo Specification Object").
///
/// Locations: every object in this model carries `location` (where its mapping starts) and
/// `locations`, the place of each fixed field's *value* keyed by the field name as written in the
/// spec (e.g. `locations["workflowId"]`). Extensions keep their own places in ``Extensions``.
public struct ArazzoSpecification: Sendable, Hashable {
    /// `arazzo`: the spec version the document is written for.
    public let arazzo: ArazzoVersion
    /// `info`: metadata.
    public let info: Info
    /// `sourceDescriptions`: the API descriptions (and Arazzo documents) the workflows use.
    public let sourceDescriptions: [SourceDescription]
    /// `workflows`: the workflows, in document order.
    public let workflows: [Workflow]
    /// `components`: reusable parameters, actions and input schemas.
    public let components: Components?
    /// `$self` (Arazzo 1.1): the document's own URI, the base for relative references.
    public internal(set) var selfURI: String? = nil
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the root mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
    /// The whole document as parsed, for JSON Schema `$ref`s into `#/components/inputs/…`.
    public let root: YAMLNode

    /// The workflow with `workflowId`, if any.
    public func workflow(_ workflowId: String) -> Workflow? {
        workflows.first { $0.workflowId == workflowId }
    }

    /// The source description named `name`, if any.
    public func sourceDescription(_ name: String) -> SourceDescription? {
        sourceDescriptions.first { $0.name == name }
    }
}
