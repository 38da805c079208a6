// What `import Arazzo` brings besides the engine's own types: the declarations of lower modules
// that an embedder names to load a document, run a workflow, write an executor or read results
// (docs/embedding.md, "What `import Arazzo` brings"). Scoped re-exports name declarations, not
// modules, so the ~1,000 other public declarations of those modules (parsers, serialisers,
// validators, expression internals) stay out of an embedder's namespace; importing the module
// itself (`import ArazzoModel`, …) reaches them. A scoped import still makes every member and
// extension of the module's types visible, so values handed out by the engine are fully usable.

// Values.
@_exported public import enum ArazzoJSON.JSONValue
@_exported public import typealias ArazzoJSON.JSONObject
@_exported public import struct ArazzoJSON.JSONPointer
// `JSONObject` is an `OrderedDictionary`: its literals and members need the module visible.
@_exported public import struct OrderedCollections.OrderedDictionary

// Locations and diagnostics.
@_exported public import struct ArazzoDiagnostics.SourceLocation
@_exported public import struct ArazzoDiagnostics.SourceRange
@_exported public import struct ArazzoDiagnostics.Diagnostic
@_exported public import struct ArazzoDiagnostics.Diagnostics
@_exported public import struct ArazzoDiagnostics.DiagnosticRenderer
@_exported public import struct ArazzoDiagnostics.SeverityPolicy
@_exported public import struct ArazzoDiagnostics.TextEdit

// The document model's root (a loaded document's `document`, or one built in code).
@_exported public import struct ArazzoModel.ArazzoSpecification

// The executor and message-transport contracts.
@_exported public import protocol ArazzoExecutor.StepExecutor
@_exported public import struct ArazzoExecutor.HTTPRequest
@_exported public import struct ArazzoExecutor.HTTPResponse
@_exported public import struct ArazzoExecutor.HeaderFields
@_exported public import struct ArazzoExecutor.TransportError
@_exported public import struct ArazzoExecutor.HostPolicy
@_exported public import struct ArazzoExecutor.PolicyEnforcingExecutor
@_exported public import protocol ArazzoExecutor.MessageTransport
@_exported public import struct ArazzoExecutor.MessageTransports
@_exported public import struct ArazzoExecutor.MessageTransportError
@_exported public import struct ArazzoExecutor.TransportMessage
@_exported public import struct ArazzoExecutor.ChannelEndpoint

// Criterion verdicts in step traces.
@_exported public import struct ArazzoExpressions.CriterionVerdict

// The run's logger (`RunOptions.logger`); a custom `LogHandler` still needs `import Logging`.
@_exported public import struct Logging.Logger
