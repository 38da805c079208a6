package import ArazzoDiagnostics

/// A pattern (or flag string) that is not a valid ECMA-262 regular expression, or that the platform
/// engine cannot run. Errors in the flag string, and errors only the platform engine detects,
/// report offset 0.
package typealias RegexSyntaxError = SyntaxError

/// Why a search could not give a yes/no answer.
package struct RegexMatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason the search was not completed.
    package enum Kind: String, Sendable {
        /// The input exceeds `ECMARegex.maximumInputLength`.
        case inputTooLong
        /// The search ran past its time limit (catastrophic backtracking).
        case timeLimitExceeded
    }

    /// The reason the search was not completed.
    package let kind: Kind
    /// One line for reports.
    package let message: String

    /// Creates an error value.
    package init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    package var description: String { message }
}
