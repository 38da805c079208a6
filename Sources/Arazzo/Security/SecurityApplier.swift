import ArazzoJSON
import ArazzoOpenAPI
import ArazzoExecutor

/// What applying security to one request adds.
struct AppliedSecurity: Sendable {
    /// Credential headers, every one secret as a whole; in the request builder's own type, handed
    /// over as they are.
    var headers: [SecurityValues.Header] = []
    var queryPairs: [String] = []
    var cookiePairs: [String] = []
    var notes: [String] = []
    /// Secrets produced while applying (fetched tokens), to add to the run's redactor.
    var secrets: [String] = []
    /// A failure that prevents sending (e.g. the oauth2 token request failed).
    var failure: String?
}

/// Applies the operation's security requirement (or the source's bound credentials) to a request.
/// The `Authorization` values of the bound Basic credentials, found by comparing the credential
/// (a few at most), not by hashing it: hashing the user name and password per request cost about
/// 1,900 instructions a step, and the credential a request sends is the engine's own copy, whose
/// strings compare equal at their first word.
struct BasicAuthorizations: Sendable {
    private var entries: [(username: String, password: String, value: String)] = []

    /// The value written for this user name and password, when one was.
    func value(username: String, password: String) -> String? {
        for entry in entries where entry.username == username && entry.password == password { return entry.value }
        return nil
    }

    mutating func add(username: String, password: String, value: String) {
        entries.append((username, password, value))
    }
}

struct SecurityApplier: Sendable {
    let credentials: Credentials
    let tokens: TokenCache
    let executor: any StepExecutor
    let timeout: Duration
    let maxBytes: Int
    /// The `Authorization` value of each bound Basic credential, written once per engine
    /// (``basicAuthorizations(for:)``): every request of every run sends it.
    var basicAuthorizations = BasicAuthorizations()

    /// The `Authorization` header value of each Basic credential in `credentials`.
    static func basicAuthorizations(for credentials: Credentials) -> BasicAuthorizations {
        var values = BasicAuthorizations()
        for credential in Array(credentials.sources.values) + Array(credentials.schemes.values) {
            if case .basic(let username, let password) = credential, values.value(username: username, password: password) == nil {
                values.add(username: username, password: password, value: basicAuthorization(username: username, password: password))
            }
        }
        return values
    }

    /// `Basic base64(username:password)` (RFC 7617).
    static func basicAuthorization(username: String, password: String) -> String {
        "Basic " + Base64.encode(Array((username + ":" + password).utf8))
    }

    nonisolated(nonsending) func apply(to target: OperationTarget) async -> AppliedSecurity {
        // Read through the target (a reference): local copies of the operation and document,
        // kept across the awaits below, retained and released each of their fields per request.
        var applied = AppliedSecurity()
        let sourceName = target.sourceName
        guard !credentials.isEmpty else {
            if let requirements = target.operation.security ?? target.document.security, !requirements.isEmpty,
               !requirements.contains(where: { $0.schemes.isEmpty }) {
                applied.notes.append("no credentials supplied for security requirement \(describe(requirements)); sending without")
            }
            return applied
        }
        let sourceCredential = credentials.sources[sourceName]

        func credential(for scheme: SecurityScheme) -> Credential? {
            if let bound = credentials.schemes[scheme.name] { return bound }
            if let sourceCredential, compatible(sourceCredential, scheme) { return sourceCredential }
            return nil
        }

        if let requirements = target.operation.security ?? target.document.security {
            if requirements.isEmpty { return applied }  // `security: []` switches security off.
            for requirement in requirements where !requirement.schemes.isEmpty {
                let resolved = requirement.schemes.map { entry -> (SecurityScheme, Credential, [String])? in
                    guard let scheme = target.document.securitySchemes[entry.name], let c = credential(for: scheme) else { return nil }
                    return (scheme, c, entry.scopes)
                }
                if resolved.allSatisfy({ $0 != nil }) {
                    for case let (scheme, c, scopes)? in resolved {
                        await applyOne(c, scheme: scheme, scopes: scopes, to: &applied)
                    }
                    return applied
                }
            }
            if !requirements.contains(where: { $0.schemes.isEmpty }) {
                applied.notes.append("no bound credential satisfies security requirement \(describe(requirements)); sending without")
            }
            return applied
        }

        // No requirement declared: use what the user bound to this source; and when the
        // description declares no requirement anywhere (it has schemes but attaches none, as the
        // Stytch description does), what the user bound to its schemes.
        // The schemes bound by name apply only when the description declares no requirement;
        // without any, the names used need no set (hashing a name per request).
        let bindsSchemes = !target.document.declaresSecurityRequirements && !credentials.schemes.isEmpty
        var used: Set<String> = []
        if let sourceCredential {
            // The schemes in name order, sorted once per compiled step (the names were sorted
            // and looked up again for every request).
            let scheme = target.schemesByName.first { compatible(sourceCredential, $0) }
            if let scheme {
                if bindsSchemes { used.insert(scheme.name) }
                await applyOne(sourceCredential, scheme: scheme, scopes: [], to: &applied)
            } else {
                await applyOne(sourceCredential, scheme: nil, scopes: [], to: &applied)
            }
        }
        guard bindsSchemes else { return applied }
        for name in credentials.schemes.keys.sorted() where !used.contains(name) {
            guard let scheme = target.document.securitySchemes[name], let c = credentials.schemes[name] else { continue }
            await applyOne(c, scheme: scheme, scopes: [], to: &applied)
        }
        return applied
    }

