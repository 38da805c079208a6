import ArazzoDiagnostics
import ArazzoModel
import Foundation
import Testing

/// Repository paths for fixture-driven tests.
enum Repo {
    /// The directory holding `Package.swift` and `Fixtures/`, found by walking up from this file.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            let fm = FileManager.default
            if fm.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
                fm.fileExists(atPath: url.appendingPathComponent("Fixtures").path)
            {
                return url
            }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// A repository-relative path as a URL.
    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The text of a repository file.
    static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// File names in a repository folder with one of the extensions, sorted.
    static func files(in folder: String, extensions: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)) ?? []
        return names.filter { extensions.contains(($0 as NSString).pathExtension) }.sorted()
    }
}

/// Reads a repository file and renders its diagnostics exactly as the golden files hold them.
func renderedDiagnostics(of relativePath: String) throws -> (result: ArazzoReadResult, text: String) {
    let text = try Repo.text(relativePath)
    let result = ArazzoDocumentReader.read(text: text, file: relativePath)
    let renderer = DiagnosticRenderer(colored: false, sources: [relativePath: text])
    let rendered = result.diagnostics.all.isEmpty ? "" : renderer.render(result.diagnostics.all) + "\n"
    return (result, rendered)
}

/// Compares with the golden file next to the fixture (`<name>.expected`). A missing or different
/// golden fails; the actual output is written under the temporary directory for review.
func checkGolden(fixture relativePath: String, actual: String) {
    let goldenPath = (relativePath as NSString).deletingPathExtension + ".expected"
    let expected = try? Repo.text(goldenPath)
    if expected != actual {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arazzo-goldens")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent((goldenPath as NSString).lastPathComponent)
        try? actual.write(to: out, atomically: true, encoding: .utf8)
    }
    if expected == nil {
        Issue.record("missing golden \(goldenPath); actual output written to the temporary directory:\n\(actual)")
    } else {
        #expect(expected == actual, "golden \(goldenPath) differs")
    }
}
