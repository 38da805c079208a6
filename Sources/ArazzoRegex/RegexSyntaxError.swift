/// A pattern (or flag string) that is not a valid ECMA-262 regular expression, or that the platform
/// engine cannot run.
package struct RegexSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line saying what is wrong and, where possible, what to write instead.
    package let message: String
    /// 0-based offset, in `Character`s, of the offending spot in the pattern. Errors in the flag
    /// string, and errors only the platform engine detects, report offset 0.
    package let offset: Int

    /// Creates an error; the translator is the only producer outside tests.
    package init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `offset N: message`, for logs and diagnostics.
    package var description: String { "offset \(offset): \(message)" }
}

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
