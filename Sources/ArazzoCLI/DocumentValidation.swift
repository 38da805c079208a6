import Arazzo

/// The full check of a loaded document: what the loader found (structure and semantics) plus
/// every expression, criterion and operation checked against the loaded OpenAPI descriptions.
enum DocumentValidation {
    static func validate(_ loaded: LoadedDocument) -> Diagnostics {
        loaded.validate()
    }
}
