import ArazzoJSON
import ArazzoOpenAPI
import ArazzoExecutor

/// What the engine asks a user agent (a browser, or a test playing one) to do in an OAuth 2.0
/// authorization code flow: open ``url`` so the user can sign in; the authorization server then
/// redirects to the run's loopback listener (RFC 8252).
public struct OAuthAuthorizationRequest: Sendable, Hashable {
    /// The authorization URL, with `response_type=code`, `client_id`, `redirect_uri`, `scope`,
    /// `state` and the PKCE `code_challenge` (S256). It holds no secret.
    public var url: String
    /// The security scheme the token is for.
    public var schemeName: String
    /// The loopback redirect URI the engine listens on (`http://127.0.0.1:PORT/callback`).
    public var redirectURI: String
}

/// How OAuth 2.0 flows that need a user run (docs/networking.md, "OAuth"; decisions OA1–OA6).
public struct OAuthOptions: Sendable {
    /// Gets the user's browser to an authorization URL: opens it, prints it, or (in tests and
    /// embedders without a browser) requests it and follows the redirect. It may return before
    /// the redirect arrives; the engine waits for it on its loopback listener. A thrown error
    /// fails the step.
    public typealias UserAgent = @Sendable (OAuthAuthorizationRequest) async throws -> Void

    /// The user agent; nil (the default) makes an authorization code flow fail its step with a
    /// message saying no user agent is configured.
    public var userAgent: UserAgent?
    /// How long to wait for the redirect after handing the URL to the user agent. Default 5
    /// minutes, measured on the wall clock (a person signs in), not on the run's clock.
    public var authorizationTimeout: Duration

    /// Options with `userAgent` (default none) and `authorizationTimeout` (default 5 minutes).
    public init(userAgent: UserAgent? = nil, authorizationTimeout: Duration = .seconds(300)) {
        self.userAgent = userAgent
        self.authorizationTimeout = authorizationTimeout
    }
}

