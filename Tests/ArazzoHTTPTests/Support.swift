import ArazzoExecutor
import ArazzoHTTP
import ArazzoTestServer
import Foundation
import Testing

/// Runs `body` with a fresh executor and always shuts it down.
func withTestExecutor<Result>(
    _ configuration: AsyncHTTPExecutor.Configuration = .init(),
    _ body: (AsyncHTTPExecutor) async throws -> Result
) async throws -> Result {
    try await AsyncHTTPExecutor.withExecutor(configuration: configuration) { executor in
        try await body(executor)
    }
}

/// Sends `request` and returns the transport error it must fail with (records an issue if it succeeded).
func expectFailure(
    _ executor: AsyncHTTPExecutor, _ request: HTTPRequest, sourceLocation: SourceLocation = #_sourceLocation
) async -> TransportError? {
    do {
        let response = try await executor.execute(request)
        Issue.record("expected a transport error, got status \(response.status)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// This process's resident memory in bytes (Linux), or `nil` where /proc is unavailable.
func residentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return digits.map { $0 * 1024 }
    }
    return nil
}

/// Polls `condition` (every 5 ms, for at most `limit`) — used only to wait for a server to have
/// received a request before cancelling, never to pace a test.
func waitUntil(limit: Duration = .seconds(30), _ condition: () -> Bool) async {
    let deadline = ContinuousClock.now + limit
    while !condition() && ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(5))
    }
}
