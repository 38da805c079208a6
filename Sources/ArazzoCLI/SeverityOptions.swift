#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArgumentParser

/// `--strict` and `--severity CODE=LEVEL` (validate, run, fix): the severity policy applied to
/// every diagnostic before it is shown or decides an exit code.
struct SeverityOptions: ParsableArguments {
    @Flag(help: "Treat every warning as an error (like -Werror).")
    var strict = false

    @Option(
        name: .customLong("severity"),
        help: ArgumentHelp(
            "Set one rule's severity: CODE=error|warn|off (repeatable; docs/diagnostics.md lists the codes). Rules that are errors by default cannot be lowered.",
            valueName: "CODE=LEVEL"))
    var severities: [String] = []

    /// The policy, or the first unusable `--severity` value as a one-line message.
    func policy() -> Result<SeverityPolicy, CLIUsageError> {
        var policy = SeverityPolicy(strict: strict)
        for assignment in severities {
            do {
                try policy.setting(assignment)
            } catch {
                return .failure(CLIUsageError("--severity \(assignment): \(error.message)"))
            }
        }
        return .success(policy)
    }
}
#endif
