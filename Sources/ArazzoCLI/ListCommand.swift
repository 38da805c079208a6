#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArgumentParser
import Foundation
import OrderedCollections

/// `arazzo-run list FILE`: the workflows, their inputs and their steps.
struct ListCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the workflows of an Arazzo document: inputs (type, required) and steps.")

    @Argument(help: "The Arazzo document.")
    var file: String

    @Option(help: "text (default) or json.")
    var format: OutputFormat = .text

    @OptionGroup var sourceAccess: SourceAccessOptions

    func execute(_ context: CLIContext) async -> Int32 {
        await sourceAccess.withAccess(context) { fetcher, limits in
            await execute(context, fetcher: fetcher, limits: limits)
        }
    }

    private func execute(_ context: CLIContext, fetcher: (any StepExecutor)?, limits: LoadLimits) async -> Int32 {
        // What is listed must be what loaded: a source that did not load (refused, unreadable,
        // invalid) would make the listing silently incomplete.
        guard let loaded = await context.loadWithoutErrors(file, fetcher: fetcher, limits: limits) else { return CLIExitCode.usage }
        let document = loaded.document
        let style = context.stdoutStyle
        var workflows: [JSONValue] = []
        for workflow in document.workflows {
            let properties = loaded.inputDescriptions(of: workflow.workflowId)
            switch format {
            case .text:
                context.stdout.line(style.bold(workflow.workflowId) + (workflow.summary.map { "  " + style.dim($0) } ?? ""))
                if !workflow.dependsOn.isEmpty {
                    context.stdout.line("  depends on: " + workflow.dependsOn.map(\.text).joined(separator: ", "))
                }
                if properties.isEmpty {
                    context.stdout.line("  inputs: none")
                } else {
                    context.stdout.line("  inputs:")
                    for property in properties {
                        let flags = [property.required ? "required" : "optional"] + (property.secret ? ["secret"] : [])
                        context.stdout.line("    \(property.name): \(property.type) (\(flags.joined(separator: ", ")))")
                    }
                }
                context.stdout.line("  steps:")
                for (index, step) in workflow.steps.enumerated() {
                    context.stdout.line("    \(index + 1). \(step.stepId) → \(step.target.fieldName) \(step.target.expression.text)")
                }
                if !workflow.outputs.isEmpty || !workflow.outputSelectors.isEmpty {
                    context.stdout.line("  outputs: " + (Array(workflow.outputs.keys) + Array(workflow.outputSelectors.keys)).joined(separator: ", "))
                }
            case .json:
                workflows.append([
                    "workflowId": .string(workflow.workflowId),
                    "summary": workflow.summary.map(JSONValue.string) ?? .null,
                    "dependsOn": .array(workflow.dependsOn.map { .string($0.text) }),
                    "inputs": .array(properties.map { property in
                        [
                            "name": .string(property.name), "type": .string(property.type),
                            "required": .bool(property.required), "secret": .bool(property.secret),
                        ]
                    }),
                    "steps": .array(workflow.steps.map { step in
                        [
                            "stepId": .string(step.stepId), "kind": .string(step.target.fieldName),
                            "target": .string(step.target.expression.text),
                        ]
                    }),
                    "outputs": .array((Array(workflow.outputs.keys) + Array(workflow.outputSelectors.keys)).map(JSONValue.string)),
                ])
            }
        }
        if format == .json {
            let root: JSONValue = ["document": .string(file), "title": .string(document.info.title), "workflows": .array(workflows)]
            context.stdout.line(root.jsonText(.init(prettyPrinted: true)))
        }
        return CLIExitCode.success
    }
}
#endif
