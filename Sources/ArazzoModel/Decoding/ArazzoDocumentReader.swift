package import ArazzoDiagnostics
package import ArazzoYAML

/// The outcome of reading one Arazzo document: the AST when it is usable, and every problem found.
package struct ArazzoReadResult: Sendable {
    /// The AST; nil when any error was found (warnings alone keep it).
    package let document: ArazzoSpecification?
    /// Every problem found (YAML, structure and semantics), sorted by location.
    package let diagnostics: Diagnostics
    /// The parsed node tree; nil when the text is not valid YAML/JSON.
    package let root: YAMLNode?
}

/// Reads Arazzo documents (YAML or JSON) into the AST, reporting every problem at once.
///
/// Reading runs three passes: the YAML layer (stops at the first syntax error, which is then the
/// only diagnostic), decoding (structure: fields, types, patterns, counts; collects all problems),
/// and ``ArazzoValidator`` (semantics: uniqueness, references, cycles). Runtime expressions are not
/// parsed here; the expression layer checks the ``ExpressionString`` fields.
package enum ArazzoDocumentReader {
    /// Parses and checks `text`; `file` names it in diagnostics (write it as the user should see it).
    package static func read(text: String, file: String) -> ArazzoReadResult {
        let root: YAMLNode
        do {
            root = try YAMLParser.parse(text, file: file)
        } catch {
            return ArazzoReadResult(document: nil, diagnostics: Diagnostics([error]), root: nil)
        }
        return read(root: root, file: file)
    }

    /// Checks an already parsed node tree.
    package static func read(root: YAMLNode, file: String) -> ArazzoReadResult {
        let (document, structural) = decode(root, file: file)
        var all = structural
        if let document {
            all.append(contentsOf: ArazzoValidator.validate(document))
        }
        let sorted = Diagnostics(all.sorted)
        return ArazzoReadResult(document: sorted.hasErrors ? nil : document, diagnostics: sorted, root: root)
    }

    /// The structural pass alone: builds the AST leniently (missing required strings become empty,
    /// a step without a target gets an empty `operationId`) so semantic checks can still run.
    /// Returns nil for the AST only when the root is not a mapping or the version is not 1.0.x.
    package static func decode(_ root: YAMLNode, file: String) -> (document: ArazzoSpecification?, diagnostics: Diagnostics) {
        var context = DecodingContext(file: file)
        let document = context.decodeDocument(root)
        return (document, Diagnostics(context.diagnostics))
    }
}
