import Arazzo
import ArazzoCLI
import ArazzoJSON
import ArazzoYAML
import Foundation
import ArazzoDiagnostics

/// Locates repository files from the test sources, in the main package or a scratch package.
enum Repository {
    /// The directory that holds `Fixtures/` and `Package.swift`, found by walking up from this file.
    static let root: URL? = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<10 {
            let fixtures = url.appendingPathComponent("Fixtures").path
            let package = url.appendingPathComponent("Package.swift").path
            if FileManager.default.fileExists(atPath: fixtures), FileManager.default.fileExists(atPath: package) {
                return url
            }
            url.deleteLastPathComponent()
        }
        return nil
    }()

    static func fixture(_ relative: String) -> String {
        (root?.appendingPathComponent("Fixtures").appendingPathComponent(relative).path) ?? "Fixtures/" + relative
    }

    /// The shared third-party material next to the repository (`../shared`), absent in CI.
    static let shared: String = {
        let sibling = root?.deletingLastPathComponent().appendingPathComponent("shared").path
        if let sibling, FileManager.default.fileExists(atPath: sibling) { return sibling }
        return "/work/shared"
    }()
    static var sharedStytchOpenAPI: String { shared + "/fixtures/stytch/openapi/stytch-b2b-openapi.yml" }
    static var hasShared: Bool { FileManager.default.fileExists(atPath: sharedStytchOpenAPI) }
}

/// One in-process CLI invocation and what it printed.
struct Invocation {
    let code: Int32
    let stdout: String
    let stderr: String

    static func run(
        _ arguments: [String], environment: [String: String] = [:], settings: CLISettings = CLISettings()
    ) async -> Invocation {
        let out = CapturedOutput()
        let err = CapturedOutput()
        let code = await CLI.main(
            arguments: arguments, environment: environment, stdout: out.output, stderr: err.output, settings: settings)
        return Invocation(code: code, stdout: out.text, stderr: err.text)
    }
}

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "arazzo-cli-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension String {
    /// The text parsed as YAML or JSON into a JSON value.
    var parsedYAML: JSONValue? {
        guard let node = try? YAMLParser.parse(self, file: "inline") else { return nil }
        return node.jsonValue
    }
}


/// Catalogue look-ups for tests.
enum DiagnosticRuleLookup {
    static func isCatalogued(_ code: String) -> Bool { DiagnosticRule.named(code) != nil }
}
