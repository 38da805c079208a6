// Fuzz target: arbitrary bytes through the Arazzo loader path without I/O: YAML layer, structural
// decoding, the semantic validator, the expression sites, and the diagnostic renderer (whose caret
// snippets index into the hostile text). Any input must end in diagnostics; a crash, hang or leak is
// a bug.
import ArazzoDiagnostics
import ArazzoModel
import ArazzoYAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file = "fuzz.arazzo.yaml"
    var diagnostics: [Diagnostic]
    do {
        let root = try YAMLParser.parse(bytes: bytes, file: file, limits: YAMLLimits(maxDepth: 256, maxNodes: 100_000))
        let result = ArazzoDocumentReader.read(root: root, file: file)
        diagnostics = result.diagnostics.all
        if let document = result.document {
            _ = document.expressionSites.count
        }
    } catch {
        diagnostics = [error]
    }
    let text = String(decoding: bytes, as: UTF8.self)
    _ = DiagnosticRenderer(colored: false, sources: [file: text]).render(diagnostics)
    return 0
}
