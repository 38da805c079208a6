#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation

/// The self-contained HTML run report (`run --html`, `report html`; docs/reports.md): the run
/// summary, per workflow its graph with the run's path, a timeline and every step attempt
/// (request, response, criteria, outputs, contract findings), failures expanded.
///
/// It is rendered from the JSON run report (the object `--json` writes, single- or
/// multi-document, or `report merge` output), so both commands show the same page for the same
/// run and the page shows exactly what the redacted JSON holds (decision GR4). Everything is
/// rendered here, as escaped text; the page's script only adds a summary line and buttons, and
/// reads nothing but the DOM, so no report text ever reaches a script (decision GR6).
struct HTMLReport {
    /// The JSON run report.
    let root: JSONValue
    /// The graph of each document, by `documentURL`.
    let graphs: [String: WorkflowGraph]
    /// Why a document has no graph (it could not be read or has errors), by `documentURL`.
    let missingGraphs: [String: String]

    init(root: JSONValue, graphs: [String: WorkflowGraph], missingGraphs: [String: String] = [:]) {
        self.root = root
        self.graphs = graphs
        self.missingGraphs = missingGraphs
    }

    // MARK: Reading the JSON report

    /// The document entries of a report: its `documents`, or the report itself.
    static func documentEntries(_ root: JSONValue) -> [JSONObject] {
        let object = root.objectValue ?? [:]
        if let documents = object["documents"]?.arrayValue { return documents.compactMap(\.objectValue) }
        return [object]
    }

    /// The run path of a report's `workflows` entries (nested runs included).
    static func runPath(_ workflows: [JSONValue]) -> RunPath {
        RunPath(runs: workflows.compactMap(\.objectValue).map(run))
    }

    private static func run(_ workflow: JSONObject) -> RunPath.Run {
        let steps = (workflow["steps"]?.arrayValue ?? []).compactMap(\.objectValue).map { step in
            RunPath.Visit(
                stepId: step["stepId"]?.stringValue ?? "", succeeded: step["succeeded"]?.boolValue ?? false,
                action: StepAction(step["action"]?.stringValue ?? "") ?? .next, actionName: step["actionName"]?.stringValue)
        }
        return RunPath.Run(
            workflowId: workflow["workflowId"]?.stringValue ?? "", succeeded: workflow["outcome"]?.stringValue != "failed",
            steps: steps, runs: (workflow["workflows"]?.arrayValue ?? []).compactMap(\.objectValue).map(run))
    }

    // MARK: Rendering

    /// The page.
    func text() -> String {
        let object = root.objectValue ?? [:]
        let entries = Self.documentEntries(root)
        var totals = (workflows: 0, succeeded: 0, planned: 0, failed: 0, notRun: 0)
        for entry in entries {
            let summary = entry["summary"]?.objectValue ?? [:]
            totals.workflows += summary["workflows"]?.reportInt ?? 0
            totals.succeeded += summary["succeeded"]?.reportInt ?? 0
            totals.planned += summary["planned"]?.reportInt ?? 0
            totals.failed += summary["failed"]?.reportInt ?? 0
            totals.notRun += summary["notRun"]?.reportInt ?? 0
        }
        let ok = totals.failed == 0 && totals.notRun == 0
        let title = entries.count == 1 ? (entries[0]["title"]?.stringValue ?? entries[0]["document"]?.stringValue ?? "") : "\(entries.count) documents"
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        // No network: everything the page needs is in it (and this policy says so to the browser).
        html += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>arazzo-run report: \(h(title))</title><style>\(Self.css)</style></head>\n"
        html += "<body data-rendered=\"no\"><header><h1>arazzo-run report</h1>"
        html += "<p class=\"run-title\">\(h(title))</p>"
        html += "<p class=\"summary \(ok ? "ok" : "bad")\" id=\"summary\">"
        html += "\(totals.workflows) workflow\(totals.workflows == 1 ? "" : "s"): "
        html += totals.planned > 0 ? "\(totals.planned) planned, " : ""
        html += "\(totals.succeeded) succeeded, \(totals.failed) failed"
        html += totals.notRun > 0 ? ", \(totals.notRun) not run (invalid)" : ""
        html += "</p><p class=\"meta\">"
        var meta: [String] = []
        if let started = object["startedAt"]?.stringValue { meta.append("started \(h(started))") }
        if let finished = object["finishedAt"]?.stringValue { meta.append("finished \(h(finished))") }
        if object["mock"]?.boolValue == true { meta.append("mock responses") }
        if object["dryRun"]?.boolValue == true { meta.append("dry run") }
        if let shard = object["shard"]?.objectValue, let index = shard["index"]?.reportInt, let count = shard["count"]?.reportInt {
            meta.append("shard \(index)/\(count)")
        }
        if let version = object["tool"]?.objectValue?["version"]?.stringValue { meta.append("arazzo-run \(h(version))") }
        html += meta.joined(separator: " · ") + "</p>"
        html += "<p id=\"js-summary\" class=\"meta\"></p>"
        html += "<p class=\"controls\"><button type=\"button\" id=\"expand-all\">Expand all</button> "
        html += "<button type=\"button\" id=\"collapse-passed\">Failures only</button></p></header>\n<main>"
        for entry in entries {
            html += document(entry, several: entries.count > 1)
        }
        html += "</main><script>\(Self.script)</script></body></html>\n"
        return html
    }

