#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `spawn`: runs one command as a child process and reports its wall time (spawn to exit) and its
/// peak resident set size — the same measurement for any program, Swift or Python.
///
/// The peak RSS comes from GNU `time -f %M` wrapped around the command when `/usr/bin/time`
/// exists: Linux carries the pre-`exec` high-water mark into `ru_maxrss`, and a `posix_spawn`ed
/// child starts on the spawner's (~23 MB) address space, so `wait4`'s figure is only an upper bound
/// (`max(spawner, child)`). `time` is small (~1 MB) and forks the command itself. The wrapper adds
/// about a millisecond of wall time, the same on both sides.
///
///     arazzo-bench spawn [--require TEXT] [--output FILE] -- COMMAND ARGS...
///
/// Prints `result wall_ms=… maxrss_kb=… exit=…`. Fails (exit 1, with the child's output on
/// standard error) when the command exits non-zero or its standard output lacks `TEXT`: a failed
/// run is not a measurement.
enum SpawnCommand {
    static func run(arguments: [String]) throws {
        guard let dash = arguments.firstIndex(of: "--"), dash + 1 < arguments.count else {
            throw BenchError.usage("spawn needs -- COMMAND [ARGS...]")
        }
        let own = Array(arguments[..<dash])
        let command = Array(arguments[(dash + 1)...])
        let required = stringOption("--require", in: own)
        let directory = FileManager.default.temporaryDirectory.path
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let outputPath = stringOption("--output", in: own) ?? "\(directory)/arazzo-bench-spawn-\(token).out"
        let errorPath = "\(directory)/arazzo-bench-spawn-\(token).err"
        defer {
            if stringOption("--output", in: own) == nil { unlink(outputPath) }
            unlink(errorPath)
        }

        let rssPath = "\(directory)/arazzo-bench-spawn-\(token).rss"
        defer { unlink(rssPath) }
        let timeTool = "/usr/bin/time"
        let wrapped = FileManager.default.isExecutableFile(atPath: timeTool) && !own.contains("--no-time")
        var measured = try spawnAndWait(
            wrapped ? [timeTool, "-f", "%M", "-o", rssPath, "--"] + command : command,
            stdoutPath: outputPath, stderrPath: errorPath)
        if wrapped, let text = try? String(contentsOfFile: rssPath, encoding: .utf8),
            let kilobytes = text.split(whereSeparator: \.isNewline).last.flatMap({ Int($0) })
        {
            measured.maxRSSKilobytes = kilobytes
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        var failure: String?
        if measured.exitCode != 0 {
            failure = "exited with status \(measured.exitCode)"
        } else if let required, !output.contains(required) {
            failure = "its output lacks '\(required)'"
        }
        if let failure {
            FileHandle.standardError.write(Data("spawn: \(command.joined(separator: " ")) \(failure)\n--- stdout (tail) ---\n\(output.suffix(2000))\n--- stderr (tail) ---\n\(errors.suffix(2000))\n".utf8))
            exit(1)
        }
        print("result wall_ms=\(Measure.format(measured.wallSeconds * 1000, 2)) maxrss_kb=\(measured.maxRSSKilobytes) exit=\(measured.exitCode)")
    }

    struct Measured {
        var wallSeconds: Double
        var maxRSSKilobytes: Int
        var exitCode: Int32
    }

    /// `posix_spawnp` with standard output and error redirected to files, then `wait4`.
    static func spawnAndWait(_ command: [String], stdoutPath: String, stderrPath: String) throws -> Measured {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }

        let clock = ContinuousClock()
        let started = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw BenchError.usage("cannot start \(command[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError.usage("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let elapsed = clock.now - started
        let seconds = elapsed.seconds
        // The low 7 bits are the terminating signal (0: exited normally); the exit status is bits 8-15.
        let signal = status & 0x7f
        let exitCode = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return Measured(wallSeconds: seconds, maxRSSKilobytes: Int(usage.ru_maxrss), exitCode: exitCode)
    }
}

/// The text after `name` in `arguments`, if present.
func stringOption(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
#endif
