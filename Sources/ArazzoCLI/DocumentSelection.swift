#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoYAML
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The documents `arazzo-run run` names: files as given, directories searched recursively and
/// globs the shell left unexpanded (decision SH1).
struct DocumentSelection {
    /// Absolute paths, in the order the arguments give them; each directory's and glob's in sorted
    /// path order. A document named twice is kept once, where first named.
    let paths: [String]

    /// True when the arguments name exactly one file (no directory, no glob): the command then
    /// behaves and reports exactly as it did with one FILE.
    let isSingleFile: Bool

    /// Expands `arguments` against `context`'s working directory; a one-line error for an
    /// argument that names nothing.
    static func expand(_ arguments: [String], _ context: CLIContext) -> Result<DocumentSelection, CLIUsageError> {
        var paths: [String] = []
        var seen: Set<String> = []
        var single = arguments.count == 1
        func add(_ path: String) {
            if seen.insert(path).inserted { paths.append(path) }
        }
        let files = FileManager.default
        for argument in arguments {
            // A URL is a document to fetch, never a pattern or a directory.
            if argument.contains("://") {
                add(argument)
                continue
            }
            // `.` and `..` removed, so that `run .` shows `flows/a.arazzo.yaml`, not `./flows/…`.
            let path = URL(fileURLWithPath: context.absolutePath(argument)).standardized.path
            var isDirectory: ObjCBool = false
            if files.fileExists(atPath: path, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    single = false
                    let found = documents(under: path)
                    if found.isEmpty {
                        return .failure(CLIUsageError("\(argument): no Arazzo documents in this directory (*.arazzo.yaml, *.arazzo.yml, *.arazzo.json, or a YAML/JSON file with a top-level 'arazzo' key)"))
                    }
                    found.forEach(add)
                } else {
                    add(path)
                }
                continue
            }
            guard argument.contains(where: { "*?[".contains($0) }) else {
                // Not found and not a pattern: the loader reports it, located, as for one FILE.
                add(path)
                continue
            }
            single = false
            let matches = glob(path).filter { match in
                var isDirectory: ObjCBool = false
                return files.fileExists(atPath: match, isDirectory: &isDirectory) && !isDirectory.boolValue && isArazzoDocument(match)
            }
            if matches.isEmpty {
                return .failure(CLIUsageError("\(argument): the pattern matches no Arazzo document"))
            }
            matches.forEach(add)
        }
        return .success(DocumentSelection(paths: paths, isSingleFile: single))
    }

    /// Every Arazzo document below `directory`, sorted by path; hidden entries (`.git`, `.build`)
    /// are skipped.
    static func documents(under directory: String) -> [String] {
        let root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            let path = root + "/" + relative
            if isArazzoDocument(path) { found.append(path) }
        }
        // Byte order of the paths, so every machine and file system agrees.
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// `*.arazzo.yaml|yml|json` by name; any other `.yaml`/`.yml`/`.json` file when its top level
    /// is a mapping with an `arazzo` key.
    static func isArazzoDocument(_ path: String) -> Bool {
        let lower = path.lowercased()
        if [".arazzo.yaml", ".arazzo.yml", ".arazzo.json"].contains(where: lower.hasSuffix) {
            return !isDirectory(path)
        }
        guard [".yaml", ".yml", ".json"].contains(where: lower.hasSuffix), !isDirectory(path),
              let data = FileManager.default.contents(atPath: path)
        else { return false }
        // Cheap refusal first: most OpenAPI and data files never say "arazzo".
        guard data.range(of: Data("arazzo".utf8)) != nil, let text = String(data: data, encoding: .utf8),
              let node = try? YAMLParser.parse(text, file: path)
        else { return false }
        return node["arazzo"] != nil
    }

    private static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    /// The paths matching an absolute pattern: `*`, `?` and `[…]` within one path segment
    /// (fnmatch), `**` for any number of segments. Sorted by path.
    static func glob(_ pattern: String) -> [String] {
        // `.` and `..` resolved first, so that matches show relative to the working directory.
        let segments = URL(fileURLWithPath: pattern).standardized.path
            .split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // The fixed prefix is walked from; the rest is matched.
        let firstPattern = segments.firstIndex { $0.contains(where: { "*?[".contains($0) }) } ?? segments.count
        let root = "/" + segments[..<firstPattern].joined(separator: "/")
        let rest = Array(segments[firstPattern...])
        var out: [String] = []
        func walk(_ directory: String, _ remaining: ArraySlice<String>) {
            guard let first = remaining.first else {
                out.append(directory)
                return
            }
            let entries = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }
            let base = directory == "/" ? "" : directory
            if first == "**" {
                // Zero segments, or one more and still inside `**`.
                walk(directory, remaining.dropFirst())
                for entry in entries where isDirectory(base + "/" + entry) {
                    walk(base + "/" + entry, remaining)
                }
                return
            }
            for entry in entries where fnmatch(first, entry, 0) == 0 {
                let path = base + "/" + entry
                if remaining.count == 1 {
                    out.append(path)
                } else if isDirectory(path) {
                    walk(path, remaining.dropFirst())
                }
            }
        }
        walk(root, rest[...])
        return Array(Set(out)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

/// `--shard K/N`: which share of the selected workflows this process runs (decision SH2).
struct Shard: Equatable, CustomStringConvertible {
    /// 1-based.
    let index: Int
    let count: Int

    /// `K/N` with 1 ≤ K ≤ N, or a one-line error saying what to write.
    static func parse(_ text: String) -> Result<Shard, CLIUsageError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            return .failure(CLIUsageError("--shard \(text): expected K/N with 1 ≤ K ≤ N (e.g. --shard 2/4; from a 0-based index I: $((I+1))/N)"))
        }
        return .success(Shard(index: k, count: n))
    }

    var description: String { "\(index)/\(count)" }
}

