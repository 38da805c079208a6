/// One problem found in a document or a run: what is wrong, how bad it is, and where.
///
/// A `Diagnostic` is also an `Error`, so layers that stop at the first problem throw it and layers
/// that collect every problem gather it in a ``Diagnostics`` list.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        /// A hint attached to another diagnostic.
        case note
        /// Allowed, but probably not what the author meant.
        case warning
        /// The document cannot be run as written.
        case error

        private var rank: Int {
            switch self {
            case .note: return 0
            case .warning: return 1
            case .error: return 2
            }
        }

        /// Orders note < warning < error.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// How serious it is.
    public var severity: Severity
    /// One line saying what is wrong and what to do about it.
    public var message: String
    /// Where it is, when it is tied to a place in a file.
    public var location: SourceLocation?
    /// The JSON pointer of the offending node within its document (e.g. `/workflows/0/steps/1`).
    public var path: String?
    /// A stable rule identifier for tools and tests (e.g. `unknown-field`).
    public var code: String?
    /// Further lines that help (e.g. "the cycle is a → b → a").
    public var notes: [String]
    /// The whole stretch of text the diagnostic is about (its start is ``location``), when known.
    public var range: SourceRange?
    /// Changes that would make the diagnostic go away, keeping the evident meaning (`fix` applies
    /// the first of each diagnostic).
    public var fixIts: [FixIt]

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, _ message: String, at location: SourceLocation? = nil,
        path: String? = nil, code: String? = nil, notes: [String] = [], range: SourceRange? = nil,
        fixIts: [FixIt] = []
    ) {
        self.severity = severity
        self.message = message
        self.location = location ?? range?.startLocation
        self.path = path
        self.code = code
        self.notes = notes
        self.range = range
        self.fixIts = fixIts
    }


    /// An error diagnostic.
    public static func error(
        _ message: String, at location: SourceLocation? = nil, path: String? = nil, code: String? = nil,
        notes: [String] = [], range: SourceRange? = nil, fixIts: [FixIt] = []
    ) -> Diagnostic {
        Diagnostic(.error, message, at: location, path: path, code: code, notes: notes, range: range, fixIts: fixIts)
    }

    /// A warning diagnostic.
    public static func warning(
        _ message: String, at location: SourceLocation? = nil, path: String? = nil, code: String? = nil,
        notes: [String] = [], range: SourceRange? = nil, fixIts: [FixIt] = []
    ) -> Diagnostic {
        Diagnostic(.warning, message, at: location, path: path, code: code, notes: notes, range: range, fixIts: fixIts)
    }

    /// `file:line:col: severity: message`, the compiler-style first line.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }
}

/// An ordered collection of diagnostics gathered while checking or running a document.
public struct Diagnostics: Sendable, Hashable, Codable, Sequence {
    /// The diagnostics in the order they were found.
    public private(set) var all: [Diagnostic]

    /// Creates a collection.
    public init(_ all: [Diagnostic] = []) {
        self.all = all
    }

    /// Adds one diagnostic.
    public mutating func append(_ diagnostic: Diagnostic) {
        all.append(diagnostic)
    }

    /// Adds several diagnostics.
    public mutating func append(contentsOf other: some Sequence<Diagnostic>) {
        all.append(contentsOf: other)
    }

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// The errors only.
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }

    /// The warnings only.
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }

    /// Diagnostics sorted by location (those without one last), keeping discovery order on ties.
    public var sorted: [Diagnostic] {
        all.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case let (l?, r?): return l == r ? a.offset < b.offset : l < r
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// Sorted by location, with repeats removed: two diagnostics are one when they have the same
    /// code and the same range (or, without a range, the same location), whatever their wording;
    /// the first found is kept. Uncoded diagnostics fall back to comparing messages.
    public var deduplicated: Diagnostics {
        struct Key: Hashable {
            let code: String?
            let range: SourceRange?
            let location: SourceLocation?
            let message: String?
        }
        var seen: Set<Key> = []
        var out: [Diagnostic] = []
        for d in sorted {
            let key = Key(
                code: d.code, range: d.range, location: d.range == nil ? d.location : nil,
                message: d.code == nil ? d.message : nil)
            if seen.insert(key).inserted { out.append(d) }
        }
        return Diagnostics(out)
    }

    /// Iterates in discovery order.
    public func makeIterator() -> IndexingIterator<[Diagnostic]> { all.makeIterator() }
}
