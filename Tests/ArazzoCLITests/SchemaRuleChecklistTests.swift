import ArazzoJSON
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// `docs/rules.md` maps each rule of the 1.1 schema to its diagnostic codes and the golden lines
/// that pin them; this keeps the table true: at every `file (line, line)` it names, `validate`
/// reports one of the row's codes.
@Suite("1.1 schema rule checklist (docs/rules.md)")
struct SchemaRuleChecklistTests {
    @Test("every golden line the checklist names carries one of its row's codes")
    func checklistHolds() async throws {
        let root = Repository.rootURL
        let page = try String(contentsOfFile: root.path + "/docs/rules.md", encoding: .utf8)
        var reports: [String: [Int: Set<String>]] = [:]
        var checked = 0
        for row in page.split(separator: "\n") where row.hasPrefix("| ") && !row.hasPrefix("| Schema rule") {
            let columns = row.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard columns.count >= 5 else { continue }
            let codes = Set(columns[2].matches(of: /`([a-z0-9-]+)`/).map { String($0.output.1) })
            for match in columns[4].matches(of: /`([\w.\/-]+\.yaml)` \(([\d, –]+)\)/) {
                let file = String(match.output.1)
                let path = file.hasPrefix("Fixtures/") ? root.path + "/" + file : Repository.fixture("invalid/pipeline/" + file)
                if reports[path] == nil { reports[path] = await Self.codesByLine(path) }
                for line in match.output.2.split(whereSeparator: { !$0.isNumber }).compactMap({ Int($0) }) {
                    let found = reports[path]?[line] ?? []
                    #expect(!found.isDisjoint(with: codes), "docs/rules.md: \(file):\(line) has \(found.sorted()), expected one of \(codes.sorted()) (\(columns[1]))")
                    checked += 1
                }
            }
        }
        #expect(checked >= 60, "the checklist names golden lines")
    }

    /// `validate --format json` of `path`: the codes reported at each line.
    static func codesByLine(_ path: String) async -> [Int: Set<String>] {
        let result = await Invocation.run(["validate", "--format", "json", path], environment: ["NO_COLOR": "1"])
        guard case .array(let files)? = result.stdout.parsedYAML?["files"], case .array(let diagnostics)? = files.first?["diagnostics"] else {
            return [:]
        }
        var byLine: [Int: Set<String>] = [:]
        for diagnostic in diagnostics {
            if case .int(let line)? = diagnostic["line"], case .string(let code)? = diagnostic["code"] {
                byLine[line, default: []].insert(code)
            }
        }
        return byLine
    }
}