/// One unit of sharding: the workflows of one document linked by `dependsOn` (in either
/// direction, transitively). A unit never splits across shards.
struct ShardUnit: Equatable {
    /// The document's path relative to the invocation root (as the report shows it).
    let document: String
    /// Every workflow of the component, in document order.
    let workflowIds: [String]

    /// `document#smallest workflowId` (byte order): what the hash is taken of.
    var key: String {
        document + "#" + (workflowIds.min { $0.utf8.lexicographicallyPrecedes($1.utf8) } ?? "")
    }

    /// FNV-1a (64-bit) of ``key``'s UTF-8: the same on every machine and run, unlike `Hasher`.
    var hash: UInt64 { Self.fnv1a(key) }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// The deterministic assignment of units to shards (decision SH2): units sorted by size (largest
/// first), then by ``ShardUnit/hash``, then by key; each goes to the shard with the fewest
/// workflows so far (the lowest index on a tie). Only the units and N decide it.
enum ShardPlan {
    /// The 0-based shard of each unit, in the order of `units`.
    static func assign(_ units: [ShardUnit], count: Int) -> [Int] {
        let order = units.indices.sorted { a, b in
            let (x, y) = (units[a], units[b])
            if x.workflowIds.count != y.workflowIds.count { return x.workflowIds.count > y.workflowIds.count }
            if x.hash != y.hash { return x.hash < y.hash }
            return x.key.utf8.lexicographicallyPrecedes(y.key.utf8)
        }
        var load = Array(repeating: 0, count: max(count, 1))
        var shardOf = Array(repeating: 0, count: units.count)
        for index in order {
            let target = load.indices.min { load[$0] < load[$1] || (load[$0] == load[$1] && $0 < $1) } ?? 0
            shardOf[index] = target
            load[target] += max(units[index].workflowIds.count, 1)
        }
        return shardOf
    }

    /// The units of a document: connected components over local `dependsOn` (workflow- and
    /// step-level, as the run order reads them), each in document order, ordered by first member.
    static func units(of document: ArazzoSpecification, path: String) -> [ShardUnit] {
        let ids = document.workflows.map(\.workflowId)
        var parent = Dictionary(ids.map { ($0, $0) }, uniquingKeysWith: { first, _ in first })
        func root(_ id: String) -> String {
            var current = id
            while let next = parent[current], next != current { current = next }
            return current
        }
        for workflow in document.workflows {
            for dependency in workflow.dependsOn + workflow.stepDependencyWorkflows where parent[dependency.text] != nil {
                let (a, b) = (root(workflow.workflowId), root(dependency.text))
                if a != b { parent[a] = b }
            }
        }
        var groups: [String: [String]] = [:]
        var firstSeen: [String] = []
        for id in ids {
            let r = root(id)
            if groups[r] == nil { firstSeen.append(r) }
            groups[r, default: []].append(id)
        }
        return firstSeen.compactMap { groups[$0] }.map { ShardUnit(document: path, workflowIds: $0) }
    }
}
#endif
