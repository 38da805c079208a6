#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
package import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension AsyncHTTPExecutor {
    /// PEM text, from a file or in memory.
    public enum PEMSource: Sendable, Hashable, CustomStringConvertible {
        /// A PEM file on disk, read when the executor is created.
        case file(String)
        /// PEM bytes already in memory.
        case bytes([UInt8])

        /// The file's path, or `PEM bytes` (never the bytes: they may be a key).
        public var description: String {
            switch self {
            case .file(let path): return path
            case .bytes: return "PEM bytes"
            }
        }
    }

    /// A client certificate: the certificate chain (leaf first) and its private key, both PEM.
    public struct ClientCertificate: Sendable, Hashable, CustomStringConvertible {
        /// The certificate chain, leaf first.
        public var certificate: PEMSource
        /// The private key. An encrypted key needs ``keyPassword``.
        public var privateKey: PEMSource
        /// The password of an encrypted private key. Secret: never printed.
        public var keyPassword: String?

        /// Creates a client certificate.
        public init(certificate: PEMSource, privateKey: PEMSource, keyPassword: String? = nil) {
            self.certificate = certificate
            self.privateKey = privateKey
            self.keyPassword = keyPassword
        }

        /// The sources, never the password.
        public var description: String {
            "certificate \(certificate), key \(privateKey)\(keyPassword == nil ? "" : " (password set)")"
        }
    }

    /// Which servers are trusted and which client certificates are presented (docs/networking.md, "TLS").
    public struct TLS: Sendable, Hashable {
        /// Certificate authorities (PEM bundles) trusted in addition to the system roots, or
        /// instead of them when ``replacesSystemRoots`` is set.
        public var certificateAuthorities: [PEMSource]
        /// Trust only ``certificateAuthorities``, not the system roots.
        public var replacesSystemRoots: Bool
        /// The client certificate presented to every server that asks for one, unless a
        /// per-source one applies.
        public var clientCertificate: ClientCertificate?
        /// Client certificates by Arazzo source-description name: a request the engine built for
        /// an operation of that source presents this one instead of ``clientCertificate``
        /// (decision NET5).
        public var clientCertificatesBySource: [String: ClientCertificate]
        /// Hosts whose certificates are not verified (compared without regard to case; an IPv6
        /// address without brackets). ``Configuration/insecureSkipTLSVerification`` covers every host.
        public var insecureHosts: Set<String>

        /// Creates TLS settings; the default trusts the system roots and presents no certificate.
        public init(
            certificateAuthorities: [PEMSource] = [], replacesSystemRoots: Bool = false,
            clientCertificate: ClientCertificate? = nil, clientCertificatesBySource: [String: ClientCertificate] = [:],
            insecureHosts: Set<String> = []
        ) {
            self.certificateAuthorities = certificateAuthorities
            self.replacesSystemRoots = replacesSystemRoots
            self.clientCertificate = clientCertificate
            self.clientCertificatesBySource = clientCertificatesBySource
            self.insecureHosts = insecureHosts
        }

        /// Whether `host` is one of ``insecureHosts``.
        package func skipsVerification(of host: String) -> Bool {
            guard !insecureHosts.isEmpty else { return false }
            let name = NoProxyList.normalize(host)
            return insecureHosts.contains { NoProxyList.normalize($0) == name }
        }
    }

    /// TLS material that cannot be used: which file (or source) and why. Never quotes key bytes
    /// or the key password.
    public struct TLSSetupError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What the material is for, e.g. `certificate authorities /etc/ca.pem`.
        public var subject: String
        /// What is wrong with it.
        public var reason: String

        /// Creates an error.
        public init(subject: String, reason: String) {
            self.subject = subject
            self.reason = reason
        }

        /// `SUBJECT: REASON`.
        public var description: String { "\(subject): \(reason)" }
    }
}

