#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo

/// The command line's wording of a credential that could not be read: `--auth TARGET=…: …` for
/// a flag, the variable's name for `ARAZZO_AUTH_*` (the library's ``CredentialSpecs`` parses both).
enum CredentialWording {
    static func message(_ error: CredentialSpecError) -> String {
        switch (error.origin, error.problem) {
        case (.spec(_, let shown), .missingTarget):
            return "--auth \(shown): \(error.reason)"
        case (.spec(let target?, _), .invalidValue):
            return "--auth \(target)=…: \(error.reason)"
        case (.spec(_, let shown), _):
            return "\(shown): \(error.reason)"
        case (.environment(let variable), _):
            return "\(variable): \(error.reason)"
        }
    }
}
#endif
