import Arazzo

/// The command line's inputs: `ARAZZO_INPUT_<NAME>` variables, then `--inputs FILE`, then
/// `--input NAME=VALUE` (each later source wins), gathered by the library's ``InputValues``.
enum InputWording {
    /// The inputs given to a run of `runner`'s `selected` workflows, or the error line to print.
    static func collect(
        flags: [String], file: String?, environment: [String: String], selected: [String], runner: WorkflowRunner
    ) -> Result<InputValues, InputValuesError> {
        var given = InputValues()
        given.add(environment: environment, declaredNames: selected.flatMap { runner.inputDescriptions(of: $0).map(\.name) })
        do throws(InputValuesError) {
            if let file { try given.add(fileAt: file) }
            try given.add(pairs: flags)
        } catch {
            return .failure(error)
        }
        return .success(given)
    }

    /// `--input X: expected NAME=VALUE`, or the file's problem as the library words it.
    static func message(_ error: InputValuesError) -> String {
        if case .notAPair = error.problem { return "--input \(error.message)" }
        return error.message
    }
}
