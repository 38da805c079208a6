#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation
import OrderedCollections
import ArazzoOpenAPI

/// Everything a run produced, rendered as the `--json`, `--junit` and `--har` files.
///
/// The results arrive redacted by the engine (credentials, `format: password` inputs, secret
/// outputs: one list, one pass), so the reports write them as they are.
struct RunReport {
    let document: String
    let documentURL: String
    let title: String
    /// The results, run-guard failures worded for the command line (``LimitWording``).
    let results: [RunResult]
    let invalidRuns: [(workflowId: String, diagnostics: [String])]
    let started: Date
    let finished: Date
    let dryRun: Bool
    let mock: Bool

    init(
        document: String, documentURL: String, title: String, results: [RunResult],
        invalidRuns: [(workflowId: String, diagnostics: [String])], started: Date, finished: Date, dryRun: Bool, mock: Bool
    ) {
        self.document = document
        self.documentURL = documentURL
        self.title = title
        self.results = results.map(LimitWording.forCommandLine)
        self.invalidRuns = invalidRuns
        self.started = started
        self.finished = finished
        self.dryRun = dryRun
        self.mock = mock
    }

    // MARK: JSON

    /// The JSON report (format in `docs/cli.md`).
    func jsonText() -> String {
        JSONValue.object(jsonObject()).jsonText(.init(prettyPrinted: true)) + "\n"
    }

    /// The JSON report's root object.
    func jsonObject() -> JSONObject {
        let succeeded = results.filter(\.succeeded).count
        var root: JSONObject = [
            "tool": ["name": "arazzo-run", "version": .string(CLI.version)],
            "document": .string(document),
            "documentURL": .string(documentURL),
            "title": .string(title),
            "startedAt": .string(Self.iso8601(started)),
            "finishedAt": .string(Self.iso8601(finished)),
            "dryRun": .bool(dryRun),
            "mock": .bool(mock),
            // A dry run judges no criterion: its workflows are "planned", never "succeeded".
            "summary": [
                "workflows": .int(results.count),
                "succeeded": .int(dryRun ? 0 : succeeded),
                "planned": .int(dryRun ? succeeded : 0),
                "failed": .int(results.count - succeeded),
                "notRun": .int(invalidRuns.count),
            ],
            "workflows": .array(results.map { Self.workflowJSON($0, dryRun: dryRun) }),
        ]
        if !invalidRuns.isEmpty {
            root["notRun"] = .array(invalidRuns.map { run in
                ["workflowId": .string(run.workflowId), "diagnostics": .array(run.diagnostics.map(JSONValue.string))]
            })
        }
        return root
    }

    static func workflowJSON(_ result: RunResult, dryRun: Bool = false) -> JSONValue {
        var object: JSONObject = ["workflowId": .string(result.workflowId)]
        switch result.outcome {
        case .succeeded:
            object["outcome"] = dryRun ? "planned" : "succeeded"
        case .failed(let reason):
            object["outcome"] = "failed"
            var failure: JSONObject = ["message": .string(reason.message), "kind": .string(reason.kind.rawValue)]
            if let step = reason.stepId { failure["stepId"] = .string(step) }
            object["failure"] = .object(failure)
        }
        object["outputs"] = .object(result.outputs)
        object["durationMs"] = .double(milliseconds(result.duration))
        object["warnings"] = .array(result.warnings.map(JSONValue.string))
        object["steps"] = .array(result.steps.map(stepJSON))
        object["workflows"] = .array(result.workflows.map { workflowJSON($0, dryRun: dryRun) })
        return .object(object)
    }

