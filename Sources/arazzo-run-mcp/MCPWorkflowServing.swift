#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoCLI
import ArazzoMCP

/// `serve --mcp` with the MCP server linked in: the workflows become a ``WorkflowToolCatalog``
/// served by ``WorkflowToolServer`` over stdio or HTTP (docs/mcp.md).
struct MCPWorkflowServing: WorkflowServing {
    func serve(
        _ documents: [(label: String, runner: WorkflowRunner)], endpoint: ServeEndpoint?, mock: Bool,
        stderr err: CLIOutput
    ) async -> Int32 {
        let catalog = WorkflowToolCatalog(documents: documents.map { .init(label: $0.label, runner: $0.runner) })
        for note in catalog.notes { err.line("note: \(note)") }
        guard !catalog.tools.isEmpty else {
            let files = documents.map(\.label).joined(separator: ", ")
            err.line("error: no workflow to serve: every workflow of \(files) is refused by errors (shown above)")
            return CLIExitCode.usage
        }
        let names = catalog.tools.map(\.name).joined(separator: ", ")
        let count = "\(catalog.tools.count) MCP tool\(catalog.tools.count == 1 ? "" : "s")"
        let mode = mock ? " (mock: responses come from the OpenAPI descriptions; nothing is sent)" : ""
        let server = WorkflowToolServer(catalog: catalog, version: CLI.version) { line in err.line(line) }
        do {
            if let endpoint {
                try await server.serveHTTP(host: endpoint.host, port: endpoint.port) { port in
                    err.line("serving \(count) at http://\(endpoint.display):\(port)/mcp\(mode): \(names)")
                }
            } else {
                err.line("serving \(count) on stdio\(mode): \(names)")
                // The protocol needs the process's own descriptors 0 and 1 (the one exception to
                // the CLI writing only through its context's outputs).
                try await server.serveStandardIO()
            }
        } catch {
            err.line("error: the MCP server stopped: \(error)")
            return CLIExitCode.couldNotRun
        }
        return CLIExitCode.success
    }
}
#endif
