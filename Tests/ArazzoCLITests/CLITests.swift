import ArazzoCLI
import ArazzoJSON
import ArazzoTestServer
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

private let stytchWorkflow = Repository.fixture("stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml")
private let stytchInputs = Repository.fixture("stytch/inputs.example.yaml")

@Suite("arazzo-run command line")
struct CLITests {
    @Test("--version prints the version and exits 0")
    func version() async {
        let result = await Invocation.run(["--version"])
        #expect(result.code == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == CLI.version)
    }

    @Test("--help lists the subcommands and exits 0")
    func help() async {
        let result = await Invocation.run(["--help"])
        #expect(result.code == 0)
        #expect(result.stdout.contains("validate"))
        #expect(result.stdout.contains("list"))
        #expect(result.stderr.isEmpty)
    }

    @Test("run --help shows the run command's own help")
    func subcommandHelp() async {
        let result = await Invocation.run(["run", "--help"])
        #expect(result.code == 0)
        #expect(result.stdout.contains("USAGE: arazzo-run run [<options>] <files> ..."))
        #expect(result.stdout.contains("--max-steps"))
    }

    @Test("an unknown option is a usage error (exit 2)")
    func unknownOption() async {
        let result = await Invocation.run(["run", stytchWorkflow] + ["--no-such-option"])
        #expect(result.code == 2)
        #expect(result.stderr.contains("no-such-option"))
    }

    @Test("--log-level debug logs workflow starts and ends, requests and actions with run metadata; without it nothing is logged")
    func logLevel() async {
        let log = CapturedLog()
        let result = await Invocation.run(
            [stytchWorkflow, "--inputs", stytchInputs, "--mock", "--log-level", "debug"], settings: log.settings)
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
        let lines = log.text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("info workflow totp-enrollment started attempt") == false)
        #expect(lines.first?.hasPrefix("info workflow totp-enrollment started runId=") == true, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("debug POST https://test.stytch.com/v1/b2b/totp → 200 in ") && $0.contains(" → 200 in ") && $0.contains("stepId=createTotp") })
        #expect(lines.contains { $0.hasPrefix("debug step createTotp succeeded; action: next attempt=1 runId=") })
        #expect(lines.last?.hasPrefix("info workflow totp-enrollment succeeded in ") == true)
        #expect(!lines.contains { $0.hasPrefix("trace ") })
        // The console output is unchanged by logging.
        let quiet = CapturedLog()
        let plain = await Invocation.run([stytchWorkflow, "--inputs", stytchInputs, "--mock"], settings: quiet.settings)
        #expect(quiet.text.isEmpty)
        let withoutTimes = { (text: String) in text.replacingOccurrences(of: #"[0-9.]+ ms"#, with: "…", options: .regularExpression) }
        #expect(withoutTimes(plain.stdout) == withoutTimes(result.stdout))

        let bad = await Invocation.run([stytchWorkflow, "--mock", "--log-level", "loud"])
        #expect(bad.code == 2)
        #expect(bad.stderr.contains("--log-level"))
    }

    @Test("arazzo-run FILE --mock runs the Stytch workflow offline and prints its three outputs")
    func stytchMock() async {
        let result = await Invocation.run([stytchWorkflow] + ["--inputs", stytchInputs, "--mock"])
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
        #expect(result.stdout.contains("✓ createTotp"))
        #expect(result.stdout.contains("✓ authenticateTotp"))
        #expect(result.stdout.contains("totpRegistrationId = \"member-totp-test-2c9a41d0-3f3a-4a39-8f0e-6f4d54a8b3c2\""))
        #expect(result.stdout.contains("memberId = \"member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0\""))
        #expect(result.stdout.contains("sessionToken = \"mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q\""))
        #expect(result.stdout.contains("1 workflow succeeded, 0 failed"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour codes when the output is not a terminal")
    }

    @Test("--json shows an XML response body as the text the mock sent, not as a parsed object")
    func reportBodyFollowsContentType() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let workflow = Repository.fixture("conformance/mock-xml-example-served-as-xml/arazzo.yaml")
        let result = await Invocation.run(["run", workflow, "--mock", "--json", directory.file("report.json")])
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
        let report = try String(contentsOfFile: directory.file("report.json"), encoding: .utf8).parsedYAML
        let response = report?["workflows"]?[0]?["steps"]?[0]?["response"]
        #expect(response?["bodyEncoding"] == "text")
        #expect(response?["body"]?.stringValue?.hasPrefix("<pet id=\"7\">") == true)
    }

