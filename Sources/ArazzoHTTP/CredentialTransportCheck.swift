public import ArazzoExecutor

/// Spots requests that would send credentials in clear text: an `http:` URL to a host other than
/// this machine, carrying an `Authorization`-style header, a header the caller marks secret, a
/// known secret value, or the redaction mask (so it also works on the redacted requests in step
/// traces, where the secret itself is gone but its place is marked).
///
/// It only warns: plain HTTP inside a trusted network is sometimes what the user wants. Loopback
/// targets (`localhost`, `127.0.0.0/8`, `[::1]`) never warn, because the bytes never leave the machine.
///
/// ```swift
/// if let request = trace.request, let warning = CredentialTransportCheck.warning(for: request) {
///     stderr.line("warning: " + warning)   // once per host
/// }
/// ```
public enum CredentialTransportCheck {
    /// Header names (lower-cased) that carry credentials by convention.
    public static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "apikey", "x-auth-token",
    ]

    /// What the engine writes in place of a secret in traces.
    public static let redactionMask = "[REDACTED]"

    /// A one-line warning when `request` sends credentials over plain HTTP to another machine;
    /// nil otherwise. The warning names the host and port, never a credential.
    ///
    /// - Parameters:
    ///   - secretHeaders: further header names whose values are secret (e.g. an apiKey header).
    ///   - secrets: secret values; a request containing one in its URL or headers counts.
    public static func warning(
        for request: HTTPRequest, secretHeaders: Set<String> = [], secrets: [String] = []
    ) -> String? {
        guard let target = PlainTarget(request.url), !target.isLoopback else { return nil }
        guard let carrier = carrier(of: request, secretHeaders: secretHeaders, secrets: secrets) else { return nil }
        return "credentials (\(carrier)) are sent unencrypted over http to \(target.hostPort); use an https server URL unless this network is trusted"
    }

    /// Where the credential is, for the message: a header name, or "the URL".
    private static func carrier(of request: HTTPRequest, secretHeaders: Set<String>, secrets: [String]) -> String? {
        let marked = Set(secretHeaders.map { HeaderFields.canonicalName($0) }).union(credentialHeaders)
        let needles = [redactionMask] + secrets.filter { $0.utf8.count >= 3 }
        for field in request.headers.fields {
            if marked.contains(HeaderFields.canonicalName(field.name)) { return "header \(field.name)" }
            if needles.contains(where: { field.value.contains($0) }) { return "header \(field.name)" }
        }
        if needles.contains(where: { request.url.contains($0) }) { return "in the URL" }
        return nil
    }

    /// The scheme-`http` part of a URL; nil for any other scheme.
    struct PlainTarget {
        let host: String
        let hostPort: String

        init?(_ url: String) {
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") else { return nil }
            let rest = lowered.dropFirst(7)
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            // User info is not the host (and is never repeated in the message).
            let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            var host = hostPort
            if host.hasPrefix("[") {
                host = String(host.prefix { $0 != "]" }.dropFirst())
            } else if let colon = host.firstIndex(of: ":") {
                host = String(host[..<colon])
            }
            if host.hasSuffix(".") { host.removeLast() }
            self.host = host
            self.hostPort = hostPort.contains(":") && !hostPort.hasSuffix("]") ? hostPort : hostPort + ":80"
        }

        var isLoopback: Bool {
            if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
            let parts = host.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in
                guard let value = Int(part), part.utf8.count <= 3 else { return false }
                return (0...255).contains(value)
            }
        }
    }
}
