#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoHTTP
import Foundation

/// The command line's wording of TLS failures: the executor's remedies name its configuration
/// (`AsyncHTTPExecutor.TLS.certificateAuthorities`); on the command line the remedy is the flag.
enum NetworkWording {
    /// The executor's remedies and the flags that apply them.
    static let remedies: [(library: String, flags: String)] = [
        (AsyncHTTPExecutor.untrustedCertificateRemedy, "pass the CA bundle that signed it with --cacert FILE"),
        (AsyncHTTPExecutor.clientCertificateRemedy, "pass a client certificate with --cert FILE --key FILE"),
    ]

    /// `text` with every executor remedy replaced by its flags.
    static func forCommandLine(_ text: String) -> String {
        guard text.contains("AsyncHTTPExecutor.") else { return text }
        var worded = text
        for (library, flags) in remedies {
            worded = worded.replacingOccurrences(of: library, with: flags)
        }
        return worded
    }

    /// A TLS setup problem, worded with the flag that named the file.
    static func flagged(_ error: AsyncHTTPExecutor.TLSSetupError) -> String {
        let subject = error.subject
            .replacingOccurrences(of: "certificate authorities", with: "--cacert")
            .replacingOccurrences(of: "client certificate of source '", with: "--cert/--key for source '")
            .replacingOccurrences(of: "client certificate key", with: "--key")
            .replacingOccurrences(of: "client certificate", with: "--cert")
        return "\(subject): \(error.reason)"
    }
}
#endif