    @Test("missing required inputs are all listed and nothing runs (exit 2)")
    func missingInputs() async {
        let result = await Invocation.run(["run", stytchWorkflow] + ["--mock"])
        #expect(result.code == 2)
        #expect(result.stderr.contains(
            "error: workflow 'totp-enrollment' is missing required inputs: organization_id, member_id, code"))
        #expect(!result.stdout.contains("createTotp"))
    }

    @Test("--input values are JSON when they parse, and ARAZZO_INPUT_ variables fill the rest")
    func inputsFromFlagsAndEnvironment() async {
        let result = await Invocation.run(
            ["run", stytchWorkflow] + ["--mock", "--input", "organization_id=org-1", "--input", "code=\"123456\""],
            environment: ["ARAZZO_INPUT_MEMBER_ID": "member-1"])
        #expect(result.code == 0, "\(result.stderr)")
    }

    @Test("The README's command line types --input code=123456 as the string the schema declares")
    func readmeInputFlags() async {
        // README.md "A 30-second tour", against the mock instead of test.stytch.com.
        let result = await Invocation.run([
            stytchWorkflow, "--mock", "--input", "organization_id=organization-test-1", "--input", "member_id=member-test-1",
            "--input", "code=123456",
        ])
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
        #expect(result.stdout.contains("1 workflow succeeded, 0 failed"))
    }

    @Test("a malformed --auth value is exit 3 and the secret is not echoed")
    func badCredential() async {
        let result = await Invocation.run([stytchWorkflow] + ["--inputs", stytchInputs, "--mock", "--auth", "stytchB2bApi=basic-topsecret"])
        #expect(result.code == 3)
        #expect(!result.stderr.contains("topsecret"))
    }

    @Test("--json, --junit and --har files are well-formed and carry no credential")
    func reportFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let result = await Invocation.run([
            stytchWorkflow, "--inputs", stytchInputs, "--mock",
            "--auth", "stytchB2bApi=basic:project-test-1:supersecret-value",
            "--json", directory.file("run.json"), "--junit", directory.file("junit.xml"), "--har", directory.file("run.har"),
        ])
        #expect(result.code == 0, "\(result.stderr)")
        let secrets = ["supersecret-value", CLIBase64.encode("project-test-1:supersecret-value")]

        let json = try String(contentsOfFile: directory.file("run.json"), encoding: .utf8)
        let report = try JSONValue(parsing: json)
        #expect(report["summary"]?["succeeded"] == .int(1))
        #expect(report["workflows"]?[0]?["outcome"] == "succeeded")
        #expect(report["workflows"]?[0]?["steps"]?.arrayValue?.count == 2)
        #expect(report["workflows"]?[0]?["outputs"]?["memberId"] == "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0")

        let har = try String(contentsOfFile: directory.file("run.har"), encoding: .utf8)
        let archive = try JSONValue(parsing: har)
        #expect(archive["log"]?["version"] == "1.2")
        #expect(archive["log"]?["entries"]?.arrayValue?.count == 2)
        #expect(archive["log"]?["entries"]?[0]?["request"]?["method"] == "POST")
        #expect(archive["log"]?["entries"]?[0]?["response"]?["status"] == .int(200))

        let junit = try String(contentsOfFile: directory.file("junit.xml"), encoding: .utf8)
        #expect(junit.contains("<testcase name=\"totp-enrollment\""))
        #expect(junit.contains("tests=\"1\" failures=\"0\""))
        #if canImport(FoundationXML) || canImport(Darwin)
        let parser = XMLParser(data: Data(junit.utf8))
        #expect(parser.parse(), "JUnit XML must be well-formed")
        #endif

        for secret in secrets {
            #expect(!json.contains(secret))
            #expect(!har.contains(secret))
            #expect(!junit.contains(secret))
            #expect(!result.stdout.contains(secret))
        }
    }

    @Test("a failing workflow writes a JUnit failure with the reason and exits 1")
    func junitFailure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let server = StytchServer()
        let port = try await server.start()
        let result = await Invocation.run([
            stytchWorkflow, "--inputs", stytchInputs, "--server", "stytchB2bApi=http://127.0.0.1:\(port)",
            "--auth", "stytchB2bApi=basic:wrong:credentials", "--junit", directory.file("junit.xml"),
        ])
        await server.stop()
        #expect(result.code == 1)
        #expect(result.stdout.contains("✗ createTotp"))
        #expect(result.stdout.contains("$statusCode == 200"))
        #expect(result.stdout.contains("401"))
        let junit = try String(contentsOfFile: directory.file("junit.xml"), encoding: .utf8)
        #expect(junit.contains("failures=\"1\""))
        #expect(junit.contains("<failure message=\"step createTotp"))
    }

    @Test("--dry-run prints each request and sends nothing")
    func dryRun() async {
        let result = await Invocation.run([stytchWorkflow] + ["--inputs", stytchInputs, "--dry-run",
                                           "--server", "stytchB2bApi=http://127.0.0.1:9"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("POST http://127.0.0.1:9/v1/b2b/totp"))
        #expect(result.stdout.contains("POST http://127.0.0.1:9/v1/b2b/totp/authenticate"))
    }

    @Test("list shows workflows, inputs with types and required flags, and steps")
    func list() async {
        let result = await Invocation.run(["list", stytchWorkflow])
        #expect(result.code == 0, "\(result.stderr)")
        let expected = """
            totp-enrollment  Create a member TOTP registration and authenticate the first code.
              inputs:
                organization_id: string (required)
                member_id: string (required)
                code: string (required)
                session_duration_minutes: integer (optional)
              steps:
                1. createTotp → operationId api_b2b_totp_v1_Create
                2. authenticateTotp → operationId api_b2b_totp_v1_Authenticate
              outputs: totpRegistrationId, memberId, sessionToken

            """
        #expect(result.stdout == expected)
    }

    @Test("list follows a `$ref` in the inputs schema and in its properties (components/inputs, $defs)")
    func listFollowsInputReferences() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try """
            openapi: 3.1.0
            info: {title: t, version: 1.0.0}
            paths:
              /status:
                get: {operationId: getStatus, responses: {'200': {description: ok}}}
            """.write(toFile: directory.file("api.yaml"), atomically: true, encoding: .utf8)
        try """
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions:
              - {name: api, url: ./api.yaml, type: openapi}
            workflows:
              - workflowId: wf
                inputs: {$ref: '#/components/inputs/wfInputs'}
                steps:
                  - {stepId: s, operationId: getStatus}
            components:
              inputs:
                pin: {type: string, format: password}
                wfInputs:
                  type: object
                  required: [pin]
                  properties:
                    pin: {$ref: '#/components/inputs/pin'}
                    count: {$ref: '#/components/inputs/wfInputs/$defs/count'}
                  $defs:
                    count: {type: integer}
            """.write(toFile: directory.file("arazzo.yaml"), atomically: true, encoding: .utf8)
        let result = await Invocation.run(["list", directory.file("arazzo.yaml")])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("    pin: string (required, secret)\n"))
        #expect(result.stdout.contains("    count: integer (optional)\n"))
    }

    @Test("validate: the Stytch reference workflow is valid (exit 0)")
    func validateValid() async {
        let result = await Invocation.run(["validate", stytchWorkflow])
        #expect(result.code == 0, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("stytch-b2b-totp-enrollment-workflow.yml: valid\n"))
    }

    @Test("validate: an unreadable file is exit 2")
    func validateUnreadable() async {
        let result = await Invocation.run(["validate", "/nonexistent/wf.yaml"])
        #expect(result.code == 2)
        #expect(result.stderr.contains("/nonexistent/wf.yaml"))
    }

    @Test("validate --format json: errors with file, line and column (exit 1)")
    func validateJSON() async throws {
        let file = Repository.fixture("conformance/a3-steps-without-outputs-segment/arazzo.yaml")
        let result = await Invocation.run(["validate", "--format", "json", file])
        #expect(result.code == 1)
        let report = try JSONValue(parsing: result.stdout)
        let entry = report["files"]?[0]
        #expect(entry?["valid"] == false)
        let first = entry?["diagnostics"]?.arrayValue?.first { $0["severity"] == "error" }
        #expect(first?["line"] == .int(17))
        #expect(first?["column"] == .int(22))
        #expect(first?["message"]?.stringValue?.contains(".outputs.") == true)
    }
}

