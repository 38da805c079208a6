#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoOTel
import Tracing

extension RunCommand {
    /// Runs `body` with its spans exported over OTLP/HTTP when `--otlp-endpoint` or the
    /// OpenTelemetry environment asks for it (docs/observability.md, "Tracing"), and flushes
    /// them before returning. The tracer is scoped to the run (`withTracer`), not bootstrapped.
    /// An exporter that cannot start or a collector that does not answer costs a warning, never
    /// the run.
    func exportingTraces(_ context: CLIContext, _ body: () async -> Int32) async -> Int32 {
        guard OTLPEndpoint.isRequested(flag: otlpEndpoint, environment: context.environment) else { return await body() }
        let warn = { (line: String) in context.stderr.line(context.stderrStyle.yellow("warning: ") + line) }
        if let otlpEndpoint {
            if case .failure(let error) = OTLPEndpoint.tracesURL(flag: otlpEndpoint) {
                context.stderr.line("error: --otlp-endpoint \(otlpEndpoint): \(error.message)")
                return CLIExitCode.usage
            }
            if let variable = OTLPEndpoint.environmentKeys.first(where: { !(context.environment[$0] ?? "").isEmpty }) {
                warn("\(variable) is set and takes precedence over --otlp-endpoint (the exporter reads the environment last)")
            }
        }
        let export: OTLPTraceExport
        switch OTLPTraceExport.start(flag: otlpEndpoint) {
        case .success(let started): export = started
        case .failure(let error):
            warn("\(error.message); running without tracing")
            return await body()
        }
        let code = await withTracer(export.tracer) { await body() }
        for line in await export.shutdown() { warn(line) }
        return code
    }
}
#endif
