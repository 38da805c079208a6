#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoDiagnostics
import ArgumentParser
import Foundation

/// `arazzo-run upgrade FILE...`: rewrites Arazzo 1.0.x documents as 1.1.0 in place, by text
/// edits that leave every other byte as it was (decision UP1).
struct UpgradeCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Rewrite Arazzo 1.0.x documents as 1.1.0 in place.",
        discussion: """
            Sets `arazzo: 1.1.0` and rewrites what 1.1 reads differently (docs/cli.md); comments, \
            quoting and indentation are kept. What 1.1 forbids and has no evident rewrite is \
            reported as a manual change, and the file is left as it was. Exit 0 when the files are \
            upgraded (or already 1.1), 1 when a manual change is needed (or, with --check, when an \
            upgrade would change a file), 2 when a file cannot be read or does not load.
            """)

    @Argument(help: "The Arazzo documents to upgrade.")
    var files: [String]

    @Flag(help: "Print a unified diff of the changes and write nothing.")
    var diff = false

    @Flag(help: "Write nothing; exit 1 when an upgrade would change a file (for CI).")
    var check = false

    @OptionGroup var sourceAccess: SourceAccessOptions

    func execute(_ context: CLIContext) async -> Int32 {
        await sourceAccess.withLoader(context) { loader in await execute(context, loader: loader) }
    }

    private func execute(_ context: CLIContext, loader: ArazzoLoader) async -> Int32 {
        var exit = CLIExitCode.success
        func worsen(_ code: Int32) { if code > exit { exit = code } }
        // With --diff the diff is the output; everything else goes to stderr.
        let report = diff ? context.stderr : context.stdout
        let style = diff ? context.stderrStyle : context.stdoutStyle
        for file in files {
            let path = context.absolutePath(file)
            guard let editable = EditableFile.read(file, at: path, context: context) else {
                worsen(CLIExitCode.usage)
                continue
            }
            let text = editable.text
            let original = editable.original(text)
            let plan: ArazzoUpgrade.Plan
            do {
                plan = try await ArazzoUpgrade.plan(text: text, path: path, loader: loader)
            } catch {
                render(error.diagnostics, sources: error.sourceTexts, to: context.stderr, style: context.stderrStyle, relativeTo: context.baseDirectory)
                context.stderr.line("\(file): not upgraded: it does not load as an Arazzo 1.0.x document")
                worsen(CLIExitCode.usage)
                continue
            }
            if plan.alreadyCurrent {
                report.line("\(file): already Arazzo \(plan.declaredVersion); nothing to upgrade")
                continue
            }
            if !plan.manualChanges.all.isEmpty {
                render(plan.manualChanges, sources: plan.sourceTexts, to: report, style: style, relativeTo: context.baseDirectory)
                report.line("\(file): not upgraded: \(plural(plan.manualChanges.all.count, "manual change")) needed first")
                worsen(CLIExitCode.failure)
                continue
            }
            for change in plan.changes {
                report.line("\(context.displayPath(change.location.file)):\(change.location.line):\(change.location.column): \(change.message)")
            }
            for note in plan.notes.sorted {
                let place = note.location.map { "\(context.displayPath($0.file)):\($0.line):\($0.column): " } ?? ""
                report.line(place + "note: " + note.message)
            }
            let upgraded = editable.original(plan.upgraded)
            if diff {
                context.stdout.write(TextEditing.unifiedDiff(from: original, to: upgraded, path: context.displayPath(path)))
            }
            if check || diff {
                report.line("\(file): would upgrade Arazzo \(plan.declaredVersion) to 1.1.0 (\(plural(plan.changes.count, "change")))")
                if check { worsen(CLIExitCode.failure) }
                continue
            }
            do {
                try Data(upgraded.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                context.stderr.line("error: cannot write \(file): \(error.localizedDescription)")
                worsen(CLIExitCode.usage)
                continue
            }
            report.line("\(file): upgraded Arazzo \(plan.declaredVersion) to 1.1.0 (\(plural(plan.changes.count, "change")))")
        }
        return exit
    }
}
#endif
