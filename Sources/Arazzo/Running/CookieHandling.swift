import Foundation
import ArazzoExecutor

extension RunSession {
    /// Adds the jar's cookies for the request's URL (decision CK4: a request that already carries
    /// a `Cookie` header — a cookie or `Cookie` header parameter of the document, an apiKey
    /// cookie scheme — gets none; the note says so). Every value sent is a secret (CK3).
    func addCookies(to request: inout HTTPRequest, notes: inout [String]) {
        guard let jar = options.cookies else { return }
        let matching = jar.cookies(for: request.url)
        guard !matching.isEmpty else { return }
        redactor.add(matching.map(\.value))
        if request.headers["Cookie"] != nil {
            let names = matching.map { "'\($0.name)'" }.joined(separator: ", ")
            notes.append("cookie jar: the request sets its own Cookie header, so the jar's \(names) \(matching.count == 1 ? "is" : "are") not added")
            return
        }
        request.headers.append(name: "Cookie", value: matching.map { $0.name + "=" + $0.value }.joined(separator: "; "))
    }

    /// Stores the response's `Set-Cookie` headers in the jar, registering their values as
    /// secrets before the exchange is recorded (CK3); refused ones are noted.
    func storeCookies(of response: HTTPResponse, for request: HTTPRequest, notes: inout [String]) {
        guard let jar = options.cookies else { return }
        let headers = response.headers.values(for: "Set-Cookie")
        guard !headers.isEmpty else { return }
        redactor.add(headers.compactMap(Self.cookieValue))
        for refusal in jar.store(setCookie: headers, from: request.url) {
            notes.append("cookie jar: \(refusal)")
        }
    }

    /// The value of a `Set-Cookie` header's `name=value` pair.
    private static func cookieValue(_ header: String) -> String? {
        let pair = header.prefix { $0 != ";" }
        guard let eq = pair.firstIndex(of: "=") else { return nil }
        let value = pair[pair.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }
}
