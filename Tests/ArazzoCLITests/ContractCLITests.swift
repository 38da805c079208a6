import Arazzo
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// `--contract`, `--severity contract-…` and where findings appear: console, `--json`, JUnit, HAR.
@Suite("Contract checks on the command line")
struct ContractCLITests {
    static let openapi = """
        openapi: 3.0.3
        info: {title: Pets, version: 1.0.0}
        servers: [{url: 'https://pets.example'}]
        paths:
          /pets:
            post:
              operationId: addPet
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {type: object, required: [name], properties: {name: {type: string}}}
              responses:
                '201':
                  description: created
                  content:
                    application/json:
                      schema: {type: object, properties: {name: {type: string}}}
        """
    static let arazzo = """
        arazzo: 1.0.1
        info: {title: Contract, version: 1.0.0}
        sourceDescriptions:
          - {name: pets, url: ./openapi.yaml, type: openapi}
        workflows:
          - workflowId: add
            steps:
              - stepId: add
                operationId: addPet
                requestBody:
                  contentType: application/json
                  payload: {name: 42}
        """

    /// Runs the document under `--mock` with the three reports; the invocation and the directory.
    static func run(_ extra: [String]) async throws -> (Invocation, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        try openapi.write(toFile: directory.file("openapi.yaml"), atomically: true, encoding: .utf8)
        try arazzo.write(toFile: directory.file("arazzo.yaml"), atomically: true, encoding: .utf8)
        let result = await Invocation.run([
            "run", directory.file("arazzo.yaml"), "--mock", "--json", directory.file("run.json"),
            "--junit", directory.file("junit.xml"), "--har", directory.file("run.har"),
        ] + extra)
        return (result, directory)
    }

    @Test("warn (the default): printed under the step, a `contract` list in --json, a JUnit property, HAR `_contract`")
    func warnReports() async throws {
        let (result, directory) = try await Self.run([])
        defer { directory.cleanup() }
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("! contract-request-body at /name: expected string, found integer 42"))
        let report = try JSONValue(parsing: String(contentsOfFile: directory.file("run.json"), encoding: .utf8))
        let finding = report["workflows"]?[0]?["steps"]?[0]?["contract"]?[0]
        #expect(finding?["check"] == "contract-request-body")
        #expect(finding?["severity"] == "warning")
        #expect(finding?["pointer"] == "/name")
        #expect(finding?["keyword"] == "type")
        let junit = try String(contentsOfFile: directory.file("junit.xml"), encoding: .utf8)
        #expect(junit.contains("<property name=\"contract-warning\" value=\"step add: contract-request-body at /name"))
        #expect(junit.contains("failures=\"0\""))
        let har = try JSONValue(parsing: String(contentsOfFile: directory.file("run.har"), encoding: .utf8))
        #expect(har["log"]?["entries"]?[0]?["_contract"]?[0]?["check"] == "contract-request-body")
    }

    @Test("--severity contract-request-body=error: nothing sent, the step fails, a JUnit failure names the check")
    func errorBySeverity() async throws {
        let (result, directory) = try await Self.run(["--severity", "contract-request-body=error"])
        defer { directory.cleanup() }
        #expect(result.code == 1)
        #expect(result.stdout.contains("✗ contract-request-body at /name"))
        let report = try JSONValue(parsing: String(contentsOfFile: directory.file("run.json"), encoding: .utf8))
        #expect(report["workflows"]?[0]?["failure"]?["kind"] == "contract")
        #expect(report["workflows"]?[0]?["steps"]?[0]?["response"] == nil)
        let junit = try String(contentsOfFile: directory.file("junit.xml"), encoding: .utf8)
        #expect(junit.contains("contract contract-request-body at /name"))
    }

    @Test("--contract off: no findings anywhere")
    func off() async throws {
        let (result, directory) = try await Self.run(["--contract", "off"])
        defer { directory.cleanup() }
        #expect(result.code == 0)
        #expect(!result.stdout.contains("contract-"))
        let report = try JSONValue(parsing: String(contentsOfFile: directory.file("run.json"), encoding: .utf8))
        #expect(report["workflows"]?[0]?["steps"]?[0]?["contract"] == [])
    }

    @Test("`rules` lists the contract codes; a misspelt one is refused with a did-you-mean")
    func rules() async throws {
        let rules = await Invocation.run(["rules"])
        for check in ContractCheck.allCases { #expect(rules.stdout.contains(check.rawValue)) }
        let (result, directory) = try await Self.run(["--severity", "contract-stauts=error"])
        defer { directory.cleanup() }
        #expect(result.code == 2)
        #expect(result.stderr.contains("contract-status"))
    }
}
