public import ArazzoTesting
import Foundation

extension Repository {
    /// A copy of conformance case `id` as `mutated/` in `directory`, beside a copy of `_shared` as
    /// in Fixtures/, with each `(old, new)` edit applied to its `case.yaml`: for the tests that
    /// check a conformance runner fails a case whose expectations are wrong.
    public static func mutatedConformanceCase(
        _ id: String, in directory: TemporaryDirectory, replacing edits: [(String, String)]
    ) throws -> ConformanceCase.Folder {
        let source = fixture("conformance/" + id)
        try FileManager.default.copyItem(atPath: fixture("conformance/_shared"), toPath: directory.file("_shared"))
        try FileManager.default.copyItem(atPath: source, toPath: directory.file("mutated"))
        var caseText = try String(contentsOfFile: source + "/case.yaml", encoding: .utf8)
        for (old, new) in edits { caseText = caseText.replacingOccurrences(of: old, with: new) }
        try caseText.write(toFile: directory.file("mutated/case.yaml"), atomically: true, encoding: .utf8)
        return ConformanceCase.Folder(path: directory.file("mutated"))
    }
}
