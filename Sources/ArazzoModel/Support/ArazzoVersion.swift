/// The value of the `arazzo` field: which feature set the document is written for.
///
/// The patch number is kept but never changes behaviour ("The patch version SHOULD NOT be
/// considered by tooling"). ``featureSet`` is what the engine switches on: it decides which
/// fields a document may use and which defaults apply (decision V1).
public struct ArazzoVersion: Sendable, Hashable, CustomStringConvertible {
    /// The feature sets (`major.minor`) this library knows.
    public enum FeatureSet: String, Sendable, Hashable {
        /// Arazzo 1.0.x.
        case v1_0 = "1.0"
        /// Arazzo 1.1.x: adds `$self`, Selector Objects, AsyncAPI steps, step `timeout` and
        /// `dependsOn`, action `parameters`, `in: querystring` and expression type defaults.
        case v1_1 = "1.1"

        /// The newest published patch of this feature set; a later patch loads with a warning.
        public var latestKnownPatch: Int {
            switch self {
            case .v1_0: return 1
            case .v1_1: return 0
            }
        }

        /// The version text to suggest when a document needs this feature set (`1.1.0`).
        public var suggestedVersion: String { "\(rawValue).\(latestKnownPatch)" }
    }

    /// The text as written (e.g. `1.0.1`, `1.0.0-rc1`).
    public let text: String
    /// The major version.
    public let major: Int
    /// The minor version.
    public let minor: Int
    /// The patch version.
    public let patch: Int
    /// The part after `-`, if any (`1.0.1-beta` → `beta`).
    public let suffix: String?

    init(text: String, major: Int, minor: Int, patch: Int, suffix: String?) {
        self.text = text
        self.major = major
        self.minor = minor
        self.patch = patch
        self.suffix = suffix
    }

    /// Parses `major.minor.patch[-suffix]`; nil if the text does not have that shape.
    public init?(_ text: String) {
        var core = Substring(text)
        var suffix: String?
        if let dash = text.firstIndex(of: "-") {
            core = text[..<dash]
            let rest = text[text.index(after: dash)...]
            guard !rest.isEmpty else { return nil }
            suffix = String(rest)
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.utf8.count <= 9, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let n = Int(part)
            else { return nil }
            numbers.append(n)
        }
        self.text = text
        self.major = numbers[0]
        self.minor = numbers[1]
        self.patch = numbers[2]
        self.suffix = suffix
    }

    /// The feature set, or nil for a version this library does not know (e.g. 2.0.0).
    public var featureSet: FeatureSet? {
        switch (major, minor) {
        case (1, 0): return .v1_0
        case (1, 1): return .v1_1
        default: return nil
        }
    }

    /// Whether the patch is one this library was written against (1.0.0, 1.0.1, 1.1.0); false for
    /// a later patch of a known feature set and for unknown feature sets.
    public var isKnownRelease: Bool {
        guard let featureSet else { return false }
        return patch <= featureSet.latestKnownPatch
    }

    /// The text as written.
    public var description: String { text }
}
