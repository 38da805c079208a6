import Foundation

/// Runs a program to its end, for tests that check a real executable or a peer tool (`dot`,
/// Chromium, `ldd`, our own binaries).
public enum ChildProcess {
    /// Runs `executable` with `arguments` off the cooperative pool, `input` on its standard input
    /// (then closed), and with `environment` when given (else this process's); its exit code,
    /// stdout and stderr.
    public static func run(
        _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil
    ) async throws -> (code: Int32, stdout: String, stderr: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    if let environment { process.environment = environment }
                    let out = Pipe(), err = Pipe(), stdin = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    process.standardInput = stdin
                    try process.run()
                    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
                    try stdin.fileHandleForWriting.close()
                    // Read both pipes while it runs (a full pipe would block it).
                    let group = DispatchGroup()
                    nonisolated(unsafe) var errData = Data()
                    group.enter()
                    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
                    let outData = out.fileHandleForReading.readDataToEndOfFile()
                    group.wait()
                    process.waitUntilExit()
                    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
                })
            }
        }
    }
}