/// PKCE (RFC 7636) and `state` values.
package enum PKCE {
    /// 32 random bytes, base64url: a 43-character verifier (§4.1).
    package static func verifier() -> String { randomText(bytes: 32) }

    /// `name=value&…` with both sides form-encoded: the token requests' bodies (RFC 6749 §4.1.3,
    /// §4.4.2, §6) and the authorization request's query (§4.1.1) are all written this one way.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        fields.map { PercentEncoding.encode($0.0, allowing: .form) + "=" + PercentEncoding.encode($0.1, allowing: .form) }.joined(separator: "&")
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))` (§4.2, S256).
    package static func challenge(for verifier: String) -> String {
        base64URL(SHA256.hash(Array(verifier.utf8)))
    }

    static func randomText(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Base64url without padding (RFC 4648 §5).
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Base64.encode(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }
}

/// OAuth 2.0 tokens for one run (decision OA3: one per scheme endpoint, client and scopes, in
/// memory only): client credentials, and the authorization code flow with PKCE over a loopback
/// redirect with refresh (OA1, OA4).
actor TokenCache {
    private struct Entry {
        var accessToken: String
        var refreshToken: String?
        /// On the run's clock; nil when the server gave no `expires_in`.
        var expiresAt: RunClock.Instant?
    }

    /// What a token request produced: the token or why not, and every secret seen on the way
    /// (redacted even when the step fails).
    struct Outcome: Sendable {
        var result: Result<String, TokenError>
        var secrets: [String] = []
    }

    struct TokenError: Error, Sendable {
        var message: String
    }

    /// The endpoints and client of one authorization code flow.
    struct AuthorizationCodeFlow: Sendable {
        var schemeName: String
        var authorizationURL: String
        var tokenURL: String
        var refreshURL: String?
        var clientId: String
        var clientSecret: String
        var scopes: [String]
    }

    private var tokens: [String: String] = [:]
    private var entries: [String: Entry] = [:]
    private var discovered: [String: Result<(authorization: String, token: String), TokenError>] = [:]
    private let clock: RunClock
    private let oauth: OAuthOptions
    /// Counts the refresh grants sent (for tests through the engine's package API).
    private(set) var refreshes = 0

    init(clock: RunClock, oauth: OAuthOptions) {
        self.clock = clock
        self.oauth = oauth
    }

    // MARK: Client credentials

    func token(
        tokenURL: String, clientId: String, clientSecret: String, scopes: [String],
        executor: any StepExecutor, timeout: Duration, maxBytes: Int
    ) async -> Result<String, TokenError> {
        let key = [tokenURL, clientId, scopes.joined(separator: " ")].joined(separator: "\u{1}")
        if let cached = tokens[key] { return .success(cached) }
        var fields = [("grant_type", "client_credentials")]
        if !scopes.isEmpty { fields.append(("scope", scopes.joined(separator: " "))) }
        let form = PKCE.formEncoded(fields)
        let response: HTTPResponse
        switch await post(form, to: tokenURL, clientId: clientId, clientSecret: clientSecret, executor: executor, timeout: timeout, maxBytes: maxBytes) {
        case .failure(let error): return .failure(error)
        case .success(let r): response = r
        }
        guard (200..<300).contains(response.status) else {
            return .failure(TokenError(message: "the oauth2 token endpoint \(tokenURL) answered \(response.status)"))
        }
        guard let body = BodyParser.parseJSON(response.body), let token = body["access_token"]?.stringValue else {
            return .failure(TokenError(message: "the oauth2 token endpoint \(tokenURL) returned no access_token"))
        }
        tokens[key] = token
        return .success(token)
    }

    // MARK: OpenID Connect discovery

    /// The `authorization_endpoint` and `token_endpoint` of the discovery document at `url`
    /// (fetched once per run).
    func discover(_ url: String, executor: any StepExecutor, timeout: Duration, maxBytes: Int) async -> Result<(authorization: String, token: String), TokenError> {
        if let known = discovered[url] { return known }
        let request = HTTPRequest(method: "GET", url: url, headers: ["Accept": "application/json"], timeout: timeout, maxResponseBytes: maxBytes)
        let result: Result<(authorization: String, token: String), TokenError>
        do {
            let response = try await executor.execute(request)
            if !(200..<300).contains(response.status) {
                result = .failure(TokenError(message: "the OpenID Connect discovery document \(url) answered \(response.status)"))
            } else if let body = BodyParser.parseJSON(response.body),
                      let authorization = body["authorization_endpoint"]?.stringValue, let token = body["token_endpoint"]?.stringValue {
                result = .success((authorization, token))
            } else {
                result = .failure(TokenError(message: "the OpenID Connect discovery document \(url) has no authorization_endpoint and token_endpoint"))
            }
        } catch {
            result = .failure(TokenError(message: "the OpenID Connect discovery document \(url) could not be fetched: \(error.description)"))
        }
        discovered[url] = result
        return result
    }

    // MARK: Authorization code with PKCE

    /// A token for `flow`: the cached one while it lasts, a refreshed one once it has expired
    /// (OA4), else a new authorization through the user agent.
    func authorizationCodeToken(_ flow: AuthorizationCodeFlow, executor: any StepExecutor, timeout: Duration, maxBytes: Int) async -> Outcome {
        let key = [flow.authorizationURL, flow.tokenURL, flow.clientId, flow.scopes.joined(separator: " ")].joined(separator: "\u{1}")
        if let entry = entries[key] {
            let expired = entry.expiresAt.map { $0 <= clock.now } ?? false
            if !expired { return Outcome(result: .success(entry.accessToken)) }
            if let refreshToken = entry.refreshToken {
                refreshes += 1
                var fields = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
                if !flow.scopes.isEmpty { fields.append(("scope", flow.scopes.joined(separator: " "))) }
                let form = PKCE.formEncoded(fields)
                let outcome = await requestTokens(
                    form, flow: flow, url: flow.refreshURL ?? flow.tokenURL, what: "the refresh token", key: key,
                    keepRefresh: refreshToken, executor: executor, timeout: timeout, maxBytes: maxBytes)
                // OA4: a refused refresh fails the step; no second sign-in mid-run.
                if case .failure = outcome.result { entries[key] = nil }
                return outcome
            }
            entries[key] = nil
        }
        return await authorize(flow, key: key, executor: executor, timeout: timeout, maxBytes: maxBytes)
    }

    private func authorize(_ flow: AuthorizationCodeFlow, key: String, executor: any StepExecutor, timeout: Duration, maxBytes: Int) async -> Outcome {
        guard let userAgent = oauth.userAgent else {
            return Outcome(result: .failure(TokenError(
                message: "security scheme '\(flow.schemeName)' uses the oauth2 authorization code flow, which needs a user to sign in, and no user agent is configured to open \(flow.authorizationURL)")))
        }
        let listener: LoopbackRedirectListener
        do {
            listener = try LoopbackRedirectListener.open()
        } catch {
            return Outcome(result: .failure(TokenError(message: error.message)))
        }
        defer { listener.shutdown() }
        let verifier = PKCE.verifier()
        let state = PKCE.randomText(bytes: 16)
        let redirectURI = "http://127.0.0.1:\(listener.port)/callback"
        var query = [
            ("response_type", "code"), ("client_id", flow.clientId), ("redirect_uri", redirectURI),
        ]
        if !flow.scopes.isEmpty { query.append(("scope", flow.scopes.joined(separator: " "))) }
        query += [("state", state), ("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256")]
        let url = flow.authorizationURL + (flow.authorizationURL.contains("?") ? "&" : "?")
            + PKCE.formEncoded(query)
        var secrets = [verifier]

        let timeoutForUser = oauth.authorizationTimeout
        async let callback = listener.waitForCallback(path: "/callback", timeout: timeoutForUser)
        do {
            try await userAgent(OAuthAuthorizationRequest(url: url, schemeName: flow.schemeName, redirectURI: redirectURI))
        } catch {
            listener.shutdown()
            _ = try? await callback
            return Outcome(result: .failure(TokenError(message: "the user agent could not open the authorization URL of scheme '\(flow.schemeName)': \(error)")), secrets: secrets)
        }
        let parameters: [String: String]
        do {
            parameters = try await callback
        } catch {
            return Outcome(result: .failure(TokenError(message: "the authorization of scheme '\(flow.schemeName)' did not complete: \((error as? LoopbackRedirectListener.Failure)?.message ?? "\(error)")")), secrets: secrets)
        }
        if let code = parameters["code"] { secrets.append(code) }
        if let error = parameters["error"] {
            return Outcome(result: .failure(TokenError(
                message: "the authorization server refused the authorization of scheme '\(flow.schemeName)': \(Self.oneLine(error, parameters["error_description"]))")), secrets: secrets)
        }
        // OA2: the state must come back exactly; anything else may be a forged redirect.
        guard parameters["state"] == state else {
            return Outcome(result: .failure(TokenError(
                message: "the redirect for scheme '\(flow.schemeName)' carried a state that does not match the one sent; refused (RFC 6749 §10.12)")), secrets: secrets)
        }
        guard let code = parameters["code"], !code.isEmpty else {
            return Outcome(result: .failure(TokenError(message: "the redirect for scheme '\(flow.schemeName)' carried no code")), secrets: secrets)
        }
        let form = PKCE.formEncoded([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("client_id", flow.clientId), ("code_verifier", verifier),
        ])
        var outcome = await requestTokens(
            form, flow: flow, url: flow.tokenURL, what: "the authorization code", key: key, keepRefresh: nil,
            executor: executor, timeout: timeout, maxBytes: maxBytes)
        outcome.secrets += secrets
        return outcome
    }

    /// Sends a token request and caches what it grants.
    private func requestTokens(
        _ form: String, flow: AuthorizationCodeFlow, url: String, what: String, key: String, keepRefresh: String?,
        executor: any StepExecutor, timeout: Duration, maxBytes: Int
    ) async -> Outcome {
        let response: HTTPResponse
        switch await post(form, to: url, clientId: flow.clientId, clientSecret: flow.clientSecret, executor: executor, timeout: timeout, maxBytes: maxBytes) {
        case .failure(let error): return Outcome(result: .failure(error))
        case .success(let r): response = r
        }
        let body = BodyParser.parseJSON(response.body)
        guard (200..<300).contains(response.status) else {
            let detail = body?["error"]?.stringValue.map { Self.oneLine($0, body?["error_description"]?.stringValue) }
            return Outcome(result: .failure(TokenError(
                message: "the oauth2 token endpoint \(url) refused \(what) of scheme '\(flow.schemeName)': \(response.status)\(detail.map { " \($0)" } ?? "")")))
        }
        guard let body, let access = body["access_token"]?.stringValue, !access.isEmpty else {
            return Outcome(result: .failure(TokenError(message: "the oauth2 token endpoint \(url) returned no access_token")))
        }
        let refresh = body["refresh_token"]?.stringValue ?? keepRefresh
        let lifetime: Double? = switch body["expires_in"] {
        case .int(let n)?: Double(n)
        case .double(let d)?: d
        case .string(let s)?: Double(s)
        default: nil
        }
        let expiresAt = lifetime.map { clock.now + .milliseconds(Int64(max(0, min($0, 1e9)) * 1000)) }
        entries[key] = Entry(accessToken: access, refreshToken: refresh, expiresAt: expiresAt)
        return Outcome(result: .success(access), secrets: [access] + (refresh.map { [$0] } ?? []))
    }

    /// A form POST to a token endpoint; the client authenticates with HTTP Basic when it has a
    /// secret (RFC 6749 §2.3.1), else it is a public client identified by `client_id` in the form.
    private func post(
        _ form: String, to url: String, clientId: String, clientSecret: String,
        executor: any StepExecutor, timeout: Duration, maxBytes: Int
    ) async -> Result<HTTPResponse, TokenError> {
        var headers: HeaderFields = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"]
        var body = form
        if clientSecret.isEmpty {
            if !form.contains("client_id=") { body += "&client_id=" + PercentEncoding.encode(clientId, allowing: .form) }
        } else {
            let basic = Base64.encode(Array((PercentEncoding.encode(clientId, allowing: .form) + ":" + PercentEncoding.encode(clientSecret, allowing: .form)).utf8))
            headers.append(name: "Authorization", value: "Basic " + basic)
        }
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8), timeout: timeout, maxResponseBytes: maxBytes)
        do {
            return .success(try await executor.execute(request))
        } catch {
            return .failure(TokenError(message: "the oauth2 token request to \(url) failed: \(error.description)"))
        }
    }

    /// `error (description)` on one line, at most 200 characters of the description.
    private static func oneLine(_ error: String, _ description: String?) -> String {
        let flat = { (s: String) in String(s.map { $0.isNewline ? " " : $0 }) }
        guard let description, !description.isEmpty else { return flat(error) }
        return flat(error) + " (" + String(flat(description).prefix(200)) + ")"
    }
}