    static func stepJSON(_ trace: StepTrace) -> JSONValue {
        var object: JSONObject = [
            "stepId": .string(trace.stepId),
            "operation": .string(trace.operation),
            "attempt": .int(trace.attempt),
            "succeeded": .bool(trace.succeeded),
            "action": .string(trace.action.description),
            "durationMs": .double(milliseconds(trace.duration)),
        ]
        if let name = trace.actionName { object["actionName"] = .string(name) }
        if let request = trace.request {
            var r: JSONObject = [
                "method": .string(request.method),
                "url": .string(request.url),
                "headers": headersJSON(request.headers),
            ]
            if let body = request.body { bodyJSON(body, contentType: request.headers["Content-Type"], into: &r) }
            object["request"] = .object(r)
        }
        if let response = trace.response {
            var r: JSONObject = ["status": .int(response.status), "headers": headersJSON(response.headers)]
            bodyJSON(response.body, contentType: response.headers["Content-Type"], into: &r)
            object["response"] = .object(r)
        }
        if let error = trace.transportError {
            object["transportError"] = ["kind": .string(error.kind.rawValue), "message": .string(error.message)]
        }
        if let message = trace.message {
            // The engine's own encoding (already redacted): endpoint, headers, payload, error.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(message), let value = try? JSONValue(parsing: Array(data)) {
                object["message"] = value
            }
        }
        object["criteria"] = .array(trace.criteria.map { verdict in
            [
                "condition": .string(verdict.condition), "type": .string(verdict.kind.rawValue),
                "passed": .bool(verdict.passed), "explanation": .string(verdict.explanation),
                "error": verdict.error.map(JSONValue.string) ?? .null,
            ]
        })
        object["outputs"] = .object(trace.outputs)
        object["notes"] = .array(trace.notes.map(JSONValue.string))
        // Contract findings (docs/contracts.md): empty when the exchange conforms or checks are off.
        object["contract"] = .array(trace.contract.map(\.jsonValue))
        return .object(object)
    }

    static func headersJSON(_ headers: HeaderFields) -> JSONValue {
        .array(headers.map { ["name": .string($0.name), "value": .string($0.value)] })
    }

    /// A body as parsed JSON when its Content-Type is a JSON one (or absent) and it parses, as
    /// text when it is UTF-8, else as base64: the report shows what `$response.body` reads.
    static func bodyJSON(_ bytes: [UInt8], contentType: String?, into object: inout JSONObject) {
        if bytes.isEmpty { return }
        let json = contentType.map { RequestBodyEncoder.kind(of: $0) == .json } ?? true
        if json, let value = try? JSONValue(parsing: bytes) {
            object["body"] = value
            object["bodyEncoding"] = "json"
        } else if let text = String(validating: bytes, as: UTF8.self) {
            object["body"] = .string(text)
            object["bodyEncoding"] = "text"
        } else {
            object["body"] = .string(Data(bytes).base64EncodedString())
            object["bodyEncoding"] = "base64"
        }
    }

    // MARK: JUnit

    /// JUnit XML: one testsuite for the document, one testcase per workflow run.
    func junitText() -> String {
        let failures = results.filter { !$0.succeeded }.count + invalidRuns.count
        let total = results.count + invalidRuns.count
        let time = String(format: "%.3f", finished.timeIntervalSince(started))
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"arazzo-run\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n"
        xml += "  <testsuite name=\"\(Self.xml(title))\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\""
        xml += " time=\"\(time)\" timestamp=\"\(Self.iso8601(started))\" file=\"\(Self.xml(document))\">\n"
        for result in results {
            let seconds = String(format: "%.3f", Self.milliseconds(result.duration) / 1000)
            xml += "    <testcase name=\"\(Self.xml(result.workflowId))\" classname=\"\(Self.xml(title))\" time=\"\(seconds)\""
            // Contract warnings are properties of the test case; errors are part of its failure.
            let warnings = Self.allSteps(result).flatMap { trace in
                trace.contract.filter { $0.severity == .warning }.map { (trace.stepId, $0) }
            }
            if case .failed(let reason) = result.outcome {
                xml += ">\n"
                xml += Self.contractProperties(warnings)
                let message = reason.stepId.map { "step \($0): \(reason.message)" } ?? reason.message
                xml += "      <failure message=\"\(Self.xml(message))\" type=\"\(Self.xml(reason.kind.rawValue))\">"
                xml += Self.xml(failureDetails(result)) + "</failure>\n"
                xml += "    </testcase>\n"
            } else if !warnings.isEmpty {
                xml += ">\n" + Self.contractProperties(warnings) + "    </testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        for run in invalidRuns {
            xml += "    <testcase name=\"\(Self.xml(run.workflowId))\" classname=\"\(Self.xml(title))\" time=\"0\">\n"
            xml += "      <failure message=\"not run: the document or the inputs are invalid\" type=\"invalid\">"
            xml += Self.xml(run.diagnostics.joined(separator: "\n")) + "</failure>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// A result's steps and those of the workflows it ran, in order.
    static func allSteps(_ result: RunResult) -> [StepTrace] {
        result.steps + result.workflows.flatMap(allSteps)
    }

    /// `<properties>` holding one `contract-warning` property per finding.
    static func contractProperties(_ findings: [(stepId: String, finding: ContractFinding)]) -> String {
        guard !findings.isEmpty else { return "" }
        var out = "      <properties>\n"
        for (stepId, finding) in findings {
            out += "        <property name=\"contract-warning\" value=\"\(Self.xml("step \(stepId): \(finding.description)"))\"/>\n"
        }
        return out + "      </properties>\n"
    }

    private func failureDetails(_ result: RunResult) -> String {
        var lines: [String] = []
        for trace in result.steps {
            var line = "\(trace.succeeded ? "ok" : "FAILED") \(trace.stepId) (\(trace.operation))"
            if let status = trace.response?.status { line += " status \(status)" }
            if let error = trace.transportError { line += " transport error \(error.description)" }
            if trace.action != .sideStep { line += " -> \(trace.action)" }
            lines.append(line)
            for verdict in trace.criteria where !verdict.passed {
                lines.append("  criterion \(verdict.condition): \(verdict.explanation)")
            }
            for finding in trace.contract where finding.severity == .error {
                lines.append("  contract \(finding.description)")
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: HAR

    /// HTTP Archive 1.2 of every exchange, in order.
    func harText(exchanges: [ExchangeRecorder.Exchange]) -> String {
        let entries: [JSONValue] = exchanges.compactMap { exchange in
            guard let request = exchange.trace.request else { return nil }
            let totalMs = Self.milliseconds(exchange.trace.duration)
            let startedAt = exchange.finished.addingTimeInterval(-totalMs / 1000)
            var requestObject: JSONObject = [
                "method": .string(request.method),
                "url": .string(request.url),
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": Self.harHeaders(request.headers),
                "queryString": .array(Self.queryItems(request.url)),
                "headersSize": -1,
                "bodySize": .int(request.body?.count ?? 0),
            ]
            if let body = request.body, !body.isEmpty {
                requestObject["postData"] = [
                    "mimeType": .string(request.headers["Content-Type"] ?? "application/octet-stream"),
                    "text": .string(String(decoding: body, as: UTF8.self)),
                ]
            }
            var responseObject: JSONObject
            if let response = exchange.trace.response {
                var content: JSONObject = [
                    "size": .int(response.body.count),
                    "mimeType": .string(response.headers["Content-Type"] ?? "application/octet-stream"),
                ]
                if let text = String(validating: response.body, as: UTF8.self) {
                    content["text"] = .string(text)
                } else {
                    content["text"] = .string(Data(response.body).base64EncodedString())
                    content["encoding"] = "base64"
                }
                responseObject = [
                    "status": .int(response.status),
                    "statusText": "",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": Self.harHeaders(response.headers),
                    "content": .object(content),
                    "redirectURL": .string(response.headers["Location"] ?? ""),
                    "headersSize": -1,
                    "bodySize": .int(response.body.count),
                ]
            } else {
                // HAR has no field for "no response"; status 0 is what browsers record.
                responseObject = [
                    "status": 0, "statusText": .string(exchange.trace.transportError?.description ?? "no response"),
                    "httpVersion": "", "cookies": [], "headers": [],
                    "content": ["size": 0, "mimeType": "x-unknown"], "redirectURL": "", "headersSize": -1, "bodySize": -1,
                    "_error": .string(exchange.trace.transportError?.description ?? "no response"),
                ]
            }
            var entry: JSONObject = [
                "startedDateTime": .string(Self.iso8601(startedAt)),
                "time": .double(totalMs),
                "request": .object(requestObject),
                "response": .object(responseObject),
                "cache": [:],
                "timings": ["send": 0, "wait": .double(totalMs), "receive": 0],
                "comment": .string("step \(exchange.trace.stepId), attempt \(exchange.trace.attempt)"),
            ]
            // A custom field (HAR 1.2 allows `_`-prefixed ones): the exchange's contract findings.
            if !exchange.trace.contract.isEmpty {
                entry["_contract"] = .array(exchange.trace.contract.map(\.jsonValue))
            }
            return .object(entry)
        }
        let root: JSONValue = [
            "log": [
                "version": "1.2",
                "creator": ["name": "arazzo-run", "version": .string(CLI.version)],
                "pages": [],
                "entries": .array(entries),
            ],
        ]
        return root.jsonText(.init(prettyPrinted: true)) + "\n"
    }

    static func harHeaders(_ headers: HeaderFields) -> JSONValue {
        .array(headers.map { ["name": .string($0.name), "value": .string($0.value)] })
    }

    static func queryItems(_ url: String) -> [JSONValue] {
        guard let q = url.firstIndex(of: "?") else { return [] }
        let query = url[url.index(after: q)...].split(separator: "#", maxSplits: 1).first ?? ""
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return ["name": .string(name), "value": .string(value)]
        }
    }

    // MARK: Helpers

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func xml(_ text: String) -> String { Markup.escaped(text) }
}
#endif
