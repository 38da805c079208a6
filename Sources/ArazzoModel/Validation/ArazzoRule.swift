/// The stable rule identifiers the reader and validator put in ``Diagnostic/code``.
///
/// Tools and tests match on these; the messages may be reworded, the codes may not.
package enum ArazzoRule: String, Sendable, Hashable, CaseIterable {
    // Structure (decoding).
    /// A REQUIRED field is absent.
    case missingField = "missing-field"
    /// A field has the wrong YAML/JSON type (`steps` is a mapping, `name` is a number, …).
    case typeMismatch = "type-mismatch"
    /// A field that is neither a fixed field of the object nor an `x-` extension.
    case unknownField = "unknown-field"
    /// A root `$schema` key: not an Arazzo field, ignored (warning with a fix-it deleting it).
    case schemaKey = "schema-key"
    /// An extra field on a Reusable Object: ignored, as the spec demands (warning; A22/A25).
    case reusableExtraField = "reusable-extra-field"
    /// `arazzo` does not have the form `1.0.<patch>[-suffix]`.
    case invalidVersion = "invalid-version"
    /// A well-formed version this engine does not run (2.x, …).
    case unsupportedVersion = "unsupported-version"
    /// A later patch of a known feature set (1.1.1): read as the known one (warning).
    case unseenPatchVersion = "unseen-patch-version"
    /// AsyncAPI step fields that do not fit the step (`action` missing, `correlationId` on send).
    case asyncStepField = "async-step-field"
    /// Action `parameters` on an action that names no workflow.
    case actionParameters = "action-parameters"
    /// `in` on an action parameter: it is an input of the target workflow (warning with a fix-it removing it).
    case actionParameterIn = "action-parameter-in"
    /// A 1.1 payload mapping evidently meant as a Selector Object that is not one (a misspelt
    /// key, no `type`, an unknown `type`): sent as a literal object (warning, decision S6).
    case payloadSelectorLike = "payload-selector-like"
    /// A workflowId, stepId or source name outside `^[A-Za-z0-9_\-]+$`.
    case invalidId = "invalid-id"
    /// A components or outputs key outside `^[a-zA-Z0-9\.\-_]+$`.
    case invalidKey = "invalid-key"
    /// A list that must have at least one entry is empty.
    case emptyList = "empty-list"
    /// `successCriteria: []` (allowed by the 1.0.1 text, forbidden by the schema and 1.1; warning).
    case emptySuccessCriteria = "empty-success-criteria"
    /// `$self` or a source `url` that is not an RFC 3986 URI reference (warning with a fix-it
    /// that percent-encodes).
    case uriReference = "uri-reference"
    /// A value outside the allowed set (`type`, `in`, …).
    case invalidValue = "invalid-value"
    /// A step without exactly one of `operationId`, `operationPath`, `workflowId`.
    case stepTarget = "step-target"
    /// A `goto` without exactly one of `stepId`/`workflowId`, or a `retry` with both.
    case actionTarget = "action-target"
    /// An `end` action with a `stepId` or `workflowId`.
    case endWithTarget = "end-with-target"
    /// `retryAfter`/`retryLimit` on an action whose type is not `retry`.
    case retryField = "retry-field"
    /// `retryAfter` not a number ≥ 0, or `retryLimit` not an integer ≥ 0.
    case retryValue = "retry-value"
    /// A Criterion Expression Type `version` not allowed for its `type`.
    case criterionVersion = "criterion-version"
    /// A regex, jsonpath or xpath criterion without `context`.
    case missingContext = "missing-context"

    // Semantics (validation).
    /// Two workflows with one workflowId.
    case duplicateWorkflowId = "duplicate-workflow-id"
    /// Two steps of one workflow with one stepId.
    case duplicateStepId = "duplicate-step-id"
    /// Two source descriptions with one name.
    case duplicateSourceName = "duplicate-source-name"
    /// Two parameters of one list with the same `name` and `in`.
    case duplicateParameter = "duplicate-parameter"
    /// Two actions of one list with the same `name`.
    case duplicateAction = "duplicate-action"
    /// A `dependsOn` entry listed twice.
    case duplicateDependsOn = "duplicate-depends-on"
    /// A `goto`/`retry` stepId that is not a step of the workflow.
    case unknownStep = "unknown-step"
    /// A workflowId (step, action or dependsOn) that names no local workflow.
    case unknownWorkflow = "unknown-workflow"
    /// `$sourceDescriptions.<name>` naming no source description.
    case unknownSource = "unknown-source"
    /// An operation referenced through an `arazzo` source, or a workflow through an `openapi` one.
    case sourceType = "source-type"
    /// Workflows whose `dependsOn` form a cycle.
    case dependsOnCycle = "depends-on-cycle"
    /// A step `dependsOn` naming a step that comes after it in the same workflow (decision V10).
    case dependsOnOrder = "depends-on-order"
    /// A Reusable Object `reference` not of the form `$components.<kind>.<key>`.
    case invalidReference = "invalid-reference"
    /// A reference to the wrong kind of component for its position.
    case componentKind = "component-kind"
    /// A reference to a component key that does not exist.
    case unresolvedComponent = "unresolved-component"
    /// `value` on a reference to an action (only parameters take one; warning).
    case reusableValueOnAction = "reusable-value-on-action"
    /// An `operationPath` not of the form `{$sourceDescriptions.<name>.url}#/paths/<path>/<method>`.
    case operationPath = "operation-path"
    /// A bare `operationId` while several OpenAPI sources exist.
    case ambiguousOperationId = "ambiguous-operation-id"
    /// A `requestBody` on a step that calls a workflow.
    case requestBodyOnWorkflowStep = "request-body-on-workflow-step"
    /// A parameter without `in` that reaches a step calling an operation.
    case parameterMissingIn = "parameter-missing-in"
}