@Suite("The Stytch reference workflow against Stytch-shaped servers")
struct StytchEndToEndTests {
    static let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    static func server() -> StytchServer {
        StytchServer(configuration: .init(
            projectID: "project-test-11111111-2222-4333-8444-555555555555",
            secret: "secret-test-abcdefabcdefabcdefabcdefabcdef",
            secretGenerator: { _, _ in StytchEndToEndTests.secret }))
    }

    static func run(workflow: String, port: Int) async -> Invocation {
        // RFC 6238: the code the authenticator app would show for the configured secret, now.
        let code = TOTP.code(secretBase32: secret, at: Date()) ?? "000000"
        return await Invocation.run(
            [
                workflow, "--server", "stytchB2bApi=http://127.0.0.1:\(port)",
                "--input", "organization_id=organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
                "--input", "member_id=member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
                "--input", "code=\"\(code)\"",
            ],
            environment: [
                "ARAZZO_AUTH_STYTCHB2BAPI": "basic:project-test-11111111-2222-4333-8444-555555555555:secret-test-abcdefabcdefabcdefabcdefabcdef",
            ])
    }

    @Test("the workflow enrols and authenticates against StytchServer (Basic auth, RFC 6238 code)")
    func againstStytchServer() async throws {
        let server = Self.server()
        let port = try await server.start()
        let result = await Self.run(workflow: stytchWorkflow, port: port)
        await server.stop()
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
        #expect(result.stdout.contains("totpRegistrationId = "))
        #expect(result.stdout.contains("memberId = \"member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0\""))
        #expect(result.stdout.contains("sessionToken = "))
        #expect(!result.stdout.contains("secret-test-abcdef"))
        #expect(server.receivedRequests.count == 2)
    }