    private func document(_ entry: JSONObject, several: Bool) -> String {
        let url = entry["documentURL"]?.stringValue ?? ""
        var html = "<section class=\"document\">"
        if several || entry["document"] != nil {
            html += "<h2>\(h(entry["document"]?.stringValue ?? url))"
            if let title = entry["title"]?.stringValue, !title.isEmpty { html += " <span class=\"dim\">\(h(title))</span>" }
            html += "</h2>"
        }
        if let error = entry["error"]?.stringValue {
            html += "<p class=\"failure\" data-status=\"failed\">\(h(error))</p>"
        }
        let workflows = (entry["workflows"]?.arrayValue ?? []).compactMap(\.objectValue)
        let graph = graphs[url]
        for workflow in workflows {
            html += self.workflow(workflow, graph: graph, graphNote: graph == nil ? missingGraphs[url] : nil, depth: 0)
        }
        for item in (entry["notRun"]?.arrayValue ?? []).compactMap(\.objectValue) {
            let id = item["workflowId"]?.stringValue ?? ""
            html += "<details class=\"workflow\" open data-workflow=\"\(h(id))\" data-status=\"not-run\"><summary>"
            html += "<span class=\"badge bad\">not run</span> <strong>\(h(id))</strong></summary><ul class=\"diagnostics\">"
            for line in (item["diagnostics"]?.arrayValue ?? []).compactMap(\.stringValue) { html += "<li><pre>\(h(line))</pre></li>" }
            html += "</ul></details>"
        }
        if workflows.isEmpty, entry["notRun"] == nil, entry["error"] == nil {
            html += "<p class=\"dim\">no workflow of this document ran here</p>"
        }
        return html + "</section>\n"
    }

