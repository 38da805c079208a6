import Arazzo
import ArazzoHTTP
import ArazzoTestServer
import ArazzoTestSupport
import Foundation
import NIOPosix
import Synchronization
import Testing

/// Decision EL1: with ``AsyncHTTPExecutor`` a workflow run executes on one of the client's
/// event loops, so its requests are written and its responses resumed on the connection's thread;
/// `runsOnEventLoops: false` leaves runs on Swift's global executor.
@Suite struct EventLoopPlacementTests {
    /// Forwards to an ``AsyncHTTPExecutor`` (as ``PolicyEnforcingExecutor`` does) and notes, before
    /// and after each exchange, whether the run's code is on an event loop.
    final class Observing: StepExecutor, Sendable {
        let base: AsyncHTTPExecutor
        private let onLoop = Mutex<[Bool]>([])
        init(_ base: AsyncHTTPExecutor) { self.base = base }

        var observed: [Bool] { onLoop.withLock { $0 } }

        func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            onLoop.withLock { $0.append(MultiThreadedEventLoopGroup.currentEventLoop != nil) }
            let response = try await base.execute(request)
            onLoop.withLock { $0.append(MultiThreadedEventLoopGroup.currentEventLoop != nil) }
            return response
        }

        func preferredTaskExecutor() -> (any TaskExecutor)? { base.preferredTaskExecutor() }
    }

    static func run(runsOnEventLoops: Bool, holdingEveryLoop: Bool = false) async throws -> (RunResult, [Bool]) {
        let secret = StytchWorkflowOverHTTPTests.secret
        let clock = StytchWorkflowOverHTTPTests.clock
        let code = try #require(TOTP.code(secretBase32: secret, at: clock))
        let path = Repository.root + "/Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml"
        let document = try await ArazzoLoader().load(path: path)
        return try await withServer(StytchWorkflowOverHTTPTests.server()) { server in
            try await withTestExecutor(.init(runsOnEventLoops: runsOnEventLoops)) { http in
                let observing = Observing(http)
                // Other runs holding every loop, as under concurrency: this run gets none.
                var held: [any TaskExecutor] = []
                while holdingEveryLoop, held.count < 1_024, let place = http.preferredTaskExecutor() { held.append(place) }
                defer { withExtendedLifetime(held) {} }
                var options = RunOptions(executor: PolicyEnforcingExecutor(observing, policy: try HostPolicy(allowing: ["127.0.0.1"])))
                options.serverOverrides = ["stytchB2bApi": server.baseURL]
                options.credentials.bind(.basic(username: "project-test-e2e", password: "secret-test-e2e-canary"), toSource: "stytchB2bApi")
                let inputs: JSONValue = [
                    "organization_id": .string(StytchWorkflowOverHTTPTests.organization),
                    "member_id": .string(StytchWorkflowOverHTTPTests.member), "code": .string(code),
                ]
                let result = try await WorkflowEngine(document: document, options: options).run(workflowId: "totp-enrollment", inputs: inputs)
                #expect(MultiThreadedEventLoopGroup.currentEventLoop == nil, "the caller is back where it was")
                return (result, observing.observed)
            }
        }
    }

    @Test func runsExecuteOnTheClientsEventLoops() async throws {
        let (result, observed) = try await Self.run(runsOnEventLoops: true)
        #expect(result.succeeded, "\(result.outcome)")
        #expect(observed == [true, true, true, true])
    }

    @Test func aRunStartedWhileEveryLoopIsHeldStaysOnTheGlobalExecutor() async throws {
        let (result, observed) = try await Self.run(runsOnEventLoops: true, holdingEveryLoop: true)
        #expect(result.succeeded, "\(result.outcome)")
        #expect(observed == [false, false, false, false])
        // Released places are given out again.
        let (again, observedAgain) = try await Self.run(runsOnEventLoops: true)
        #expect(again.succeeded, "\(again.outcome)")
        #expect(observedAgain == [true, true, true, true])
    }

    @Test func runsStayOnTheGlobalExecutorWhenTurnedOff() async throws {
        let (result, observed) = try await Self.run(runsOnEventLoops: false)
        #expect(result.succeeded, "\(result.outcome)")
        #expect(observed == [false, false, false, false])
    }
}