    @Test("the workflow also resolves and runs over the full third-party Stytch description",
          .enabled(if: Repository.hasShared))
    func againstFullDescription() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        // The workflow's source url is ../openapi/stytch-b2b-openapi.yml: rebuild that layout.
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory.file("arazzo"), withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory.file("openapi"), withIntermediateDirectories: true)
        try manager.copyItem(atPath: stytchWorkflow, toPath: directory.file("arazzo/workflow.yml"))
        try manager.copyItem(atPath: Repository.sharedStytchOpenAPI, toPath: directory.file("openapi/stytch-b2b-openapi.yml"))
        let server = Self.server()
        let port = try await server.start()
        let result = await Self.run(workflow: directory.file("arazzo/workflow.yml"), port: port)
        await server.stop()
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
        #expect(result.stdout.contains("sessionToken = "))
    }
}

/// Base64 for building expected Basic header values in tests.
enum CLIBase64 {
    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }
}

@Suite("validate output, golden")
struct ValidateGoldenTests {
    static let settings = CLISettings(workingDirectory: Repository.fixture("conformance"))

    @Test("text: every problem of every file, compiler-style, then one summary line per file")
    func text() async {
        let result = await Invocation.run(
            ["validate", "a3-steps-without-outputs-segment/arazzo.yaml", "a25-unknown-field-did-you-mean/arazzo.yaml",
             "a22-reusable-extra-property-warning/arazzo.yaml"],
            settings: Self.settings)
        #expect(result.code == 1)
        let golden = """
            a3-steps-without-outputs-segment/arazzo.yaml:17:22: error: `.outputs.` is missing: step outputs are read as `$steps.get.outputs.ok`
             17 |       ok: $steps.get.ok
                |                      ^
            a3-steps-without-outputs-segment/arazzo.yaml: 1 error
            a25-unknown-field-did-you-mean/arazzo.yaml:14:9: warning: unknown field `sucessCriteria` in Step Object is ignored; did you mean `successCriteria`? Without `successCriteria` the step succeeds on any response, even an error status
             14 |         sucessCriteria:
                |         ^
            fix-it: rename `sucessCriteria` to `successCriteria`
            a25-unknown-field-did-you-mean/arazzo.yaml: valid (1 warning)
            a22-reusable-extra-property-warning/arazzo.yaml:16:13: warning: `x-note` is not a field of a Reusable Object and is ignored; remove it (only `reference` and `value` are allowed)
             16 |             x-note: ignored
                |             ^
            a22-reusable-extra-property-warning/arazzo.yaml: valid (1 warning)

            """
        #expect(result.stdout == golden)
    }

