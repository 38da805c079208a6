#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation

/// The report of a run over several documents (or a shard): a `documents` array of the
/// single-document reports, each without the run-wide fields (decision SH3, format in
/// `docs/cli.md`).
struct MultiRunReport {
    /// One document of the run.
    struct Document {
        /// The path relative to the invocation root.
        let shown: String
        /// Its report; `nil` when nothing of it ran here (another shard's, nothing selected, or
        /// it could not run).
        let report: RunReport?
        /// Every workflow selected in it before sharding, in run order: how a merge orders the
        /// workflows of several shards.
        let selected: [String]
        /// The exit code it ended with when it could not run at all.
        let exitCode: Int32?
    }

    let documents: [Document]
    let started: Date
    let finished: Date
    let dryRun: Bool
    let mock: Bool
    let shard: Shard?

    /// The workflows that ran here, across documents.
    var workflowCount: Int { documents.compactMap(\.report).map(\.results.count).reduce(0, +) }
    /// The workflows refused here (invalid), across documents.
    var notRunCount: Int { documents.compactMap(\.report).map(\.invalidRuns.count).reduce(0, +) }

    /// The report as JSON.
    var jsonValue: JSONValue {
        var root: JSONObject = [
            "tool": ["name": "arazzo-run", "version": .string(CLI.version)],
            "startedAt": .string(RunReport.iso8601(started)),
            "finishedAt": .string(RunReport.iso8601(finished)),
            "dryRun": .bool(dryRun),
            "mock": .bool(mock),
        ]
        if let shard { root["shard"] = ["index": .int(shard.index), "count": .int(shard.count)] }
        let entries: [JSONValue] = documents.map { document in
            var entry: JSONObject
            if let report = document.report {
                entry = RunReport.documentEntry(report.jsonObject())
            } else {
                entry = [
                    "document": .string(document.shown),
                    "summary": RunReport.summaryJSON(workflows: [], notRun: 0),
                    "workflows": [],
                ]
            }
            entry["selected"] = .array(document.selected.map(JSONValue.string))
            if let code = document.exitCode {
                entry["exitCode"] = .int(Int(code))
                entry["error"] = "not run: the document could not be loaded or run (the problems were printed on stderr)"
            }
            return .object(entry)
        }
        root["summary"] = RunReport.totals(entries)
        root["documents"] = .array(entries)
        return .object(root)
    }

    /// The report as pretty-printed JSON text, as `--json` writes it.
    func jsonText() -> String { jsonValue.jsonText(.init(prettyPrinted: true)) + "\n" }
}

extension RunReport {
    /// The run-wide fields a single-document report holds and a `documents` entry leaves to the
    /// root.
    static let runWideKeys: Set<String> = ["tool", "dryRun", "mock"]

    /// A single-document report's object as a `documents` entry.
    static func documentEntry(_ object: JSONObject) -> JSONObject {
        object.filter { !runWideKeys.contains($0.key) }
    }

    /// A `summary` object counted from `workflows` JSON entries (their `outcome`) and `notRun`.
    static func summaryJSON(workflows: [JSONValue], notRun: Int) -> JSONValue {
        let outcomes = workflows.map { $0.objectValue?["outcome"]?.stringValue ?? "" }
        return [
            "workflows": .int(workflows.count),
            "succeeded": .int(outcomes.filter { $0 == "succeeded" }.count),
            "planned": .int(outcomes.filter { $0 == "planned" }.count),
            "failed": .int(outcomes.filter { $0 == "failed" }.count),
            "notRun": .int(notRun),
        ]
    }

    /// The root `summary` of a multi-document report: the documents' summaries added up.
    static func totals(_ entries: [JSONValue]) -> JSONValue {
        var totals: JSONObject = ["documents": .int(entries.count)]
        for key in ["workflows", "succeeded", "planned", "failed", "notRun"] {
            totals[key] = .int(entries.map { $0.objectValue?["summary"]?.objectValue?[key]?.reportInt ?? 0 }.reduce(0, +))
        }
        totals["documentsNotRun"] = .int(entries.filter { $0.objectValue?["exitCode"] != nil }.count)
        return .object(totals)
    }
}

