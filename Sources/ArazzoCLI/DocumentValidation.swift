import Arazzo

/// The full check of a loaded document: what the loader found (structure and semantics) plus
/// every expression, criterion and operation checked against the loaded OpenAPI descriptions.
enum DocumentValidation {
    static func validate(_ loaded: LoadedDocument) -> Diagnostics {
        let warnings = SecretOutputs.documentWarnings(in: loaded)
        guard !warnings.isEmpty else { return loaded.validate() }
        return Diagnostics(loaded.validate().all + warnings)
    }
}
