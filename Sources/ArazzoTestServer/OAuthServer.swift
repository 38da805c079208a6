#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
public import ArazzoExecutor
import ArazzoJSON
import ArazzoTesting
import Crypto
import Foundation
public import NIOCore
import NIOConcurrencyHelpers
import NIOPosix

/// A small OAuth 2.0 authorization server with a protected resource, on loopback, for tests of
/// the authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636, RFC 8252):
///
/// - `GET /.well-known/openid-configuration`: an OpenID Connect discovery document naming the
///   two endpoints below;
/// - `GET /authorize?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method=S256`:
///   "the user signs in" at once and is redirected (302) to `redirect_uri?code=…&state=…`;
/// - `POST /token`: `grant_type=authorization_code` checks the code, the redirect URI, the client
///   and `code_verifier` against the challenge (S256); `grant_type=refresh_token` trades a refresh
///   token for a new access token; both answer `access_token`, `refresh_token`, `expires_in`;
/// - `GET /data`: the protected resource: 200 with a valid bearer token (echoed back, as careless
///   APIs do), 401 without.
public final class OAuthServer: LoopbackServer {
    /// How the server behaves.
    public struct Configuration: Sendable {
        /// The one client it knows.
        public var clientId: String
        /// Its secret; nil for a public client (no client authentication).
        public var clientSecret: String?
        /// Access tokens are `PREFIX-N`.
        public var accessTokenPrefix: String
        /// Refresh tokens are `PREFIX-N`.
        public var refreshTokenPrefix: String
        /// Authorization codes are `PREFIX-N`.
        public var codePrefix: String
        /// `expires_in` of every access token; nil leaves it out.
        public var expiresIn: Int?
        /// Redirect with another `state` than the one received (a forged redirect).
        public var tamperState: Bool
        /// Answer the first `/data` request with 503 (so a step retries).
        public var failFirstData: Bool

        /// Creates a configuration.
        public init(
            clientId: String, clientSecret: String? = nil, accessTokenPrefix: String = "access", refreshTokenPrefix: String = "refresh",
            codePrefix: String = "code", expiresIn: Int? = 3600, tamperState: Bool = false, failFirstData: Bool = false
        ) {
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.accessTokenPrefix = accessTokenPrefix
            self.refreshTokenPrefix = refreshTokenPrefix
            self.codePrefix = codePrefix
            self.expiresIn = expiresIn
            self.tamperState = tamperState
            self.failFirstData = failFirstData
        }
    }

    /// What the server saw.
    public struct Counts: Sendable, Hashable {
        /// `/authorize` requests answered with a redirect.
        public var authorizations = 0
        /// Codes exchanged for tokens.
        public var codeGrants = 0
        /// Refresh grants answered with a new token.
        public var refreshGrants = 0
        /// Token requests refused (400/401).
        public var refusedTokenRequests = 0
        /// The bearer tokens `/data` received, in order (valid or not).
        public var dataTokens: [String] = []
        /// Discovery documents served.
        public var discoveries = 0
        /// Every `code_verifier` received (so a test can look for it in the client's outputs).
        public var verifiers: [String] = []
    }

    private struct Pending {
        var challenge: String
        var redirectURI: String
    }

    private struct State {
        var counts = Counts()
        var pending: [String: Pending] = [:]
        var accessTokens: Set<String> = []
        var refreshTokens: Set<String> = []
        var issued = 0
        var port = 0
    }

    private let state: NIOLockedValueBox<State>
    private let core: HTTPServerCore

    /// A server for `configuration`.
    public init(configuration: Configuration, eventLoopGroup: (any EventLoopGroup)? = nil) {
        let state = NIOLockedValueBox(State())
        self.state = state
        core = HTTPServerCore(group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton) { request in
            Self.respond(to: request, configuration: configuration, state: state)
        }
    }

    /// Binds 127.0.0.1 on an ephemeral port and returns it.
    public func start() async throws -> Int {
        let port = try await core.start()
        state.withLockedValue { $0.port = port }
        return port
    }

    /// Closes the server and every open connection.
    public func stop() async { await core.stop() }

    /// The bound port while running.
    public var port: Int? { core.port }

    /// What the server saw so far.
    public var counts: Counts { state.withLockedValue { $0.counts } }

