#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo

/// Turns `--auth` values and `ARAZZO_AUTH_*` environment variables into engine credentials.
///
/// Forms (the target is a source description name or a security scheme name; the
/// document decides which):
/// - `TARGET=basic:USER:PASS` (the password may contain `:`)
/// - `TARGET=bearer:TOKEN`
/// - `TARGET=apikey:VALUE`
/// - `TARGET=oauth2:CLIENT_ID:CLIENT_SECRET[:SCOPE,SCOPE]`
/// Environment: `ARAZZO_AUTH_<TARGET>=<kind>:...`, where `<TARGET>` is matched against the
/// document's source and scheme names ignoring case and treating `-`/`.` as `_`.
struct CredentialParser {
    /// Names of source descriptions in the entry document.
    let sourceNames: [String]
    /// Names of security schemes across the loaded OpenAPI descriptions.
    let schemeNames: [String]

    struct Problem: Error {
        let message: String
    }

    /// Parses every `--auth` value and credential environment variable. Flags win over the
    /// environment for the same target.
    /// The engine redacts every secret of the credentials (``Credentials``), so the command
    /// line keeps no list of its own.
    func parse(flags: [String], environment: [String: String]) throws(Problem) -> Credentials {
        var credentials = Credentials()
        var bound: Set<String> = []
        for flag in flags {
            guard let eq = flag.firstIndex(of: "="), eq != flag.startIndex else {
                throw Problem(message: "--auth \(redactedForm(flag)): expected TARGET=KIND:..., e.g. api=basic:USER:PASS")
            }
            let target = String(flag[..<eq])
            let spec = String(flag[flag.index(after: eq)...])
            let credential = try credential(from: spec, label: "--auth \(target)=…", shown: "\(target)=\(kindPrefix(spec))")
            bind(credential, target: target, into: &credentials)
            bound.insert(target)
        }
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix("ARAZZO_AUTH_") {
            let suffix = String(key.dropFirst("ARAZZO_AUTH_".count))
            guard !suffix.isEmpty else { continue }
            let target = resolveTarget(suffix)
            if bound.contains(target) { continue }
            let credential = try credential(from: value, label: key, shown: key)
            bind(credential, target: target, into: &credentials)
            bound.insert(target)
        }
        return credentials
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

    private func kindPrefix(_ spec: String) -> String {
        guard let colon = spec.firstIndex(of: ":") else { return spec.count <= 12 ? spec : "…" }
        return String(spec[..<colon]) + ":…"
    }

    private func redactedForm(_ flag: String) -> String {
        guard let colon = flag.firstIndex(of: ":") else { return flag }
        return String(flag[..<colon]) + ":…"
    }

    private func credential(from spec: String, label: String, shown: String) throws(Problem) -> Credential {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let kind = parts.first.map { $0.lowercased() } ?? ""
        let rest = parts.count > 1 ? String(parts[1]) : ""
        switch kind {
        case "basic":
            let pair = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, !pair[0].isEmpty else {
                throw Problem(message: "\(label): basic credentials need USER:PASS (basic:USER:PASS)")
            }
            return .basic(username: String(pair[0]), password: String(pair[1]))
        case "bearer":
            guard !rest.isEmpty else { throw Problem(message: "\(label): bearer needs a token (bearer:TOKEN)") }
            return .bearer(token: rest)
        case "apikey":
            guard !rest.isEmpty else { throw Problem(message: "\(label): apikey needs a value (apikey:VALUE)") }
            return .apiKey(value: rest)
        case "oauth2":
            let fields = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw Problem(message: "\(label): oauth2 needs CLIENT_ID:CLIENT_SECRET[:SCOPES] (oauth2:ID:SECRET)")
            }
            let scopes = fields.count > 2 ? fields[2].split(separator: ",").map(String.init) : []
            return .oauth2ClientCredentials(clientId: fields[0], clientSecret: fields[1], scopes: scopes)
        default:
            throw Problem(message: "\(shown): unknown credential kind; use basic:USER:PASS, bearer:TOKEN, apikey:VALUE or oauth2:ID:SECRET")
        }
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? table[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? table[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
#endif
