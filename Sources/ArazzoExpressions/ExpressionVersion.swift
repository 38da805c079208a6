/// The edition of the Arazzo specification whose runtime-expression grammar and criterion
/// semantics apply: a document's `arazzo` field decides it.
///
/// Every parsing and evaluating entry point takes one and defaults to ``v1_0``, so callers that
/// predate 1.1 keep their behaviour exactly.
public enum ExpressionVersion: String, Sendable, Hashable, Codable, CaseIterable {
    /// Arazzo 1.0.x: the 1.0.1 ABNF (no `$self`, no `$message`).
    case v1_0 = "1.0"
    /// Arazzo 1.1.x: the rewritten ABNF (`$self`, `$message.header.<token>`,
    /// `$message.payload#/pointer`) and the normative criterion semantics of 1.1.0.
    case v1_1 = "1.1"

    /// The edition of a document's `arazzo` version string: `1.1`, `1.1.0`, `1.1.7` → ``v1_1``;
    /// anything else (1.0.x, or text that is no version) → ``v1_0``, the conservative choice the
    /// loader's own version check reports on.
    public init(arazzo: String) {
        let parts = arazzo.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count >= 2, parts[0] == "1", parts[1] == "1" {
            self = .v1_1
        } else {
            self = .v1_0
        }
    }

    /// The spec version as written in messages ("Arazzo 1.0.1", "Arazzo 1.1.0").
    var displayName: String { self == .v1_0 ? "Arazzo 1.0.1" : "Arazzo 1.1.0" }
}