    @Test("json: one entry per file with counts and located diagnostics")
    func json() async {
        let result = await Invocation.run(
            ["validate", "--format", "json", "a25-unknown-field-did-you-mean/arazzo.yaml"], settings: Self.settings)
        #expect(result.code == 0)
        let golden = """
            {
              "files": [
                {
                  "file": "a25-unknown-field-did-you-mean/arazzo.yaml",
                  "readable": true,
                  "valid": true,
                  "errors": 0,
                  "warnings": 1,
                  "diagnostics": [
                    {
                      "severity": "warning",
                      "message": "unknown field `sucessCriteria` in Step Object is ignored; did you mean `successCriteria`? Without `successCriteria` the step succeeds on any response, even an error status",
                      "file": "a25-unknown-field-did-you-mean/arazzo.yaml",
                      "line": 14,
                      "column": 9,
            """
        #expect(result.stdout.hasPrefix(golden), "\(result.stdout)")
    }

    @Test("warnings only: exit 0")
    func warningsOnly() async {
        let result = await Invocation.run(["validate", "a22-reusable-extra-property-warning/arazzo.yaml"], settings: Self.settings)
        #expect(result.code == 0)
    }
}

@Suite("Console behaviour")
struct ConsoleTests {
    @Test("colour only on a terminal, and never with NO_COLOR")
    func colour() async {
        let captured = CapturedOutput()
        let terminal = CLIOutput(isTerminal: true) { captured.output.write($0) }
        _ = await CLI.main(
            arguments: [stytchWorkflow] + ["--inputs", stytchInputs, "--mock"], environment: [:], stdout: terminal,
            stderr: CapturedOutput().output)
        #expect(captured.text.contains("\u{1B}[32m✓\u{1B}[0m createTotp"))

        let plain = CapturedOutput()
        let terminalNoColor = CLIOutput(isTerminal: true) { plain.output.write($0) }
        _ = await CLI.main(
            arguments: [stytchWorkflow] + ["--inputs", stytchInputs, "--mock"], environment: ["NO_COLOR": "1"],
            stdout: terminalNoColor, stderr: CapturedOutput().output)
        #expect(!plain.text.contains("\u{1B}["))
    }

