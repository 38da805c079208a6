/// One secret the embedder (or the CLI) supplies for calling an API.
public enum Credential: Sendable, Hashable {
    /// HTTP Basic (`Authorization: Basic base64(username:password)`).
    case basic(username: String, password: String)
    /// HTTP Bearer (`Authorization: Bearer token`); also satisfies an oauth2 scheme directly.
    case bearer(token: String)
    /// The value of an `apiKey` scheme (header, query parameter or cookie, as the scheme says).
    case apiKey(value: String)
    /// An OAuth 2.0 client: the scheme it is used for decides the flow (decision OA1). With a
    /// `clientCredentials` flow and a secret, the engine fetches a token from its `tokenUrl`;
    /// with an `authorizationCode` flow or an `openIdConnect` scheme, it runs the authorization
    /// code flow with PKCE through ``RunOptions/oauth``'s user agent (an empty secret: a public
    /// client). Tokens are cached for the run, in memory only.
    case oauth2ClientCredentials(clientId: String, clientSecret: String, scopes: [String])

    /// The strings that must never appear in traces, logs or errors.
    var secrets: [String] {
        switch self {
        case .basic(let username, let password):
            return [password, username + ":" + password, Base64.encode(Array((username + ":" + password).utf8))]
        case .bearer(let token): return [token]
        case .apiKey(let value): return [value]
        case .oauth2ClientCredentials(let clientId, let clientSecret, _):
            guard !clientSecret.isEmpty else { return [] }
            return [clientSecret, Base64.encode(Array((clientId + ":" + clientSecret).utf8))]
        }
    }

    /// The kind, for messages (never the secret itself).
    var kindName: String {
        switch self {
        case .basic: return "basic"
        case .bearer: return "bearer"
        case .apiKey: return "apiKey"
        case .oauth2ClientCredentials: return "oauth2 client credentials"
        }
    }
}

/// Credentials for a run, bound to source descriptions (by `name`) or to security schemes (by
/// their name in `components.securitySchemes`).
///
/// A scheme binding is used wherever an operation's `security` requirement names that scheme.
/// A source binding is used for every operation of that source: through the requirement when
/// one is declared, and directly (through the description's matching scheme, or the standard
/// header for basic/bearer) when the description declares no requirement at all — the Stytch
/// description declares a `basicAuth` scheme but attaches it to no operation.
public struct Credentials: Sendable, Hashable {
    /// Source name → credential.
    public private(set) var sources: [String: Credential] = [:]
    /// Security scheme name → credential.
    public private(set) var schemes: [String: Credential] = [:]

    /// No credentials.
    public init() {}

    /// Binds `credential` to every operation of the source description `name`.
    public mutating func bind(_ credential: Credential, toSource name: String) {
        sources[name] = credential
    }

    /// Binds `credential` to the security scheme `name`, in whichever source declares it.
    public mutating func bind(_ credential: Credential, toScheme name: String) {
        schemes[name] = credential
    }

    /// Whether nothing is bound.
    public var isEmpty: Bool { sources.isEmpty && schemes.isEmpty }

    /// Every secret string of every bound credential (for redaction).
    var secrets: [String] {
        sources.values.flatMap(\.secrets) + schemes.values.flatMap(\.secrets)
    }
}

/// Standard base64 (RFC 4648 §4) with padding; small enough not to need Foundation.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
