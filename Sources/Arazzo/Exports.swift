// The engine is the one module embedders import: it re-exports the value, diagnostic, model,
// executor, expression and OpenAPI layers so `import Arazzo` is enough to load, run and read results.
@_exported public import ArazzoJSON
@_exported public import ArazzoDiagnostics
@_exported public import ArazzoModel
@_exported public import ArazzoExecutor
@_exported public import ArazzoExpressions
@_exported public import ArazzoAsyncAPI
@_exported public import ArazzoOpenAPI
