import ArazzoDiagnostics
import ArazzoRegex
import ArazzoTestSupport
import Testing

/// Regressions found by the hostile corpus (Fixtures/invalid/hostile/) and the fuzzers (fuzz/).
@Suite("Hostile patterns")
struct HostilePatternTests {
    func syntaxError(_ pattern: String) -> String? {
        do {
            _ = try ECMARegex(pattern)
            return nil
        } catch {
            return error.description
        }
    }

    /// The translator kept state proportional to the open groups for every capture group, so
    /// 10,000 nested groups took seconds and a 64 Ki pattern of them gigabytes, before ICU refused
    /// the pattern anyway.
    @Test("deeply nested groups are refused up front", arguments: ["(", "(?:", "(?=", "(?<="])
    func deepGroups(_ open: String) {
        // As deep as fits under the 64 Ki pattern length cap.
        let depth = 60_000 / (open.count + 1)
        let deep = String(repeating: open, count: depth) + "a" + String(repeating: ")", count: depth)
        var message: String?
        let elapsed = ThreadCPUTime.measure { message = syntaxError(deep) }
        #expect(message?.contains("nested more than 64 levels deep") == true, "\(message ?? "no error")")
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    @Test("nesting up to the limit still compiles")
    func nestingAtTheLimit() throws {
        let pattern = String(repeating: "(?:", count: 40) + "a" + String(repeating: ")", count: 40)
        #expect(try ECMARegex(pattern).test("xa"))
    }
}
