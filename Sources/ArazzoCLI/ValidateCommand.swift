#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArgumentParser
import Foundation
import OrderedCollections

/// The output formats of `validate` and `list`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `arazzo-run validate FILE...`: every problem of every document, compiler-style or as JSON.
struct ValidateCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Arazzo documents (and their operations against the loaded OpenAPI sources).",
        discussion: "Exit 0 when every document is valid (warnings allowed), 1 when any has errors, 2 when a file cannot be read.")

    @Argument(help: "The Arazzo documents to check.")
    var files: [String]

    @Option(help: "text (compiler-style, default) or json.")
    var format: OutputFormat = .text

    @Flag(
        name: .customLong("no-sources"),
        help: "Check each document alone (structure, expressions, internal references) without reading or fetching its source descriptions; operations are not checked.")
    var noSources = false

    @OptionGroup var severity: SeverityOptions

    @OptionGroup var sourceAccess: SourceAccessOptions

    func execute(_ context: CLIContext) async -> Int32 {
        let policy: SeverityPolicy
        switch severity.policy() {
        case .success(let p): policy = p
        case .failure(let error):
            context.stderr.line("error: \(error.message)")
            return CLIExitCode.usage
        }
        return await sourceAccess.withAccess(context) { fetcher, limits in
            var limits = limits
            limits.loadsSources = !noSources
            return await execute(context, fetcher: fetcher, limits: limits, policy: policy)
        }
    }

    private func execute(_ context: CLIContext, fetcher: (any StepExecutor)?, limits: LoadLimits, policy: SeverityPolicy) async -> Int32 {
        var anyErrors = false
        var unreadable = false
        var reports: [JSONValue] = []
        let style = context.stdoutStyle
        for file in files {
            let path = context.absolutePath(file)
            var diagnostics: Diagnostics
            var sources: [String: String] = [:]
            do {
                let loaded = try await ArazzoLoader(fetcher: fetcher, limits: limits).loadForCLI(path: path)
                diagnostics = loaded.validate(policy: policy)
                sources = loaded.sourceTexts
            } catch {
                if error.diagnostics.contains(where: { $0.code == "document-unreadable" }) {
                    unreadable = true
                    let message = error.diagnostics.all.first?.message ?? "cannot read \(file)"
                    context.stderr.line("error: \(message)")
                    reports.append(["file": .string(file), "readable": false, "message": .string(message)])
                    continue
                }
                diagnostics = policy.apply(to: error.diagnostics).deduplicated
                sources = error.sourceTexts
            }
            let errors = diagnostics.errors.count
            let warnings = diagnostics.warnings.count
            anyErrors = anyErrors || errors > 0
            switch format {
            case .text:
                render(diagnostics, sources: sources, to: context.stdout, style: style, relativeTo: context.baseDirectory)
                if errors == 0 {
                    context.stdout.line(style.green("\(file): valid") + (warnings > 0 ? " (\(plural(warnings, "warning")))" : ""))
                } else {
                    context.stdout.line(style.red("\(file): \(plural(errors, "error"))") + (warnings > 0 ? ", \(plural(warnings, "warning"))" : ""))
                }
            case .json:
                reports.append([
                    "file": .string(file),
                    "readable": true,
                    "valid": .bool(errors == 0),
                    "errors": .int(errors),
                    "warnings": .int(warnings),
                    "diagnostics": .array(diagnostics.sorted.map { Self.json($0, file: context.displayPath) }),
                ])
            }
        }
        if format == .json {
            let root: JSONValue = ["files": .array(reports)]
            context.stdout.line(root.jsonText(.init(prettyPrinted: true)))
        }
        if unreadable { return CLIExitCode.usage }
        return anyErrors ? CLIExitCode.failure : CLIExitCode.success
    }

    static func json(_ diagnostic: Diagnostic, file display: (String) -> String) -> JSONValue {
        var object: JSONObject = [
            "severity": .string(diagnostic.severity.rawValue),
            "message": .string(diagnostic.message),
        ]
        if let location = diagnostic.location {
            object["file"] = .string(display(location.file))
            object["line"] = .int(location.line)
            object["column"] = .int(location.column)
        }
        // A diagnostic that knows only its start gets an empty range there, so every located
        // diagnostic has one.
        if let range = diagnostic.range ?? diagnostic.location.map(SourceRange.init(at:)) {
            object["range"] = Self.json(range, file: display)
        }
        if let path = diagnostic.path { object["path"] = .string(path) }
        if let code = diagnostic.code { object["code"] = .string(code) }
        if !diagnostic.notes.isEmpty { object["notes"] = .array(diagnostic.notes.map(JSONValue.string)) }
        if !diagnostic.fixIts.isEmpty {
            object["fixIts"] = .array(diagnostic.fixIts.map { fixIt in
                [
                    "message": .string(fixIt.message),
                    "edits": .array(fixIt.edits.map { edit in
                        ["range": json(edit.range, file: display), "replacement": .string(edit.replacement)]
                    }),
                ]
            })
        }
        return .object(object)
    }

    /// `{"file", "start": {"line", "column"}, "end": {…}}`; `end` is exclusive.
    static func json(_ range: SourceRange, file display: (String) -> String) -> JSONValue {
        [
            "file": .string(display(range.file)),
            "start": ["line": .int(range.start.line), "column": .int(range.start.column)],
            "end": ["line": .int(range.end.line), "column": .int(range.end.column)],
        ]
    }
}

func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
#endif