    /// The Arazzo document the library and command-line OAuth tests run over
    /// ``openAPIDescription(port:)`` (as `./api.yaml`): `twice` (two `pkceData` steps, the first
    /// retried once after 120 s on failure, the `Authorization` the server saw as an output, so
    /// the token passes through the outputs' redaction), `once`, `oidc` and `legacy`.
    public static let arazzoDescription = """
        arazzo: 1.0.1
        info: {title: PKCE, version: 1.0.0}
        sourceDescriptions:
        - {name: api, url: ./api.yaml, type: openapi}
        workflows:
        - workflowId: twice
          steps:
          - stepId: first
            operationId: pkceData
            successCriteria: [{condition: $statusCode == 200}]
            onFailure: [{name: again, type: retry, retryAfter: 120, retryLimit: 1}]
            outputs:
              echoed: $response.body#/you_sent
          - stepId: second
            operationId: pkceData
            successCriteria: [{condition: $statusCode == 200}]
          outputs:
            echoed: $steps.first.outputs.echoed
        - workflowId: once
          steps:
          - stepId: first
            operationId: pkceData
        - workflowId: oidc
          steps:
          - stepId: profile
            operationId: oidcData
            successCriteria: [{condition: $statusCode == 200}]
        - workflowId: legacy
          steps:
          - stepId: old
            operationId: legacyData
        """

    /// An OpenAPI description of this server on `port`, for the OAuth tests of the library and
    /// the command line: scheme `pkce` (authorization code) guards `pkceData` (`GET /data`),
    /// `oidc` (OpenID Connect discovery) guards `oidcData` (`GET /data/oidc`), and `legacy` (only
    /// the implicit and password flows) guards `legacyData` (`GET /data/legacy`).
    public static func openAPIDescription(port: Int) -> String { """
        openapi: 3.1.0
        info: {title: PKCE, version: 1.0.0}
        servers: [{url: 'http://127.0.0.1:\(port)'}]
        components:
          securitySchemes:
            pkce:
              type: oauth2
              flows:
                authorizationCode:
                  authorizationUrl: 'http://127.0.0.1:\(port)/authorize'
                  tokenUrl: 'http://127.0.0.1:\(port)/token'
                  scopes: {read: read}
            oidc: {type: openIdConnect, openIdConnectUrl: 'http://127.0.0.1:\(port)/.well-known/openid-configuration'}
            legacy:
              type: oauth2
              flows:
                implicit: {authorizationUrl: 'http://127.0.0.1:\(port)/authorize', scopes: {}}
                password: {tokenUrl: 'http://127.0.0.1:\(port)/token', scopes: {}}
        paths:
          /data:
            get: {operationId: pkceData, security: [{pkce: [read]}], responses: {'200': {description: ok}}}
          /data/oidc:
            get: {operationId: oidcData, security: [{oidc: [profile]}], responses: {'200': {description: ok}}}
          /data/legacy:
            get: {operationId: legacyData, security: [{legacy: []}], responses: {'200': {description: ok}}}
        """
    }

    /// Plays a browser for an authorization URL: requests it (the user "signs in" at once), then
    /// follows the redirect to the client's loopback listener, whose status it returns.
    /// `rewrite` may change the authorization URL first (a test that tampers with the request).
    public static func playBrowser(
        _ url: String, through executor: any StepExecutor, rewrite: @Sendable (String) -> String = { $0 }
    ) async throws -> Int {
        let authorize = try await executor.execute(HTTPRequest(method: "GET", url: rewrite(url)))
        guard authorize.status == 302, let location = authorize.headers["Location"] else {
            return authorize.status
        }
        return try await executor.execute(HTTPRequest(method: "GET", url: location)).status
    }

    private static func json(_ status: Int, _ value: JSONValue, headers: [HTTPHeaderField] = []) -> ServerResponse {
        ServerResponse(
            status: status, headers: [HTTPHeaderField(name: "Content-Type", value: "application/json"), HTTPHeaderField(name: "Cache-Control", value: "no-store")] + headers,
            body: Array(value.jsonText().utf8))
    }

