#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArgumentParser
import Foundation
import ArazzoDiagnostics

/// `arazzo-run fix FILE...`: applies every fix-it the validator offers for the named files, in
/// place, leaving every other byte as it was.
struct FixCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Apply the validator's fix-its to Arazzo documents in place.",
        discussion: """
            Each fix-it rewrites one deviation whose meaning is evident into the form the spec \
            defines (docs/diagnostics.md); comments, quoting and indentation elsewhere are kept. \
            Exit 0 when the files are fixed (or need nothing), 1 when errors remain, 2 when a file \
            cannot be read or written.
            """)

    @Argument(help: "The Arazzo documents to fix.")
    var files: [String]

    @Flag(help: "Print a unified diff of the changes and write nothing.")
    var diff = false

    @OptionGroup var sourceAccess: SourceAccessOptions

    func execute(_ context: CLIContext) async -> Int32 {
        await sourceAccess.withLoader(context) { loader in await execute(context, loader: loader) }
    }

    /// Fix-its can uncover further ones (a renamed field whose value then gets checked), so the
    /// text is validated again after each round; this bounds the rounds.
    static let maxRounds = 8

    private func execute(_ context: CLIContext, loader: ArazzoLoader) async -> Int32 {
        var exit = CLIExitCode.success
        for file in files {
            let path = context.absolutePath(file)
            guard let editable = EditableFile.read(file, at: path, context: context) else {
                exit = CLIExitCode.usage
                continue
            }
            let original = editable.original(editable.text)
            var text = editable.text
            var applied = 0
            var remaining = Diagnostics()
            for _ in 0..<Self.maxRounds {
                let diagnostics = await Self.diagnostics(of: text, at: path, loader: loader)
                let edits = diagnostics.compactMap { d -> [TextEdit]? in
                    guard let fixIt = d.fixIts.first, fixIt.edits.allSatisfy({ $0.range.file == path }) else { return nil }
                    return fixIt.edits
                }.flatMap { $0 }
                remaining = diagnostics
                guard !edits.isEmpty else { break }
                let outcome = TextEditing.apply(edits, to: text)
                guard outcome.text != text else { break }
                text = outcome.text
                applied += outcome.applied
            }
            let fixed = editable.original(text)
            let errors = remaining.errors.count
            let leftWarnings = remaining.warnings.count
            if diff {
                context.stdout.write(TextEditing.unifiedDiff(from: original, to: fixed, path: context.displayPath(path)))
            } else if fixed != original {
                do {
                    try Data(fixed.utf8).write(to: URL(fileURLWithPath: path))
                } catch {
                    context.stderr.line("error: cannot write \(file): \(error.localizedDescription)")
                    exit = CLIExitCode.usage
                    continue
                }
            }
            var summary = "\(file): "
            summary += applied == 0 ? "nothing to fix" : "\(diff ? "would apply" : "applied") \(plural(applied, "fix-it"))"
            if errors > 0 || leftWarnings > 0 {
                summary += "; \(plural(errors, "error")) and \(plural(leftWarnings, "warning")) left (arazzo-run validate \(file))"
            }
            (diff ? context.stderr : context.stdout).line(summary)
            if errors > 0, exit == CLIExitCode.success { exit = CLIExitCode.failure }
        }
        return exit
    }

    /// Every diagnostic of `text` read as the document at `path` (loading problems included).
    static func diagnostics(of text: String, at path: String, loader: ArazzoLoader) async -> Diagnostics {
        do {
            let loaded = try await loader.load(text: text, baseURL: path)
            return loaded.validate()
        } catch {
            return error.diagnostics.deduplicated
        }
    }
}
#endif