    @Test("-v prints requests and responses with credentials redacted")
    func verboseRedacted() async throws {
        let server = StytchEndToEndTests.server()
        let port = try await server.start()
        let code = TOTP.code(secretBase32: StytchEndToEndTests.secret, at: Date()) ?? "000000"
        let result = await Invocation.run(
            [
                stytchWorkflow, "-v", "--server", "stytchB2bApi=http://127.0.0.1:\(port)",
                "--input", "organization_id=org-1", "--input", "member_id=member-1", "--input", "code=\"\(code)\"",
                "--auth", "stytchB2bApi=basic:project-test-11111111-2222-4333-8444-555555555555:secret-test-abcdefabcdefabcdefabcdefabcdef",
            ])
        await server.stop()
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
        #expect(result.stdout.contains("→ POST http://127.0.0.1:\(port)/v1/b2b/totp"))
        #expect(result.stdout.contains("← 200"))
        #expect(result.stdout.lowercased().contains("authorization: "))
        #expect(!result.stdout.contains("secret-test-abcdef"))
        #expect(!result.stdout.contains(CLIBase64.encode(
            "project-test-11111111-2222-4333-8444-555555555555:secret-test-abcdefabcdefabcdefabcdefabcdef")))
    }
}

@Suite("The conformance runner itself")
struct ConformanceRunnerTests {
    @Test("a case whose expectations are wrong fails, naming each difference")
    func detectsDifferences() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let folder = try Repository.mutatedConformanceCase("expr-statuscode", in: directory, replacing: [
            ("code: 200", "code: 201"), ("path: /pets/7", "path: /pets/8"),
        ])
        let problems = try await CLIConformanceRunner.run(folder)
        #expect(problems.contains { $0.contains("expected {\"code\":201}") })
        #expect(problems.contains { $0.contains("outcome failed, expected succeeded") })
        #expect(problems.contains { $0.hasPrefix("server: ") })
    }

    @Test("step lines match on the fields given")
    func stepMatching() {
        let matches = ConformanceCase.WorkflowExpectation.stepMatches
        #expect(matches("call 503 retry", "call 503 retry"))
        #expect(matches("refresh 200 next", "refresh 200"))
        #expect(!matches("call 503 fail", "call 503 retry"))
        #expect(!matches("call 500 next", "call 503"))
        #expect(matches("one 200 goto step three", "one 200 goto step three"))
    }
}

@Suite("Machine-readable output")
struct MachineOutputTests {
    @Test("list --format json gives workflows, typed inputs and steps")
    func listJSON() async throws {
        let result = await Invocation.run(["list", "--format", "json", stytchWorkflow])
        #expect(result.code == 0)
        let root = try JSONValue(parsing: result.stdout)
        let workflow = root["workflows"]?[0]
        #expect(workflow?["workflowId"] == "totp-enrollment")
        #expect(workflow?["inputs"]?[0] == ["name": "organization_id", "type": "string", "required": true, "secret": false])
        #expect(workflow?["inputs"]?[3]?["required"] == false)
        #expect(workflow?["steps"]?[1] == ["stepId": "authenticateTotp", "kind": "operationId", "target": "api_b2b_totp_v1_Authenticate"])
    }

    @Test("a transport failure appears in the HAR with status 0 and in the JSON report with its kind")
    func transportFailureReports() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let port = try await FaultServer.closedPort()
        let result = await Invocation.run([
            stytchWorkflow, "--inputs", stytchInputs, "--server", "stytchB2bApi=http://127.0.0.1:\(port)",
            "--json", directory.file("run.json"), "--har", directory.file("run.har"),
        ])
        #expect(result.code == 1)
        let report = try JSONValue(parsing: try String(contentsOfFile: directory.file("run.json"), encoding: .utf8))
        #expect(report["workflows"]?[0]?["failure"]?["stepId"] == "createTotp")
        #expect(report["workflows"]?[0]?["steps"]?[0]?["transportError"]?["kind"] == "connectionRefused")
        let har = try JSONValue(parsing: try String(contentsOfFile: directory.file("run.har"), encoding: .utf8))
        #expect(har["log"]?["entries"]?.arrayValue?.count == 1)
        #expect(har["log"]?["entries"]?[0]?["response"]?["status"] == .int(0))
    }
}
