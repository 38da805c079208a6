#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoYAML
import Foundation
import ArazzoJSON
import ArazzoModel
import OrderedCollections

/// The command line's wording of inputs that could not be read (the library's ``InputValues``
/// gathers them: `ARAZZO_INPUT_<NAME>`, then `--inputs FILE`, then `--input NAME=VALUE`).
enum InputWording {
    /// `--input X: expected NAME=VALUE`, or the file's problem as the library words it.
    static func message(_ error: InputValuesError) -> String {
        if case .notAPair = error.problem { return "--input \(error.message)" }
        return error.message
    }
}
#endif
