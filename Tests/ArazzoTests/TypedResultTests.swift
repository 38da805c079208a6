import Foundation
import Testing
import Arazzo

/// A step's action and a failure's kind are enums (issue 15), written in JSON as the strings
/// reports always had, and read back from them.
@Suite("Typed run results")
struct TypedResultTests {
    @Test("StepAction is written as its report string and read back", arguments: [
        (StepAction.next, "next"), (.end, "end"), (.fail, "fail"), (.sideStep, ""),
        (.gotoStep("poll"), "goto step poll"), (.gotoWorkflow("refund"), "goto workflow refund"),
        (.retry(after: .seconds(2)), "retry after 2s"), (.retry(after: .milliseconds(1500)), "retry after 1.5s"),
    ])
    func actionStrings(action: StepAction, text: String) throws {
        #expect(action.description == text)
        #expect(StepAction(text) == action)
        let encoded = try JSONEncoder().encode([action])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\(JSONValue.string(text).jsonText())]")
        #expect(try JSONDecoder().decode([StepAction].self, from: encoded) == [action])
    }

    @Test("Text that is no step action does not decode")
    func unknownAction() {
        #expect(StepAction("jump somewhere") == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([StepAction].self, from: Data(#"["later"]"#.utf8)) }
    }

    @Test("FailureReason.Kind raw values are the report strings")
    func kindStrings() throws {
        #expect(FailureReason.Kind.allCases.map(\.rawValue) == [
            "criteria", "transport", "request", "end-action", "retries-exhausted", "operation", "workflow", "dependency",
            "inputs", "action", "timeout", "contract", "max-steps", "max-depth", "deadline", "cancelled",
        ])
        let reason = FailureReason(stepId: "s", message: "m", kind: .retriesExhausted)
        let json = try JSONValue(parsing: String(decoding: try JSONEncoder().encode(reason), as: UTF8.self))
        #expect(json["kind"] == "retries-exhausted")
        #expect(try JSONDecoder().decode(FailureReason.self, from: JSONEncoder().encode(reason)) == reason)
        #expect(LimitReached.Limit.maxSteps.kind == .maxSteps)
    }
}