    private func compatible(_ credential: Credential, _ scheme: SecurityScheme) -> Bool {
        switch (credential, scheme.kind) {
        case (.basic, .http(let s)): return s == "basic"
        case (.bearer, .http(let s)): return s == "bearer"
        case (.bearer, .oauth2), (.bearer, .openIdConnect): return true
        case (.apiKey, .apiKey): return true
        // OA1: the scheme decides the flow; applyOne says when it declares none the engine runs.
        case (.oauth2ClientCredentials, .oauth2), (.oauth2ClientCredentials, .openIdConnect): return true
        default: return false
        }
    }

    nonisolated(nonsending) private func applyOne(_ credential: Credential, scheme: SecurityScheme?, scopes: [String], to applied: inout AppliedSecurity) async {
        switch credential {
        case .basic(let username, let password):
            let value = basicAuthorizations.value(username: username, password: password)
                ?? Self.basicAuthorization(username: username, password: password)
            applied.headers.append(SecurityValues.Header(name: "Authorization", value: value))
        case .bearer(let token):
            applied.headers.append(SecurityValues.Header(name: "Authorization", value: "Bearer " + token))
        case .apiKey(let value):
            guard let scheme, case .apiKey(let name, let location) = scheme.kind else {
                applied.notes.append("an apiKey credential is bound, but the description declares no apiKey scheme saying where it goes; not sent")
                return
            }
            switch location {
            case .header:
                applied.headers.append(SecurityValues.Header(name: name, value: value))
            case .query:
                applied.queryPairs.append(PercentEncoding.encode(name) + "=" + PercentEncoding.encode(value))
            case .cookie:
                applied.cookiePairs.append(name + "=" + PercentEncoding.encode(value))
            case .path:
                applied.notes.append("apiKey scheme '\(scheme.name)' has in: path, which OpenAPI does not allow; not sent")
            }
        case .oauth2ClientCredentials(let clientId, let clientSecret, let configuredScopes):
            let scopes = configuredScopes.isEmpty ? scopes : configuredScopes
            let outcome: TokenCache.Outcome
            switch scheme?.kind {
            case .oauth2(let tokenURL, _)?:
                guard let scheme else { return }
                let authorizationCode = scheme.flows["authorizationCode"]
                if let tokenURL, !clientSecret.isEmpty || authorizationCode == nil {
                    guard !clientSecret.isEmpty else {
                        applied.failure = "security scheme '\(scheme.name)' declares only the oauth2 client credentials flow, which needs a client secret, and none is bound"
                        return
                    }
                    outcome = TokenCache.Outcome(result: await tokens.token(
                        tokenURL: tokenURL, clientId: clientId, clientSecret: clientSecret, scopes: scopes,
                        executor: executor, timeout: timeout, maxBytes: maxBytes))
                } else if let flow = authorizationCode, let authorizationURL = flow.authorizationURL, let tokenURL = flow.tokenURL {
                    outcome = await tokens.authorizationCodeToken(
                        .init(schemeName: scheme.name, authorizationURL: authorizationURL, tokenURL: tokenURL, refreshURL: flow.refreshURL,
                              clientId: clientId, clientSecret: clientSecret, scopes: scopes),
                        executor: executor, timeout: timeout, maxBytes: maxBytes)
                } else {
                    // OA5: implicit and password are deprecated (RFC 9700) and not run.
                    let declared = scheme.flows.keys.sorted().joined(separator: ", ")
                    applied.failure = "security scheme '\(scheme.name)' declares the oauth2 flows [\(declared)]; the engine runs clientCredentials and authorizationCode (with PKCE) only, so bind a bearer token to it instead"
                    return
                }
            case .openIdConnect(let discoveryURL)?:
                guard let scheme else { return }
                switch await tokens.discover(discoveryURL, executor: executor, timeout: timeout, maxBytes: maxBytes) {
                case .failure(let error):
                    applied.failure = error.message
                    return
                case .success(let endpoints):
                    // OpenID Connect requires the `openid` scope (Core 1.0 §3.1.2.1).
                    let oidcScopes = scopes.contains("openid") ? scopes : ["openid"] + scopes
                    outcome = await tokens.authorizationCodeToken(
                        .init(schemeName: scheme.name, authorizationURL: endpoints.authorization, tokenURL: endpoints.token, refreshURL: nil,
                              clientId: clientId, clientSecret: clientSecret, scopes: oidcScopes),
                        executor: executor, timeout: timeout, maxBytes: maxBytes)
                }
            default:
                applied.notes.append("oauth2 client credentials are bound, but the description declares no oauth2 or openIdConnect scheme for them; not sent")
                return
            }
            applied.secrets.append(contentsOf: outcome.secrets)
            switch outcome.result {
            case .success(let token):
                applied.headers.append(SecurityValues.Header(name: "Authorization", value: "Bearer " + token))
                applied.secrets.append(token)
            case .failure(let error):
                applied.failure = error.message
            }
        }
    }

    private func describe(_ requirements: [SecurityRequirement]) -> String {
        requirements.map { r in r.schemes.map(\.name).joined(separator: " + ") }
            .map { "'\($0)'" }.joined(separator: " or ")
    }
}
