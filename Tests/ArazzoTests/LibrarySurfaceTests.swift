import Arazzo
import Foundation
import Testing
import ArazzoTestSupport

/// The library speaks in library and document terms: a command-line option belongs to the CLI,
/// which adds its own hints where it prints (docs/embedding.md, "What `import Arazzo` brings").
@Suite("Library surface")
struct LibrarySurfaceTests {
    /// Modules an embedder links; the CLI, its executables and the benchmarks may name their flags.
    static let libraryModules: [String] = {
        let sources = Repository.root + "/Sources"
        let all = (try? FileManager.default.contentsOfDirectory(atPath: sources)) ?? []
        return all.filter { !["ArazzoCLI", "arazzo-run", "arazzo-run-mcp", "arazzo-bench"].contains($0) && !$0.hasPrefix("C") }.sorted()
    }()

    @Test("No string literal in a library module names a command-line flag (--word)")
    func noFlagsInLibraryMessages() throws {
        #expect(Self.libraryModules.count >= 10, "\(Self.libraryModules)")
        var offenders: [String] = []
        for module in Self.libraryModules {
            let dir = Repository.root + "/Sources/" + module
            guard let files = FileManager.default.enumerator(atPath: dir) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                for (number, literal) in Self.stringLiterals(in: text) where literal.contains(/--[a-z]/) {
                    offenders.append("Sources/\(module)/\(file):\(number): \(literal)")
                }
            }
        }
        #expect(offenders.isEmpty, "library messages name CLI flags:\n\(offenders.joined(separator: "\n"))")
    }

    @Test("The scan sees single-line and multi-line literals, not comments")
    func scannerFindsLiterals() {
        let text = """
        // "--comment" is not a literal
        let a = "pass --allow-files"
        let b = \"\"\"
            use --server
            \"\"\"
        """
        let found = Self.stringLiterals(in: text).map(\.1)
        #expect(found.contains { $0.contains("--allow-files") })
        #expect(found.contains { $0.contains("--server") })
        #expect(!found.contains { $0.contains("--comment") })
    }

    /// String literal contents with their 1-based line numbers: each `"…"` on a line (comments
    /// dropped), and every line inside a `"""` block.
    static func stringLiterals(in text: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        var inBlock = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if inBlock {
                if trimmed.hasPrefix("\"\"\"") { inBlock = false } else { out.append((index + 1, String(line))) }
                continue
            }
            if trimmed.hasPrefix("//") { continue }
            if trimmed.hasSuffix("\"\"\"") && trimmed.components(separatedBy: "\"\"\"").count == 2 {
                inBlock = true
                continue
            }
            for match in line.matches(of: /"((?:[^"\\]|\\.)*)"/) { out.append((index + 1, String(match.output.1))) }
        }
        return out
    }
}
