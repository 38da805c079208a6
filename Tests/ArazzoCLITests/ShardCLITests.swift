import ArazzoCLI
import ArazzoJSON
import ArazzoTestSupport
import ArazzoTesting
import Foundation
import OrderedCollections
import Testing

/// `run` over several documents, `--shard K/N` and `report merge` (decisions SH1–SH4).
@Suite("Sharding and merging")
struct ShardCLITests {
    /// The fixture directory: three documents (two `*.arazzo.yaml`, one `nested/billing.yaml`
    /// found by its `arazzo` key) with `dependsOn` chains, and files that are not documents.
    static let root = Repository.fixture("shard")
    static var settings: CLISettings { CLISettings(workingDirectory: root) }

    /// The workflows a run printed as started, `document#workflowId`, in order.
    static func ran(_ stdout: String) -> [String] {
        var document = ""
        var out: [String] = []
        for line in stdout.split(separator: "\n") {
            if line.hasPrefix("■ ") { document = String(line.dropFirst(2)) }
            if line.hasPrefix("▶ ") { out.append(document + "#" + String(line.dropFirst(2))) }
        }
        return out
    }

    /// Timing fields replaced: `startedAt`, `finishedAt` and `durationMs` at any depth, and the
    /// root's `shard` removed: what may differ between a merge of shards and one run. The
    /// absolute `documentURL` is replaced too, so that the text is the same on every machine.
    static func withoutTiming(_ value: JSONValue, top: Bool = true) -> JSONValue {
        switch value {
        case .object(let object):
            var out: JSONObject = [:]
            for (key, child) in object where !(top && key == "shard") {
                switch key {
                case "startedAt", "finishedAt", "durationMs": out[key] = "…"
                case "documentURL": out[key] = "file://…"
                default: out[key] = withoutTiming(child, top: false)
                }
            }
            return .object(out)
        case .array(let items): return .array(items.map { withoutTiming($0, top: false) })
        default: return value
        }
    }

    static func json(_ path: String) throws -> JSONValue {
        try JSONValue(parsing: String(contentsOfFile: path, encoding: .utf8))
    }

