import ArazzoJSON
import ArazzoJSONSchema

/// The compiled contract schemas of one engine: each schema is converted and compiled once per
/// direction, however many requests and responses use it, and shared by concurrent runs.
///
/// Keys are the schema's place in the description (a `$ref` target, or the pointer of an inline
/// schema) plus the direction; converted `$ref` targets are memoised the same way, so a schema
/// referenced from many places is converted once.
final class ContractSchemaCache: @unchecked Sendable {
    struct Key: Hashable {
        var document: String
        var place: String
        var direction: ContractDirection
    }

    // Guarded by `lock`: one engine's runs may check responses concurrently.
    private let lock = Lock()
    private var compiled: [Key: Result<JSONSchema, SchemaError>] = [:]
    private var converted: [Key: JSONValue] = [:]

    /// The compiled schema for `schema` found at `place` of `document`, converted for `direction`
    /// from the description's dialect (`version`); `resolve` reads a reference as the description
    /// wrote it.
    func schema(
        _ schema: JSONValue, place: String, document: String, version: String, direction: ContractDirection,
        resolve: @escaping (String) -> JSONValue?
    ) -> Result<JSONSchema, SchemaError> {
        let key = Key(document: document, place: place, direction: direction)
        if let known = lock.withLock({ compiled[key] }) { return known }
        let converter = OpenAPISchemaConverter(version: version, direction: direction, resolve: resolve)
        let root = converter.convert(schema)
        let result: Result<JSONSchema, SchemaError>
        do {
            let compiledSchema = try JSONSchema(root, options: Self.options) { reference in
                guard reference.hasPrefix(OpenAPISchemaConverter.referencePrefix) else { return nil }
                let original = String(reference.dropFirst(OpenAPISchemaConverter.referencePrefix.count))
                let targetKey = Key(document: document, place: original, direction: direction)
                if let known = self.lock.withLock({ self.converted[targetKey] }) { return known }
                guard let target = resolve(original) else { return nil }
                let value = converter.convert(target)
                self.lock.withLock { self.converted[targetKey] = value }
                return value
            }
            result = .success(compiledSchema)
        } catch {
            result = .failure(error)
        }
        lock.withLock { compiled[key] = result }
        return result
    }

    /// The schema engine's options for contracts. `format` is an annotation in the engine today;
    /// when it can assert formats (`Options.assertFormat`), this is the one place to turn that on.
    static let options = JSONSchema.Options()

    /// How many schemas have been compiled (for tests of the once-per-document promise).
    var compiledCount: Int { lock.withLock { compiled.count } }
}