    private static func form(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { percentDecoded(s.replacing("+", with: " ")) }
            values[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return values
    }

    private static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func header(_ request: ReceivedRequest, _ name: String) -> String? {
        request.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    private static func respond(to request: ReceivedRequest, configuration c: Configuration, state: NIOLockedValueBox<State>) -> ServerResponse {
        let path = String(request.target.prefix { $0 != "?" })
        let query = request.target.firstIndex(of: "?").map { form(String(request.target[request.target.index(after: $0)...])) } ?? [:]
        switch (request.method, path) {
        case ("GET", "/.well-known/openid-configuration"):
            let base = state.withLockedValue { s in
                s.counts.discoveries += 1
                return "http://127.0.0.1:\(s.port)"
            }
            return json(200, [
                "issuer": .string(base), "authorization_endpoint": .string(base + "/authorize"), "token_endpoint": .string(base + "/token"),
                "code_challenge_methods_supported": ["S256"],
            ])
        case ("GET", "/authorize"):
            guard query["response_type"] == "code", query["client_id"] == c.clientId, query["code_challenge_method"] == "S256",
                  let challenge = query["code_challenge"], let redirect = query["redirect_uri"], redirect.hasPrefix("http://127.0.0.1:"),
                  let sentState = query["state"]
            else {
                return json(400, ["error": "invalid_request"])
            }
            let code = state.withLockedValue { s in
                s.issued += 1
                s.counts.authorizations += 1
                let code = "\(c.codePrefix)-\(s.issued)"
                s.pending[code] = Pending(challenge: challenge, redirectURI: redirect)
                return code
            }
            let returnedState = c.tamperState ? "forged-" + sentState : sentState
            let location = redirect + "?code=" + code + "&state=" + (returnedState.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            return ServerResponse(status: 302, headers: [HTTPHeaderField(name: "Location", value: location)])
        case ("POST", "/token"):
            let values = form(String(decoding: request.body, as: UTF8.self))
            func refuse(_ status: Int, _ error: String, _ description: String) -> ServerResponse {
                state.withLockedValue { $0.counts.refusedTokenRequests += 1 }
                return json(status, ["error": .string(error), "error_description": .string(description)])
            }
            if let secret = c.clientSecret {
                let expected = "Basic " + Data("\(c.clientId):\(secret)".utf8).base64EncodedString()
                guard header(request, "Authorization") == expected else { return refuse(401, "invalid_client", "client authentication failed") }
            } else if values["client_id"] != c.clientId {
                return refuse(401, "invalid_client", "unknown client_id")
            }
            func issue(_ s: inout State) -> JSONValue {
                s.issued += 1
                let access = "\(c.accessTokenPrefix)-\(s.issued)"
                let refresh = "\(c.refreshTokenPrefix)-\(s.issued)"
                s.accessTokens.insert(access)
                s.refreshTokens.insert(refresh)
                guard let expiresIn = c.expiresIn else {
                    return ["access_token": .string(access), "token_type": "Bearer", "refresh_token": .string(refresh)]
                }
                return ["access_token": .string(access), "token_type": "Bearer", "refresh_token": .string(refresh), "expires_in": .int(expiresIn)]
            }
            switch values["grant_type"] {
            case "authorization_code":
                guard let code = values["code"], let pending = state.withLockedValue({ $0.pending.removeValue(forKey: code) }) else {
                    return refuse(400, "invalid_grant", "unknown or used authorization code")
                }
                guard values["redirect_uri"] == pending.redirectURI else { return refuse(400, "invalid_grant", "redirect_uri differs from the authorization request") }
                if let verifier = values["code_verifier"] { state.withLockedValue { $0.counts.verifiers.append(verifier) } }
                guard let verifier = values["code_verifier"], base64URL(SHA256.hash(data: Array(verifier.utf8))) == pending.challenge else {
                    return refuse(400, "invalid_grant", "code_verifier does not match the code_challenge")
                }
                return json(200, state.withLockedValue { s in
                    s.counts.codeGrants += 1
                    return issue(&s)
                })
            case "refresh_token":
                guard let refresh = values["refresh_token"], state.withLockedValue({ $0.refreshTokens.remove(refresh) != nil }) else {
                    return refuse(400, "invalid_grant", "unknown refresh token")
                }
                return json(200, state.withLockedValue { s in
                    s.counts.refreshGrants += 1
                    return issue(&s)
                })
            default:
                return refuse(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
            }
        case ("GET", _) where path.hasPrefix("/data"):
            let authorization = header(request, "Authorization") ?? ""
            let token = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
            let (valid, first) = state.withLockedValue { s in
                s.counts.dataTokens.append(token)
                return (s.accessTokens.contains(token), s.counts.dataTokens.count == 1)
            }
            guard valid else { return json(401, ["error": "invalid_token"], headers: [HTTPHeaderField(name: "WWW-Authenticate", value: "Bearer")]) }
            if c.failFirstData && first { return json(503, ["error": "try again"]) }
            return json(200, ["ok": true, "you_sent": .string(authorization)])
        default:
            return json(404, ["error": "not found"])
        }
    }
}
#endif