/// JUnit XML written from a JSON run report (single- or multi-document): one testsuite per
/// document, one testcase per workflow. `run` with several documents and `report merge` write it.
enum JUnitReport {
    /// The JUnit XML of `root` (a single-document report is one testsuite).
    static func text(_ root: JSONValue) -> String {
        let object = root.objectValue ?? [:]
        let entries = object["documents"]?.arrayValue ?? [root]
        var suites = ""
        var total = 0
        var failures = 0
        let time = seconds(from: object["startedAt"]?.stringValue, to: object["finishedAt"]?.stringValue)
        for entry in entries {
            let document = entry.objectValue ?? [:]
            let title = document["title"]?.stringValue ?? document["document"]?.stringValue ?? ""
            let workflows = document["workflows"]?.arrayValue ?? []
            let notRun = document["notRun"]?.arrayValue ?? []
            let error = document["error"]?.stringValue
            let failed = workflows.filter { $0.objectValue?["outcome"]?.stringValue == "failed" }.count + notRun.count + (error == nil ? 0 : 1)
            let tests = workflows.count + notRun.count + (error == nil ? 0 : 1)
            total += tests
            failures += failed
            let suiteTime = seconds(from: document["startedAt"]?.stringValue, to: document["finishedAt"]?.stringValue)
            suites += "  <testsuite name=\"\(RunReport.xml(title))\" tests=\"\(tests)\" failures=\"\(failed)\" errors=\"0\" skipped=\"0\""
            suites += " time=\"\(suiteTime)\" timestamp=\"\(document["startedAt"]?.stringValue ?? object["startedAt"]?.stringValue ?? "")\""
            suites += " file=\"\(RunReport.xml(document["document"]?.stringValue ?? ""))\">\n"
            for workflow in workflows.compactMap(\.objectValue) {
                let id = workflow["workflowId"]?.stringValue ?? ""
                let ms = workflow["durationMs"]?.reportDouble ?? 0
                suites += "    <testcase name=\"\(RunReport.xml(id))\" classname=\"\(RunReport.xml(title))\" time=\"\(String(format: "%.3f", ms / 1000))\""
                let warnings = allSteps(workflow).flatMap { step in
                    (step["contract"]?.arrayValue ?? []).compactMap(\.objectValue).filter { $0["severity"]?.stringValue == "warning" }
                        .map { "step \(step["stepId"]?.stringValue ?? ""): \(finding($0))" }
                }
                let properties = warnings.isEmpty ? "" : "      <properties>\n" + warnings.map {
                    "        <property name=\"contract-warning\" value=\"\(RunReport.xml($0))\"/>\n"
                }.joined() + "      </properties>\n"
                if workflow["outcome"]?.stringValue == "failed", let failure = workflow["failure"]?.objectValue {
                    let message = failure["message"]?.stringValue ?? ""
                    let shown = failure["stepId"]?.stringValue.map { "step \($0): \(message)" } ?? message
                    suites += ">\n" + properties
                    suites += "      <failure message=\"\(RunReport.xml(shown))\" type=\"\(RunReport.xml(failure["kind"]?.stringValue ?? ""))\">"
                    suites += RunReport.xml(details(workflow)) + "</failure>\n    </testcase>\n"
                } else if !properties.isEmpty {
                    suites += ">\n" + properties + "    </testcase>\n"
                } else {
                    suites += "/>\n"
                }
            }
            for run in notRun.compactMap(\.objectValue) {
                suites += "    <testcase name=\"\(RunReport.xml(run["workflowId"]?.stringValue ?? ""))\" classname=\"\(RunReport.xml(title))\" time=\"0\">\n"
                suites += "      <failure message=\"not run: the document or the inputs are invalid\" type=\"invalid\">"
                suites += RunReport.xml((run["diagnostics"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "\n")) + "</failure>\n"
                suites += "    </testcase>\n"
            }
            if let error {
                suites += "    <testcase name=\"(document)\" classname=\"\(RunReport.xml(title))\" time=\"0\">\n"
                suites += "      <failure message=\"\(RunReport.xml(error))\" type=\"invalid\"></failure>\n    </testcase>\n"
            }
            suites += "  </testsuite>\n"
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"arazzo-run\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n"
        return xml + suites + "</testsuites>\n"
    }

    private static func allSteps(_ workflow: JSONObject) -> [JSONObject] {
        (workflow["steps"]?.arrayValue ?? []).compactMap(\.objectValue)
            + (workflow["workflows"]?.arrayValue ?? []).compactMap(\.objectValue).flatMap(allSteps)
    }

    private static func finding(_ object: JSONObject) -> String {
        let pointer = object["pointer"]?.stringValue ?? ""
        return (object["check"]?.stringValue ?? "") + (pointer.isEmpty ? "" : " at \(pointer)") + ": " + (object["message"]?.stringValue ?? "")
    }

    /// The failure text: each step, its status, and the criteria and contract errors that failed.
    private static func details(_ workflow: JSONObject) -> String {
        var lines: [String] = []
        for step in (workflow["steps"]?.arrayValue ?? []).compactMap(\.objectValue) {
            let succeeded = step["succeeded"]?.boolValue ?? false
            var line = "\(succeeded ? "ok" : "FAILED") \(step["stepId"]?.stringValue ?? "") (\(step["operation"]?.stringValue ?? ""))"
            if let status = step["response"]?.objectValue?["status"]?.reportInt { line += " status \(status)" }
            if let error = step["transportError"]?.objectValue {
                line += " transport error \(error["kind"]?.stringValue ?? ""): \(error["message"]?.stringValue ?? "")"
            }
            if let action = step["action"]?.stringValue, !action.isEmpty { line += " -> \(action)" }
            lines.append(line)
            for verdict in (step["criteria"]?.arrayValue ?? []).compactMap(\.objectValue) where verdict["passed"]?.boolValue == false {
                lines.append("  criterion \(verdict["condition"]?.stringValue ?? ""): \(verdict["explanation"]?.stringValue ?? "")")
            }
            for finding in (step["contract"]?.arrayValue ?? []).compactMap(\.objectValue) where finding["severity"]?.stringValue == "error" {
                lines.append("  contract \(Self.finding(finding))")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func seconds(from start: String?, to end: String?) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let start = start.flatMap(formatter.date(from:)), let end = end.flatMap(formatter.date(from:)) else { return "0.000" }
        return String(format: "%.3f", end.timeIntervalSince(start))
    }
}
extension JSONValue {
    /// An integer value (a whole double counts), for reading reports back.
    var reportInt: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d: return Int(exactly: d)
        default: return nil
        }
    }

    /// A number as a double, for reading reports back.
    var reportDouble: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}
#endif