    @Test("N shard processes (N = 3, 4) run every workflow exactly once, never split a dependsOn chain, and merge to the unsharded report")
    func shardsCoverAndMerge() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let whole = await Invocation.run(["run", ".", "--mock", "--json", directory.file("all.json")], settings: Self.settings)
        #expect(whole.code == 0, "\(whole.stderr)")
        let all = Self.ran(whole.stdout)
        #expect(all.count == 11)
        #expect(whole.stdout.hasSuffix("11 workflows succeeded, 0 failed\n"))
        let chains = [
            ["orders.arazzo.yaml#create-order", "orders.arazzo.yaml#pay-order", "orders.arazzo.yaml#ship-order"],
            ["users.arazzo.yaml#sign-up", "users.arazzo.yaml#verify-email"],
            ["nested/billing.yaml#invoice", "nested/billing.yaml#refund", "nested/billing.yaml#report"],
        ]
        var assignment = ""
        for n in [3, 4] {
            var union: [String] = []
            var reports: [String] = []
            for k in 1...n {
                let report = directory.file("shard-\(k)-of-\(n).json")
                let shard = await Invocation.run(["run", ".", "--mock", "--shard", "\(k)/\(n)", "--json", report], settings: Self.settings)
                #expect(shard.code == 0, "\(shard.stderr)")
                let mine = Self.ran(shard.stdout)
                for chain in chains {
                    let held = chain.filter(mine.contains)
                    #expect(held.isEmpty || held.count == chain.count, "shard \(k)/\(n) splits \(chain): \(mine)")
                }
                union += mine
                reports.append(report)
                assignment += "\(k)/\(n): " + (mine.isEmpty ? "(nothing)" : mine.joined(separator: " ")) + "\n"
            }
            #expect(union.sorted() == all.sorted(), "N=\(n): every workflow exactly once")
            let merged = directory.file("merged-\(n).json")
            let merge = await Invocation.run(["report", "merge"] + reports + ["--json", merged], settings: Self.settings)
            #expect(merge.code == 0, "\(merge.stderr)")
            #expect(merge.stdout == "11 workflows succeeded, 0 failed (merged \(n) files)\n")
            #expect(Self.withoutTiming(try Self.json(merged)) == Self.withoutTiming(try Self.json(directory.file("all.json"))))
        }
        // The assignment is a function of the units and N only: pinned, so a change is seen.
        try GoldenFile.check(Repository.fixture("shard-goldens/shard-assignment.expected"), assignment)
        // The several-document report's form (decision SH3).
        try GoldenFile.check(
            Repository.fixture("shard-goldens/run-documents.expected.json"),
            Self.withoutTiming(try Self.json(directory.file("all.json"))).jsonText(.init(prettyPrinted: true)) + "\n")
    }

    @Test("a shard with nothing to do succeeds with a note; a bad --shard is a usage error")
    func emptyShard() async {
        let empty = await Invocation.run(["run", ".", "--mock", "--shard", "7/7"], settings: Self.settings)
        #expect(empty.code == 0)
        #expect(empty.stdout.contains("(shard 7/7: nothing to run; 6 units over 7 shards)"))
        for bad in ["0/3", "4/3", "2", "a/b"] {
            let result = await Invocation.run(["run", ".", "--mock", "--shard", bad], settings: Self.settings)
            #expect(result.code == 2)
            #expect(result.stderr.hasPrefix("error: --shard \(bad): expected K/N"))
        }
    }

    @Test("directories and quoted globs select documents in path order; --workflow ID and FILE#ID")
    func selection() async {
        let glob = await Invocation.run(["run", "**/*.yaml", "--mock"], settings: Self.settings)
        #expect(glob.code == 0, "\(glob.stderr)")
        #expect(Self.ran(glob.stdout).count == 11)
        let one = await Invocation.run(["run", "*.arazzo.yaml", "--mock", "--workflow", "orders.arazzo.yaml#pay-order", "--workflow", "health"], settings: Self.settings)
        #expect(one.code == 0, "\(one.stderr)")
        #expect(Self.ran(one.stdout) == ["orders.arazzo.yaml#pay-order", "users.arazzo.yaml#health"])
        let unknown = await Invocation.run(["run", ".", "--mock", "--workflow", "nope"], settings: Self.settings)
        #expect(unknown.code == 2)
        #expect(unknown.stderr == "error: --workflow nope: no document has workflow 'nope' (write ID, or FILE#ID for one document)\n")
        let nothing = await Invocation.run(["run", "nested/*.json", "--mock"], settings: Self.settings)
        #expect(nothing.code == 2)
        #expect(nothing.stderr == "error: nested/*.json: the pattern matches no Arazzo document\n")
    }

    @Test("a document that cannot run is reported and the others still run; with --shard only its owner reports it")
    func brokenDocumentAmongOthers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        for name in ["orders.arazzo.yaml", "users.arazzo.yaml", "ping.openapi.yaml"] {
            try FileManager.default.copyItem(atPath: Self.root + "/" + name, toPath: directory.file(name))
        }
        try "arazzo: [\n".write(toFile: directory.file("syntax.arazzo.yaml"), atomically: true, encoding: .utf8)
        let settings = CLISettings(workingDirectory: directory.path)
        let whole = await Invocation.run(["run", ".", "--mock", "--json", "r.json"], settings: settings)
        #expect(whole.code == 2)
        #expect(Self.ran(whole.stdout).count == 8)
        #expect(whole.stdout.hasSuffix("8 workflows succeeded, 0 failed, 1 document not run\n"))
        #expect(whole.stderr.hasPrefix("syntax.arazzo.yaml:2:1: error: "))
        let report = try Self.json(directory.file("r.json")).objectValue?["documents"]?.arrayValue ?? []
        #expect(report.compactMap { $0.objectValue?["exitCode"] } == [.int(2)])
        var reporting = 0
        for k in 1...3 {
            let shard = await Invocation.run(["run", ".", "--mock", "--shard", "\(k)/3"], settings: settings)
            if shard.stderr.contains("syntax.arazzo.yaml:2:1: error: ") {
                reporting += 1
                #expect(shard.code == 2)
            } else {
                #expect(shard.code == 0, "\(shard.stderr)")
            }
        }
        #expect(reporting == 1)
    }

    @Test("report merge writes JUnit the way run --junit does (failures included), modulo time attributes")
    func mergedJUnit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        // The orders document with a criterion the mock's 200 cannot meet: every workflow fails.
        let failing = try String(contentsOfFile: Self.root + "/orders.arazzo.yaml", encoding: .utf8)
            .replacingOccurrences(of: "$statusCode == 200", with: "$statusCode == 201")
        try failing.write(toFile: directory.file("orders.arazzo.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Self.root + "/ping.openapi.yaml", toPath: directory.file("ping.openapi.yaml"))
        let run = await Invocation.run([
            "run", directory.file("orders.arazzo.yaml"), "--mock", "--json", directory.file("r.json"), "--junit", directory.file("r.xml"),
        ])
        #expect(run.code == 1)
        let merge = await Invocation.run(["report", "merge", directory.file("r.json"), "--junit", directory.file("m.xml")])
        #expect(merge.code == 1)
        #expect(merge.stdout == "0 workflows succeeded, 4 failed (merged 1 file)\n")
        let untimed = { (path: String) throws -> String in
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: #" time="[0-9.]+""#, with: "", options: .regularExpression)
        }
        let expected = try untimed(directory.file("r.xml"))
        #expect(expected.contains("<failure message=\"step call:"))
        #expect(try untimed(directory.file("m.xml")) == expected)
    }

    @Test("report merge refuses a workflow twice with its location, and a file of another kind")
    func mergeRefusals() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let report = directory.file("one.json")
        _ = await Invocation.run(["run", "orders.arazzo.yaml", "--mock", "--json", report], settings: Self.settings)
        let twice = await Invocation.run(["report", "merge", report, report])
        #expect(twice.code == 2)
        #expect(twice.stderr.hasPrefix(report + ":"))
        #expect(twice.stderr.contains(": error: workflow 'create-order' of orders.arazzo.yaml is already in \(report)"))
        let allowed = await Invocation.run(["report", "merge", report, report, "--allow-duplicates"])
        #expect(allowed.stdout == "8 workflows succeeded, 0 failed (merged 2 files)\n")
        // One single-document report merges to itself, modulo nothing but the tool's own fields.
        let same = directory.file("same.json")
        _ = await Invocation.run(["report", "merge", report, "--json", same])
        #expect(try Self.json(same) == Self.json(report))
        let other = directory.file("other.json")
        try #"{"kind": "load-summary"}"#.write(toFile: other, atomically: true, encoding: .utf8)
        let kind = await Invocation.run(["report", "merge", other])
        #expect(kind.code == 2)
        #expect(kind.stderr == "\(other):1:1: error: a report of kind 'load-summary' cannot be merged (this version merges run results: the files `run --json` writes)\n")
    }
}