    private func workflow(_ workflow: JSONObject, graph: WorkflowGraph?, graphNote: String?, depth: Int) -> String {
        let id = workflow["workflowId"]?.stringValue ?? ""
        let outcome = workflow["outcome"]?.stringValue ?? ""
        let failed = outcome == "failed"
        let failure = workflow["failure"]?.objectValue
        var html = "<details class=\"workflow\"\(failed || depth == 0 ? " open" : "") data-workflow=\"\(h(id))\" data-status=\"\(h(outcome))\"><summary>"
        html += "<span class=\"badge \(failed ? "bad" : "ok")\">\(h(outcome))</span> <strong>\(h(id))</strong>"
        html += " <span class=\"dim\">\(Self.milliseconds(workflow["durationMs"]))</span>"
        if depth > 0 { html += " <span class=\"dim\">(nested run)</span>" }
        html += "</summary>"
        if let failure {
            let step = failure["stepId"]?.stringValue.map { "step \($0): " } ?? ""
            html += "<p class=\"failure\">\(h(step + (failure["message"]?.stringValue ?? ""))) <span class=\"dim\">[\(h(failure["kind"]?.stringValue ?? ""))]</span></p>"
        }
        for warning in (workflow["warnings"]?.arrayValue ?? []).compactMap(\.stringValue) {
            html += "<p class=\"warning\">warning: \(h(warning))</p>"
        }
        if depth == 0 {
            if let graph, graph.workflows.contains(where: { $0.workflowId == id }) {
                let path = Self.runPath([.object(workflow)])
                html += "<div class=\"graph\">\(graph.restricted(to: [id]).svg(path: path))</div>"
            } else if let graphNote {
                html += "<p class=\"dim\">no graph: \(h(graphNote))</p>"
            }
        }
        let steps = (workflow["steps"]?.arrayValue ?? []).compactMap(\.objectValue)
        if !steps.isEmpty { html += timeline(steps) }
        for step in steps { html += self.step(step) }
        if let outputs = workflow["outputs"], outputs.objectValue?.isEmpty == false {
            html += "<h4>Workflow outputs</h4><pre class=\"json\">\(h(outputs.jsonText(.init(prettyPrinted: true))))</pre>"
        }
        for nested in (workflow["workflows"]?.arrayValue ?? []).compactMap(\.objectValue) {
            html += "<div class=\"nested\">" + self.workflow(nested, graph: graph, graphNote: nil, depth: depth + 1) + "</div>"
        }
        return html + "</details>\n"
    }

