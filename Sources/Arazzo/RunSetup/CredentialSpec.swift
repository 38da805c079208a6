import ArazzoModel
import ArazzoOpenAPI

/// Credentials written as text, the way a command line or an environment gives them.
///
/// A spec is `TARGET=KIND:VALUE`, where `TARGET` is a source description name or a security
/// scheme name (the document decides which) and `KIND:VALUE` is one of:
/// - `basic:USER:PASS` (the password may contain `:`)
/// - `bearer:TOKEN`
/// - `apikey:VALUE`
/// - `oauth2:CLIENT_ID[:CLIENT_SECRET[:SCOPE,SCOPE]]` (the scheme decides the flow: client
///   credentials, or authorization code with PKCE, where the secret may be empty for a public client)
///
/// In an environment, `ARAZZO_AUTH_<TARGET>=KIND:VALUE`, where `<TARGET>` is matched against the
/// document's source and scheme names ignoring case and treating `-` and `.` as `_`. A spec wins
/// over the environment for the same target.
public struct CredentialSpecs: Sendable {
    /// The prefix of the environment variables read: `ARAZZO_AUTH_`.
    public static let environmentPrefix = "ARAZZO_AUTH_"

    /// Names of source descriptions in the entry document.
    public let sourceNames: [String]
    /// Names of security schemes across the loaded OpenAPI descriptions.
    public let schemeNames: [String]

    /// Parsing for a document with these source description and security scheme names.
    public init(sourceNames: [String], schemeNames: [String]) {
        self.sourceNames = sourceNames
        self.schemeNames = schemeNames
    }

    /// Parsing for `document`'s source descriptions and security schemes.
    public init(for document: LoadedDocument) {
        self.init(
            sourceNames: document.document.sourceDescriptions.map(\.name),
            schemeNames: document.openAPIDocuments.values.flatMap { Array($0.securitySchemes.keys) })
    }

