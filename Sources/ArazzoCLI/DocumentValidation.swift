import Arazzo

/// The full check of a loaded document: what the loader found plus the validator's rules
/// (structure, semantics, expressions, operations against the loaded OpenAPI descriptions).
enum DocumentValidation {
    static func validate(_ loaded: LoadedDocument) -> Diagnostics {
        var all = loaded.diagnostics
        var seen = Set(all.all)
        for diagnostic in ArazzoValidator.validate(loaded.document) where !seen.contains(diagnostic) {
            seen.insert(diagnostic)
            all.append(diagnostic)
        }
        return all
    }
}