    /// One bar per step attempt, placed one after the other by duration (steps run in sequence).
    private func timeline(_ steps: [JSONObject]) -> String {
        let durations = steps.map { $0["durationMs"]?.reportDouble ?? 0 }
        let total = max(durations.reduce(0, +), 0.001)
        var start = 0.0
        var html = "<div class=\"timeline\" role=\"list\">"
        for (step, duration) in zip(steps, durations) {
            let id = step["stepId"]?.stringValue ?? ""
            let attempt = step["attempt"]?.reportInt ?? 1
            let succeeded = step["succeeded"]?.boolValue ?? false
            let action = step["action"]?.stringValue ?? ""
            let kind = succeeded ? "ok" : (action.hasPrefix("retry") ? "retry" : "bad")
            let left = start / total * 100
            let width = max(duration / total * 100, 0.6)
            start += duration
            html += "<div class=\"row\" role=\"listitem\"><span class=\"label\">\(h(id))\(attempt > 1 ? " <span class=\"dim\">attempt \(attempt)</span>" : "")</span>"
            html += "<span class=\"track\"><span class=\"bar \(kind)\" style=\"left:\(Self.percent(min(left, 99.4)));width:\(Self.percent(min(width, 100 - min(left, 99.4))))\"></span></span>"
            html += "<span class=\"time\">\(Self.milliseconds(step["durationMs"]))\(action.isEmpty ? "" : " → " + h(action))</span></div>"
        }
        return html + "</div>"
    }

    private func step(_ step: JSONObject) -> String {
        let id = step["stepId"]?.stringValue ?? ""
        let succeeded = step["succeeded"]?.boolValue ?? false
        let attempt = step["attempt"]?.reportInt ?? 1
        let action = step["action"]?.stringValue ?? ""
        let status = succeeded ? "succeeded" : "failed"
        var html = "<details class=\"step\"\(succeeded ? "" : " open") data-step=\"\(h(id))\" data-status=\"\(status)\"><summary>"
        html += "<span class=\"badge \(succeeded ? "ok" : "bad")\">\(status)</span> <strong>\(h(id))</strong>"
        if attempt > 1 { html += " <span class=\"dim\">attempt \(attempt)</span>" }
        html += " <code>\(h(step["operation"]?.stringValue ?? ""))</code>"
        if let status = step["response"]?.objectValue?["status"]?.reportInt { html += " <span class=\"status\">HTTP \(status)</span>" }
        html += " <span class=\"dim\">\(Self.milliseconds(step["durationMs"]))"
        if !action.isEmpty { html += " → \(h(action))" }
        if let name = step["actionName"]?.stringValue { html += " (\(h(name)))" }
        html += "</span></summary>"
        if let error = step["transportError"]?.objectValue {
            html += "<p class=\"failure\">transport error (\(h(error["kind"]?.stringValue ?? ""))): \(h(error["message"]?.stringValue ?? ""))</p>"
        }
        if let request = step["request"]?.objectValue {
            html += "<h4>Request</h4><p><code>\(h(request["method"]?.stringValue ?? "")) \(h(request["url"]?.stringValue ?? ""))</code></p>"
            html += headers(request["headers"]) + body(request)
        }
        if let response = step["response"]?.objectValue {
            html += "<h4>Response</h4><p><code>\(response["status"]?.reportInt ?? 0)</code></p>"
            html += headers(response["headers"]) + body(response)
        }
        if let message = step["message"] {
            html += "<h4>Message</h4><pre class=\"json\">\(h(message.jsonText(.init(prettyPrinted: true))))</pre>"
        }
        let criteria = (step["criteria"]?.arrayValue ?? []).compactMap(\.objectValue)
        if !criteria.isEmpty {
            html += "<h4>Criteria</h4><table class=\"criteria\"><tr><th></th><th>condition</th><th>type</th><th>explanation</th></tr>"
            for criterion in criteria {
                let passed = criterion["passed"]?.boolValue ?? false
                html += "<tr class=\"\(passed ? "ok" : "bad")\"><td>\(passed ? "passed" : "failed")</td>"
                html += "<td><code>\(h(criterion["condition"]?.stringValue ?? ""))</code></td><td>\(h(criterion["type"]?.stringValue ?? ""))</td>"
                var explanation = h(criterion["explanation"]?.stringValue ?? "")
                if let error = criterion["error"]?.stringValue { explanation += "<br><span class=\"failure\">\(h(error))</span>" }
                html += "<td>\(explanation)</td></tr>"
            }
            html += "</table>"
        }
        if let outputs = step["outputs"], outputs.objectValue?.isEmpty == false {
            html += "<h4>Outputs</h4><pre class=\"json\">\(h(outputs.jsonText(.init(prettyPrinted: true))))</pre>"
        }
        let contract = (step["contract"]?.arrayValue ?? []).compactMap(\.objectValue)
        if !contract.isEmpty {
            html += "<h4>Contract findings</h4><ul class=\"contract\">"
            for finding in contract {
                let severity = finding["severity"]?.stringValue ?? ""
                let parts = ["check", "location", "message"].compactMap { finding[$0]?.stringValue }.filter { !$0.isEmpty }
                html += "<li class=\"\(severity == "error" ? "bad" : "warn")\"><strong>\(h(severity))</strong> \(h(parts.joined(separator: ": ")))</li>"
            }
            html += "</ul>"
        }
        let notes = (step["notes"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !notes.isEmpty {
            html += "<h4>Notes</h4><ul>" + notes.map { "<li>\(h($0))</li>" }.joined() + "</ul>"
        }
        return html + "</details>\n"
    }

    private func headers(_ value: JSONValue?) -> String {
        let headers = (value?.arrayValue ?? []).compactMap(\.objectValue)
        guard !headers.isEmpty else { return "" }
        var html = "<table class=\"headers\">"
        for header in headers {
            html += "<tr><th>\(h(header["name"]?.stringValue ?? ""))</th><td>\(h(header["value"]?.stringValue ?? ""))</td></tr>"
        }
        return html + "</table>"
    }

    private func body(_ message: JSONObject) -> String {
        guard let body = message["body"] else { return "" }
        let encoding = message["bodyEncoding"]?.stringValue ?? "json"
        let text: String
        switch (encoding, body) {
        case ("json", _): text = body.jsonText(.init(prettyPrinted: true))
        case (_, .string(let string)): text = string
        default: text = body.jsonText()
        }
        return "<pre class=\"body \(h(encoding))\">\(h(text))</pre>"
    }

    // MARK: Helpers

    /// HTML-escaped text, for element content and quoted attribute values alike.
    func h(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String { Markup.escaped(text) }

    private static func milliseconds(_ value: JSONValue?) -> String {
        let ms = value?.reportDouble ?? 0
        return ms >= 1000 ? String(format: "%.2f s", ms / 1000) : String(format: "%.1f ms", ms)
    }

    private static func percent(_ value: Double) -> String { String(format: "%.3f%%", value) }

    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
        header{padding:16px 24px;border-bottom:1px solid #d0d7de;background:#f6f8fa}
        h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:20px 0 8px}h4{margin:12px 0 4px;font-size:13px}
        main{padding:8px 24px 40px}.dim{color:#656d76;font-weight:normal}.run-title{margin:0;font-weight:600}
        .summary{font-weight:600;margin:6px 0}.summary.ok{color:#1a7f37}.summary.bad{color:#cf222e}.meta{margin:2px 0;color:#656d76}
        details.workflow{border:1px solid #d0d7de;border-radius:6px;margin:10px 0;padding:6px 12px}
        details.step{border-top:1px solid #eaeef2;padding:4px 0 4px 8px}summary{cursor:pointer}
        .badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff}.badge.ok{background:#1a7f37}.badge.bad{background:#cf222e}
        .failure{color:#cf222e}.warning{color:#9a6700}.status{font-family:monospace}
        pre{background:#f6f8fa;border:1px solid #eaeef2;border-radius:4px;padding:6px 8px;overflow:auto;max-height:360px;white-space:pre-wrap;word-break:break-word}
        table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #eaeef2;padding:2px 6px;text-align:left;vertical-align:top}
        table.headers th{font-family:monospace;font-weight:600}table.headers td{font-family:monospace;word-break:break-all}
        tr.bad td:first-child{color:#cf222e;font-weight:600}tr.ok td:first-child{color:#1a7f37}
        .contract .bad{color:#cf222e}.contract .warn{color:#9a6700}
        .graph{overflow:auto;margin:8px 0}.nested{margin-left:16px}
        .timeline{margin:8px 0}.timeline .row{display:flex;align-items:center;gap:8px;font-size:12px;height:20px}
        .timeline .label{width:220px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-family:monospace}
        .timeline .track{position:relative;flex:1;height:12px;background:#f6f8fa;border-radius:3px}
        .timeline .bar{position:absolute;top:0;height:12px;border-radius:3px}.bar.ok{background:#2da44e}.bar.bad{background:#cf222e}.bar.retry{background:#d4a72c}
        .timeline .time{width:260px;color:#656d76;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        button{font:inherit;padding:2px 10px}
        """

    /// The page's script: reads only the DOM (decision GR6).
    static let script = """
        (function () {
          var steps = document.querySelectorAll('details.step');
          var failed = document.querySelectorAll('details.step[data-status="failed"]');
          var workflows = document.querySelectorAll('details.workflow');
          var line = document.getElementById('js-summary');
          line.textContent = 'Checked in the browser: ' + workflows.length + ' workflow runs, ' + steps.length +
            ' step attempts, ' + failed.length + ' failed.';
          document.getElementById('expand-all').addEventListener('click', function () {
            document.querySelectorAll('details').forEach(function (d) { d.open = true; });
          });
          document.getElementById('collapse-passed').addEventListener('click', function () {
            document.querySelectorAll('details').forEach(function (d) {
              d.open = d.getAttribute('data-status') === 'failed' || d.getAttribute('data-status') === 'not-run' ||
                d.querySelector('[data-status="failed"]') !== null;
            });
          });
          document.body.setAttribute('data-rendered', 'yes');
        })();
        """
}
#endif
