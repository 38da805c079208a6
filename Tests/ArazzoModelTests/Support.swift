import ArazzoDiagnostics
import ArazzoModel
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// Reads a repository file and renders its diagnostics exactly as the golden files hold them.
func renderedDiagnostics(of relativePath: String) throws -> (result: ArazzoReadResult, text: String) {
    let text = try Repository.text(relativePath)
    let result = ArazzoDocumentReader.read(text: text, file: relativePath)
    let renderer = DiagnosticRenderer(colored: false, sources: [relativePath: text])
    let rendered = result.diagnostics.all.isEmpty ? "" : renderer.render(result.diagnostics.all) + "\n"
    return (result, rendered)
}

/// Compares with the golden file next to the fixture (`<name>.expected`), a ``GoldenFile``: a
/// missing or different golden fails at the caller; `ARAZZO_RECORD_GOLDENS=1` rewrites it.
func checkGolden(fixture relativePath: String, actual: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let goldenPath = (relativePath as NSString).deletingPathExtension + ".expected"
    try GoldenFile.check(Repository.root + "/" + goldenPath, actual, sourceLocation: sourceLocation)
}
