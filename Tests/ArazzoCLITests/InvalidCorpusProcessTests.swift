import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// Every malformed or hostile document under `Fixtures/invalid/` (the golden set and the hostile
/// corpus), each validated by the real `arazzo-run` executable in its own process, under a
/// memory cap and a CPU-time cap: the process must end on its own (no signal, no hang), exit 1, print
/// a diagnostic located at `FILE:LINE:COLUMN`, and peak below the caps.
///
/// A separate process is the only place a per-document memory figure means something: in this
/// test process other suites allocate concurrently. The peak comes from `wait4`'s `ru_maxrss`
/// taken by a small Python driver: Linux starts a spawned child's `ru_maxrss` at its parent's
/// high-water mark, so measuring from this (large) test process directly would report this
/// process, not the child.
@Suite("Invalid and hostile documents through arazzo-run validate, one process each, capped")
struct InvalidCorpusProcessTests {
    /// Peak resident memory allowed for validating one document (debug build).
    static let memoryCapKB = 256 * 1024
    /// CPU time (user + system, from `wait4`) allowed for one document in a debug build. CPU time,
    /// not wall time, so that a machine busy with the other suites cannot trip it.
    static let cpuCapSeconds = 20.0
    /// Wall time after which a process that has not ended is killed: only blocking (a read that never
    /// returns) uses no CPU, so this catches what the CPU cap cannot, and it is far from any real figure.
    static let hangCapSeconds = 120.0

    /// Runs each file (relative to the repository root) and returns one line of results per file.
    static let driver = #"""
    import json, os, sys, time
    binary, hang_cap = sys.argv[1], float(sys.argv[2])
    for path in sys.argv[3:]:
        out = os.open("/tmp/arazzo-corpus-%d.out" % os.getpid(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        actions = [(os.POSIX_SPAWN_DUP2, out, 1), (os.POSIX_SPAWN_DUP2, out, 2)]
        started = time.monotonic()
        pid = os.posix_spawn(binary, [binary, "validate", path], dict(os.environ, NO_COLOR="1"), file_actions=actions)
        os.close(out)
        killed = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() - started > hang_cap and not killed:
                os.kill(pid, 9)
                killed = True
            time.sleep(0.002)
        elapsed = time.monotonic() - started
        with open("/tmp/arazzo-corpus-%d.out" % os.getpid(), "rb") as f:
            text = f.read().decode("utf-8", "replace")
        print(json.dumps({"file": path, "exit": os.waitstatus_to_exitcode(status), "killed": killed,
                          "seconds": elapsed, "cpu_seconds": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss, "output": text[:4000]}), flush=True)
    os.unlink("/tmp/arazzo-corpus-%d.out" % os.getpid())
    """#

    /// `arazzo-run` next to this test binary (`swift build --build-tests` builds both).
    static var executable: String? {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var candidates = [here.appendingPathComponent("arazzo-run").path]
        candidates.append(Repository.rootURL.appendingPathComponent(".build/debug/arazzo-run").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The documents: `Fixtures/invalid/*` and `Fixtures/invalid/hostile/*` (YAML, JSON, binary).
    static var documents: [String] {
        var found: [String] = []
        for folder in ["Fixtures/invalid", "Fixtures/invalid/hostile"] {
            let root = Repository.rootURL
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            else { continue }
            for name in names where ["yaml", "yml", "json", "bin"].contains((name as NSString).pathExtension) {
                found.append(folder + "/" + name)
            }
        }
        return found.sorted()
    }

    @Test("at least 100 documents, each ends on its own with a located diagnostic, under the memory and time caps")
    func corpus() throws {
        let documents = Self.documents
        #expect(documents.count >= 100, "only \(documents.count) documents under Fixtures/invalid")
        let binary = try #require(Self.executable, "arazzo-run is not built next to the tests; run `swift build --build-tests`")
        let root = Repository.rootURL

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.driver, binary, String(Self.hangCapSeconds)] + documents
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the driver failed")

        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == documents.count, "\(lines.count) results for \(documents.count) documents")
        var peak = (kb: 0, file: "")
        for line in lines {
            let result = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let file = result["file"] as? String ?? "?"
            let output = result["output"] as? String ?? ""
            let maxRSS = result["maxrss_kb"] as? Int ?? Int.max
            let cpuSeconds = result["cpu_seconds"] as? Double ?? .infinity
            #expect(result["killed"] as? Bool == false, "\(file): still running after \(Self.hangCapSeconds) s")
            #expect(result["exit"] as? Int == 1, "\(file): exit \(result["exit"] ?? "?"), output: \(output.prefix(300))")
            #expect(cpuSeconds < Self.cpuCapSeconds, "\(file): \(cpuSeconds) s of CPU")
            #expect(maxRSS < Self.memoryCapKB, "\(file): peak \(maxRSS / 1024) MB")
            let located = output.split(separator: "\n").contains { line in
                line.hasPrefix(file + ":") && line.contains(": error: ")
                    && line.dropFirst(file.count + 1).prefix(while: { $0 != " " }).split(separator: ":").count >= 2
            }
            #expect(located, "\(file): no error located at FILE:LINE:COLUMN in: \(output.prefix(300))")
            if maxRSS > peak.kb { peak = (maxRSS, file) }
        }
        print("invalid corpus: \(lines.count) documents, peak \(peak.kb / 1024) MB (\(peak.file))")
    }
}