    /// The credentials of every `TARGET=KIND:VALUE` spec and every `ARAZZO_AUTH_*` variable of
    /// `environment`. A target the document does not name is bound both as a source and as a
    /// scheme. The engine redacts every secret of the result (``Credentials``).
    public func parse(_ specs: [String], environment: [String: String] = [:]) throws(CredentialSpecError) -> Credentials {
        var credentials = Credentials()
        var bound: Set<String> = []
        for spec in specs {
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
                throw CredentialSpecError(origin: .spec(target: nil, shown: Self.redactedForm(spec)), problem: .missingTarget)
            }
            let target = String(spec[..<eq])
            let value = String(spec[spec.index(after: eq)...])
            let credential = try credential(from: value, origin: .spec(target: target, shown: "\(target)=\(Self.kindPrefix(value))"))
            bind(credential, target: target, into: &credentials)
            bound.insert(target)
        }
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix(Self.environmentPrefix) {
            let suffix = String(key.dropFirst(Self.environmentPrefix.count))
            guard !suffix.isEmpty else { continue }
            let target = resolveTarget(suffix)
            if bound.contains(target) { continue }
            bind(try credential(from: value, origin: .environment(variable: key)), target: target, into: &credentials)
            bound.insert(target)
        }
        return credentials
    }

    /// One credential from `KIND:VALUE` text (`basic:USER:PASS`, `bearer:TOKEN`, …).
    public func credential(from text: String) throws(CredentialSpecError) -> Credential {
        try credential(from: text, origin: .spec(target: nil, shown: Self.kindPrefix(text)))
    }

    private func bind(_ credential: Credential, target: String, into credentials: inout Credentials) {
        if sourceNames.contains(target) {
            credentials.bind(credential, toSource: target)
        } else if schemeNames.contains(target) {
            credentials.bind(credential, toScheme: target)
        } else {
            // Unknown to the document: bind both ways so a later-loaded name still finds it.
            credentials.bind(credential, toSource: target)
            credentials.bind(credential, toScheme: target)
        }
    }

    /// Maps an environment suffix (`STYTCHB2BAPI`, `BASIC_AUTH`) to a declared name.
    private func resolveTarget(_ suffix: String) -> String {
        func fold(_ s: String) -> String {
            String(s.lowercased().map { $0 == "-" || $0 == "." ? "_" : $0 })
        }
        let wanted = fold(suffix)
        if let hit = (sourceNames + schemeNames).first(where: { fold($0) == wanted }) { return hit }
        return suffix
    }

    /// `kind:…`: what a message may show of a spec's value (never the secret).
    private static func kindPrefix(_ spec: String) -> String {
        guard let colon = spec.firstIndex(of: ":") else { return spec.count <= 12 ? spec : "…" }
        return String(spec[..<colon]) + ":…"
    }

    private static func redactedForm(_ spec: String) -> String {
        guard let colon = spec.firstIndex(of: ":") else { return spec }
        return String(spec[..<colon]) + ":…"
    }

    private func credential(from spec: String, origin: CredentialSpecError.Origin) throws(CredentialSpecError) -> Credential {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let kind = parts.first.map { $0.lowercased() } ?? ""
        let rest = parts.count > 1 ? String(parts[1]) : ""
        func invalid(_ message: String) -> CredentialSpecError {
            CredentialSpecError(origin: origin, problem: .invalidValue(message))
        }
        switch kind {
        case "basic":
            let pair = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, !pair[0].isEmpty else { throw invalid("basic credentials need USER:PASS (basic:USER:PASS)") }
            return .basic(username: String(pair[0]), password: String(pair[1]))
        case "bearer":
            guard !rest.isEmpty else { throw invalid("bearer needs a token (bearer:TOKEN)") }
            return .bearer(token: rest)
        case "apikey":
            guard !rest.isEmpty else { throw invalid("apikey needs a value (apikey:VALUE)") }
            return .apiKey(value: rest)
        case "oauth2":
            let fields = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            // OA1: the secret may be left out for a public client (authorization code with PKCE).
            guard !fields[0].isEmpty else {
                throw invalid("oauth2 needs CLIENT_ID[:CLIENT_SECRET[:SCOPES]] (oauth2:ID:SECRET, or oauth2:ID for a public client)")
            }
            let scopes = fields.count > 2 ? fields[2].split(separator: ",").map(String.init) : []
            return .oauth2ClientCredentials(clientId: fields[0], clientSecret: fields.count > 1 ? fields[1] : "", scopes: scopes)
        default:
            throw CredentialSpecError(origin: origin, problem: .unknownKind)
        }
    }
}

/// A credential spec that could not be read. Neither the message nor ``origin`` holds the
/// secret: only the target and the credential kind are shown.
public struct CredentialSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the spec came from.
    public enum Origin: Sendable, Hashable {
        /// A `TARGET=KIND:VALUE` spec: its target (nil when it has none) and a form safe to show
        /// (`api=basic:…`).
        case spec(target: String?, shown: String)
        /// An `ARAZZO_AUTH_*` environment variable, by name.
        case environment(variable: String)
    }

    /// What is wrong with it.
    public enum Problem: Sendable, Hashable {
        /// No `TARGET=` before the credential.
        case missingTarget
        /// The kind is none of `basic`, `bearer`, `apikey`, `oauth2`.
        case unknownKind
        /// The kind is known but its value is incomplete; the message says what it needs.
        case invalidValue(String)
    }

    /// Where the spec came from.
    public var origin: Origin
    /// What is wrong with it.
    public var problem: Problem

    /// Creates an error.
    public init(origin: Origin, problem: Problem) {
        self.origin = origin
        self.problem = problem
    }

    /// What is wrong, without where: `basic credentials need USER:PASS (basic:USER:PASS)`.
    public var reason: String {
        switch problem {
        case .missingTarget: return "expected TARGET=KIND:..., e.g. api=basic:USER:PASS"
        case .unknownKind: return "unknown credential kind; use basic:USER:PASS, bearer:TOKEN, apikey:VALUE or oauth2:ID:SECRET"
        case .invalidValue(let message): return message
        }
    }

    /// `credential api=basic:…: basic credentials need USER:PASS (basic:USER:PASS)` or
    /// `ARAZZO_AUTH_API: …`.
    public var description: String {
        switch origin {
        case .spec(_, let shown): return "credential \(shown): \(reason)"
        case .environment(let variable): return "\(variable): \(reason)"
        }
    }
}
