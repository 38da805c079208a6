import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// The complete Arazzo 1.1 example documents of the specification text, kept in
/// `Fixtures/valid/1.1/spec-examples/` with the fewest changes that make them run (each marked in
/// the document): they validate with no error and only the warnings the example itself earns, and
/// run on `--mock` to success.
@Suite("Arazzo 1.1 specification examples")
struct SpecExampleTests {
    static let examples = ["pet-purchase.arazzo.yaml"]
    static let inputs: [String: [String]] = [
        "pet-purchase.arazzo.yaml": ["--input", "username=ada", "--input", "password=s3cret", "--input", "orderCorrelationId=order-1"],
    ]

    /// The pet purchase example sends an `Authorization` header parameter, which OpenAPI says an
    /// operation never declares (security schemes do): the engine notes it is sent as written.
    static let earnedWarnings: [String: [String]] = ["pet-purchase.arazzo.yaml": ["undeclared-parameter"]]

    @Test("validates with no error and only the warnings the example earns", arguments: examples)
    func validates(_ name: String) async {
        let result = await Invocation.run(
            ["validate", "--format", "json", Repository.fixture("valid/1.1/spec-examples/" + name)], environment: ["NO_COLOR": "1"])
        #expect(result.code == 0, "\(result.stdout)\(result.stderr)")
        let codes = result.stdout.split(separator: "\"code\"").dropFirst().compactMap { $0.split(separator: "\"").dropFirst().first.map(String.init) }
        #expect(codes == Self.earnedWarnings[name, default: []], "\(result.stdout)")
    }

    @Test("runs on --mock to success", arguments: examples)
    func runsOnMock(_ name: String) async {
        let result = await Invocation.run(
            ["run", Repository.fixture("valid/1.1/spec-examples/" + name), "--mock"] + Self.inputs[name, default: []],
            environment: ["NO_COLOR": "1"])
        #expect(result.code == 0, "\(result.stdout)\(result.stderr)")
    }
}
