import ArazzoJSON
import ArazzoJSONSchema
import Synchronization

/// The compiled contract schemas of one engine: each schema is converted and compiled once per
/// direction, however many requests and responses use it, and shared by concurrent runs.
///
/// Keys are the schema's place in the description (a `$ref` target, or the pointer of an inline
/// schema) plus the direction; converted `$ref` targets are memoised the same way, so a schema
/// referenced from many places is converted once. A second, process-wide level
/// (``SharedContractSchemas``) lets a new engine over the same description reuse what an earlier
/// one compiled, after checking that every schema it read is still the same.
final class ContractSchemaCache: Sendable {
    struct Key: Hashable {
        var document: String
        var place: String
        var direction: ContractDirection
    }

    // Behind a mutex: one engine's runs may check responses concurrently.
    private let compiled = Mutex<[Key: Result<JSONSchema, SchemaError>]>([:])
    /// Converted `$ref` targets, with the target as the description wrote it.
    private let converted = Mutex<[Key: (raw: JSONValue, converted: JSONValue)]>([:])

    /// The schema engine's options for contracts. `format` stays an annotation: descriptions use it
    /// loosely (vendor formats, `date-time` on values an API never promised to normalise), so
    /// asserting it would flood findings; the evaluation budget is raised from the inputs default
    /// (1M applications, about 12 MB of typical JSON) so bodies up to the response size limit are
    /// checked in full.
    static let options = JSONSchema.Options(maxEvaluationSteps: 50_000_000)

    /// The compiled schema for `schema` found at `place` of `document`, converted for `direction`
    /// from the description's dialect (`version`); `resolve` reads a reference as the description
    /// wrote it.
    func schema(
        _ schema: JSONValue, place: String, document: String, version: String, direction: ContractDirection,
        resolve: @escaping (String) -> JSONValue?
    ) -> Result<JSONSchema, SchemaError> {
        let key = Key(document: document, place: place, direction: direction)
        if let known = compiled.withLock({ $0[key] }) { return known }
        if let reused = SharedContractSchemas.shared.lookup(key, schema: schema, version: version, resolve: resolve) {
            compiled.withLock { $0[key] = reused }
            return reused
        }
        // Every schema the conversion and the compilation read, for the shared level's check.
        let log = ReadLog()
        let converter = OpenAPISchemaConverter(version: version, direction: direction) { reference in
            let target = resolve(reference)
            if let target { log.read.append((reference, target)) }
            return target
        }
        let root = converter.convert(schema)
        let result: Result<JSONSchema, SchemaError>
        do {
            let compiledSchema = try JSONSchema(root, options: Self.options) { reference in
                guard let original = OpenAPISchemaConverter.original(of: reference) else { return nil }
                let targetKey = Key(document: document, place: original, direction: direction)
                if let known = self.converted.withLock({ $0[targetKey] }) {
                    log.read.append((original, known.raw))
                    return known.converted
                }
                guard let target = resolve(original) else { return nil }
                log.read.append((original, target))
                let value = converter.convert(target)
                self.converted.withLock { $0[targetKey] = (target, value) }
                return value
            }
            result = .success(compiledSchema)
        } catch {
            result = .failure(error)
        }
        compiled.withLock { $0[key] = result }
        SharedContractSchemas.shared.store(key, schema: schema, version: version, read: log.read, result: result)
        return result
    }
}

/// The references one compilation read and what they held (one compilation, one task).
private final class ReadLog {
    var read: [(reference: String, target: JSONValue)] = []
}

/// Compiled contract schemas shared by every engine of the process, so that loading a description
/// again (a new engine per run, as `arazzo-bench workflow --mode fresh` does) does not compile its
/// schemas again. An entry is reused only when the schema and every `$ref` target its compilation
/// read are equal in the new description (a JSON comparison, far cheaper than compiling); the
/// conversion's own reads (`readOnly`/`writeOnly` behind a `$ref`) are compared too. Bounded: past ``limit`` entries it starts over.
final class SharedContractSchemas: Sendable {
    static let shared = SharedContractSchemas()
    static let limit = 2_048

    private struct Entry: Sendable {
        var schema: JSONValue
        var version: String
        var read: [(reference: String, target: JSONValue)]
        var result: Result<JSONSchema, SchemaError>
    }

    private let entries = Mutex<[ContractSchemaCache.Key: Entry]>([:])

    func lookup(
        _ key: ContractSchemaCache.Key, schema: JSONValue, version: String, resolve: (String) -> JSONValue?
    ) -> Result<JSONSchema, SchemaError>? {
        guard let entry = entries.withLock({ $0[key] }), entry.version == version, entry.schema == schema else { return nil }
        for (reference, target) in entry.read where resolve(reference) != target { return nil }
        return entry.result
    }

    func store(
        _ key: ContractSchemaCache.Key, schema: JSONValue, version: String,
        read: [(reference: String, target: JSONValue)], result: Result<JSONSchema, SchemaError>
    ) {
        entries.withLock { entries in
            if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(schema: schema, version: version, read: read, result: result)
        }
    }
}
