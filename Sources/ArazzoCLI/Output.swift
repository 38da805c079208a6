#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where the CLI writes one of its text streams (standard output or standard error).
///
/// The command logic never touches the process's file descriptors directly, so tests, the
/// conformance runner and benchmarks can run it in-process and read what it printed.
package struct CLIOutput: Sendable {
    /// Whether the stream is a terminal: colour and other decoration are only used then.
    package let isTerminal: Bool
    private let sink: @Sendable (String) -> Void

    /// Creates an output that hands every piece of text to `write`.
    package init(isTerminal: Bool = false, write: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.sink = write
    }

    /// Writes `text` as is (no newline added).
    package func write(_ text: String) {
        sink(text)
    }

    /// Writes `text` followed by a newline.
    package func line(_ text: String = "") {
        sink(text + "\n")
    }

    /// The process's standard output; a terminal when `isatty(1)` says so.
    package static var standardOutput: CLIOutput {
        CLIOutput(isTerminal: isatty(1) == 1) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// The process's standard error; a terminal when `isatty(2)` says so.
    package static var standardError: CLIOutput {
        CLIOutput(isTerminal: isatty(2) == 1) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}

/// Collects everything written to a ``CLIOutput`` in memory (for tests and in-process callers).
package final class CapturedOutput: Sendable {
    // Behind a mutex: run events may arrive from several tasks.
    private let buffer = Mutex("")

    /// Creates an empty capture.
    package init() {}

    /// An output that appends to this capture; never a terminal.
    package var output: CLIOutput {
        CLIOutput(isTerminal: false) { [self] text in
            buffer.withLock { $0 += text }
        }
    }

    /// Everything written so far.
    package var text: String { buffer.withLock { $0 } }
}

/// ANSI styling that collapses to plain text when colour is off.
struct Style: Sendable {
    let enabled: Bool

    func green(_ text: String) -> String { wrap(text, "32") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func bold(_ text: String) -> String { wrap(text, "1") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
#endif