/// The TLS material of a configuration, read once (the executor's pools and the WebSocket transport).
package struct LoadedTLS: Sendable {
    package struct Identity: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
    }

    var authorities: [NIOSSLCertificate]
    var replacesSystemRoots: Bool
    package var identity: Identity?
    var identities: [String: Identity]

    package init(_ tls: AsyncHTTPExecutor.TLS) throws(AsyncHTTPExecutor.TLSSetupError) {
        var authorities: [NIOSSLCertificate] = []
        for source in tls.certificateAuthorities {
            authorities += try Self.certificates(source, subject: "certificate authorities \(source)")
        }
        if tls.replacesSystemRoots, authorities.isEmpty {
            throw AsyncHTTPExecutor.TLSSetupError(
                subject: "certificate authorities", reason: "replacing the system roots needs at least one CA certificate")
        }
        self.authorities = authorities
        replacesSystemRoots = tls.replacesSystemRoots
        identity = try tls.clientCertificate.map { certificate throws(AsyncHTTPExecutor.TLSSetupError) in
            try Self.identity(certificate, owner: "client certificate")
        }
        var identities: [String: Identity] = [:]
        for (source, certificate) in tls.clientCertificatesBySource {
            identities[source] = try Self.identity(certificate, owner: "client certificate of source '\(source)'")
        }
        self.identities = identities
    }

    private static func certificates(_ source: AsyncHTTPExecutor.PEMSource, subject: String) throws(AsyncHTTPExecutor.TLSSetupError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            switch source {
            case .file(let path): certificates = try NIOSSLCertificate.fromPEMFile(path)
            case .bytes(let bytes): certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
            }
        } catch {
            if case .file(let path) = source, !fileExists(path) {
                throw AsyncHTTPExecutor.TLSSetupError(subject: subject, reason: "no such file")
            }
            throw AsyncHTTPExecutor.TLSSetupError(subject: subject, reason: readFailure(error, what: "PEM certificates"))
        }
        guard !certificates.isEmpty else {
            throw AsyncHTTPExecutor.TLSSetupError(subject: subject, reason: "holds no PEM certificate")
        }
        return certificates
    }

    private static func identity(_ certificate: AsyncHTTPExecutor.ClientCertificate, owner: String) throws(AsyncHTTPExecutor.TLSSetupError) -> Identity {
        let chain = try certificates(certificate.certificate, subject: "\(owner) \(certificate.certificate)")
        // Always a callback: without one an encrypted key could make the TLS library ask a
        // terminal for the password. An empty password fails the decryption instead.
        let password = Array((certificate.keyPassword ?? "").utf8)
        let callback: NIOSSLPassphraseCallback<[UInt8]> = { setter in setter(password) }
        let key: NIOSSLPrivateKey
        do {
            switch certificate.privateKey {
            case .file(let path): key = try NIOSSLPrivateKey(file: path, format: .pem, passphraseCallback: callback)
            case .bytes(let bytes): key = try NIOSSLPrivateKey(bytes: bytes, format: .pem, passphraseCallback: callback)
            }
        } catch {
            let reason = certificate.keyPassword == nil
                ? "cannot be read as a PEM private key (an encrypted key needs its password)"
                : "cannot be read as a PEM private key with the password given (wrong password?)"
            if case .file(let path) = certificate.privateKey, !fileExists(path) {
                throw AsyncHTTPExecutor.TLSSetupError(subject: "\(owner) key \(path)", reason: "no such file")
            }
            throw AsyncHTTPExecutor.TLSSetupError(subject: "\(owner) key \(certificate.privateKey)", reason: reason)
        }
        return Identity(chain: chain, key: key)
    }

    private static func readFailure(_ error: any Error, what: String) -> String {
        return "cannot be read as \(what)"
    }

    private static func fileExists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The client configuration for one pool: these roots, `identity`, verification on or off.
    package func configuration(identity: Identity?, verify: Bool) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verify ? .fullVerification : .none
        if !authorities.isEmpty {
            if replacesSystemRoots {
                configuration.trustRoots = .certificates(authorities)
            } else {
                configuration.additionalTrustRoots = [.certificates(authorities)]
            }
        }
        if let identity {
            configuration.certificateChain = identity.chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(identity.key)
        }
        return configuration
    }
}
#endif
