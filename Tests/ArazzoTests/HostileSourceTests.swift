import Arazzo
import ArazzoOpenAPI
import Foundation
import ArazzoTesting
import ArazzoTestSupport
import Testing

#if canImport(Glibc)
import Glibc
/// `socket(2)`'s stream type (an enum in Glibc, an integer elsewhere).
let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
import Darwin
let streamSocket = SOCK_STREAM
#endif

/// Documents whose hostility is in their source descriptions (`Fixtures/invalid/hostile/sources/`):
/// pointing at themselves, at each other, at devices, at files outside their directory, at hosts
/// that cannot be reached, at recursive `$ref`s. Each is loaded the way
/// `arazzo-run validate --sandbox Fixtures/invalid/hostile/sources` loads it (``ArazzoLoader``
/// with ``FileAccess/sandbox(_:)``, then ``LoadedDocument/validate()``): a document nobody here
/// wrote is what the sandbox is for. The rendered located diagnostics are pinned in
/// `<name>.expected` next to it. The time cap is the suite's one-minute limit per document:
/// the loads wait on fetches and on a shared cooperative pool, so wall time says nothing about the
/// loader's speed, and the diagnostics already say how each fetch ended (refused, timed out, too big).
///
/// Goldens are ``GoldenFile``s: rewritten only when `ARAZZO_RECORD_GOLDENS=1` is set; on a mismatch
/// the actual text is written to `$TMPDIR/arazzo-goldens/`.
@Suite("Hostile source descriptions", .timeLimit(.minutes(1)))
struct HostileSourceTests {
    static let folder = "Fixtures/invalid/hostile/sources"
    static let fixtures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Repository.root + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(".arazzo.yaml") }.sorted()
    }()

    /// The loader's fetch timeout in these tests.
    static let fetchTimeout: Duration = .seconds(2)

    /// Every committed file of the folder together: a load may hold no more text than this (the
    /// devices and files outside the folder must not be read).
    static let committedBytes: Int = {
        let directory = Repository.root + "/" + folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? NSNumber)??.intValue
            return total + (size ?? 0)
        }
    }()

    @Test("every source-description hostile document has a golden")
    func enoughFixtures() {
        #expect(Self.fixtures.count >= 19, "\(Self.fixtures)")
    }

    @Test("source-description hostile documents end in located diagnostics, in time", arguments: fixtures)
    func golden(_ name: String) async throws {
        let outcome = try await HostileSourceOutcome.load(name, files: Self.sandbox)
        #expect(!outcome.diagnostics.isEmpty, "a hostile document must be reported")
        #expect(outcome.diagnostics.contains { $0.severity == .error }, "a hostile document is an error: \(outcome.rendered)")
        for diagnostic in outcome.diagnostics {
            #expect(!diagnostic.message.contains("\n"), "messages are one line: \(diagnostic)")
            #expect(diagnostic.code != nil, "every diagnostic has a code: \(diagnostic)")
            guard let location = diagnostic.location else {
                Issue.record("every diagnostic is located: \(diagnostic)")
                continue
            }
            let lines = outcome.lineCount(of: location.file)
            #expect(lines != nil, "the located file was read: \(diagnostic)")
            #expect(location.line >= 1 && location.column >= 1, "\(diagnostic)")
            #expect(location.line <= (lines ?? 0), "the line exists: \(diagnostic)")
        }
        // Memory: only committed files were held; devices and outside files were never read.
        #expect(outcome.bytesHeld <= Self.committedBytes, "\(name) held \(outcome.bytesHeld) bytes")
        try checkSourceGolden(name, actual: outcome.rendered)
    }

    /// The fixture folder, the sandbox of the golden loads.
    static var sandbox: FileAccess { .sandbox([Repository.root + "/" + folder]) }

    @Test("with a sandbox, files outside it fail through the file policy, before they are touched", arguments: [
        ("etc-passwd.arazzo.yaml", "/etc/passwd"),
        ("parent-traversal.arazzo.yaml", "/etc/hostname"),
        ("proc-self.arazzo.yaml", "/proc/self/mem"),
        ("dev-zero.arazzo.yaml", "/dev/zero"),
        ("dev-urandom.arazzo.yaml", "/dev/urandom"),
        ("dev-stdin.arazzo.yaml", "/dev/stdin"),
    ])
    func outsideFiles(_ name: String, _ path: String) async throws {
        let outcome = try await HostileSourceOutcome.load(name, files: Self.sandbox)
        let refusal = outcome.diagnostics.first { $0.code == "source-file-not-allowed" }
        #expect(refusal?.message.contains("\(path) is outside the sandbox ") == true, "\(outcome.rendered)")
        #expect(refusal?.message.hasSuffix("allow its directory to read it") == true)
        #expect(refusal?.message.contains("--") == false, "the library names no command-line flag")
        #expect(refusal?.location?.line == 5, "located on the url field")
        #expect(outcome.sourceFiles == [outcome.entryPath], "only the entry document was read")
    }

    @Test("without a sandbox, devices and directories are still refused without being read", arguments: [
        "dev-zero.arazzo.yaml", "dev-urandom.arazzo.yaml", "dev-stdin.arazzo.yaml", "directory.arazzo.yaml",
    ])
    func devicesByDefault(_ name: String) async throws {
        for files in [FileAccess.default, .anyFile] {
            let outcome = try await HostileSourceOutcome.load(name, files: files)
            let failure = outcome.diagnostics.first { $0.code == "source-unavailable" }
            #expect(failure?.message.hasSuffix("it is not a regular file") == true, "\(outcome.rendered)")
            #expect(outcome.sourceFiles == [outcome.entryPath])
        }
    }

    /// `/proc/self/environ` would hand the `ARAZZO_AUTH_*` credentials to a YAML error snippet.
    @Test("without a sandbox, kernel pseudo-files under /proc and /sys are refused without being read", arguments: [
        "/proc/self/mem", "/proc/self/environ", "file:///proc/self/status", "/sys/kernel/mm/transparent_hugepage/enabled",
    ])
    func pseudoFiles(_ url: String) async throws {
        let root = try writeFiles(["flow.arazzo.yaml": Self.arazzo(url: url)])
        var diagnostics: [Diagnostic] = []
        var held: [String] = []
        do {
            _ = try await ArazzoLoader(limits: LoadLimits(files: .anyFile)).loadRejectingErrors(path: root + "/flow.arazzo.yaml")
        } catch {
            diagnostics = Array(error.diagnostics)
            held = Array(error.sourceTexts.keys)
        }
        #expect(diagnostics.contains { $0.message.hasSuffix("it is a kernel pseudo-file (under /proc or /sys), not a document") }, "\(diagnostics)")
        #expect(held == [root + "/flow.arazzo.yaml"], "only the entry document was read")
    }

    @Test("a FIFO inside the tree is refused without being opened (opening it would block forever)")
    func fifo() async throws {
        let root = try writeFiles(["flow.arazzo.yaml": Self.arazzo(url: "./pipe.yaml")])
        #expect(mkfifo(root + "/pipe.yaml", 0o600) == 0)
        let diagnostics = try await loadFailure(path: root + "/flow.arazzo.yaml")
        #expect(diagnostics.contains { $0.code == "source-unavailable" && $0.message.hasSuffix("it is not a regular file") }, "\(diagnostics)")
    }

    @Test("a file larger than maxDocumentBytes is refused by its size, not read")
    func oversized() async throws {
        let root = try writeFiles(["flow.arazzo.yaml": Self.arazzo(url: "./huge.yaml")])
        // Sparse: 1 GiB of apparent size, no disk blocks and nothing to read quickly.
        let created = FileManager.default.createFile(atPath: root + "/huge.yaml", contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: root + "/huge.yaml"))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        #expect(created)
        var diagnostics: [Diagnostic] = []
        var held = 0
        do {
            _ = try await ArazzoLoader().loadRejectingErrors(path: root + "/flow.arazzo.yaml")
        } catch {
            diagnostics = Array(error.diagnostics)
            held = error.sourceTexts.values.reduce(0) { $0 + $1.utf8.count }
        }
        #expect(diagnostics.contains { $0.message.hasSuffix("it is larger than \(LoadLimits.default.maxDocumentBytes) bytes") }, "\(diagnostics)")
        #expect(held < 4_096, "only the entry document was held")
    }

    @Test("a closed loopback port ends the fetch by refusal, not by waiting out the fetch timeout")
    func closedPort() async throws {
        let outcome = try await HostileSourceOutcome.load("unreachable-host.arazzo.yaml")
        // The message proves which way the fetch ended (the timer would say "timeout").
        #expect(outcome.diagnostics.contains { $0.code == "source-unavailable" && $0.message.contains("connection refused") })
        #expect(!outcome.diagnostics.contains { $0.message.contains("timeout") })
    }

    @Test("a local document reads ../openapi/… and the $refs there with no grant; a sandbox narrows it to its trees")
    func localLayoutAndSandbox() async throws {
        let root = try writeFiles([
            "arazzo/flow.arazzo.yaml": """
                arazzo: 1.0.1
                info: {title: T, version: '1'}
                sourceDescriptions:
                  - {name: api, url: ../openapi/api.yaml, type: openapi}
                workflows:
                  - workflowId: w
                    steps: [{stepId: a, operationId: op}]
                """,
            "openapi/api.yaml": """
                openapi: 3.1.0
                info: {title: A, version: '1'}
                paths:
                  /a:
                    get:
                      operationId: op
                      responses: {'200': {$ref: './parts/responses.yaml#/ok'}}
                """,
            "openapi/parts/responses.yaml": "ok: {description: OK}\n",
            "secret.yaml": "token: s3cr3t\n",
        ])
        let entry = root + "/arazzo/flow.arazzo.yaml"
        let loaded = try await ArazzoLoader().loadRejectingErrors(path: entry)
        let description = try #require(loaded.openAPIDocument(source: "api"))
        #expect(description.resolveReference(root + "/openapi/parts/responses.yaml#/ok") != nil, "the $ref target was read")

        // The entry document's own tree is not in the sandbox unless listed.
        let confined = try await loadFailure(path: entry, files: .sandbox([root + "/arazzo"]))
        let refusal = try #require(confined.first { $0.code == "source-file-not-allowed" })
        #expect(refusal.message.contains("/openapi/api.yaml is outside the sandbox \(root)/arazzo; allow its directory to read it"), "\(refusal.message)")
        // The $ref target must be in the sandbox too.
        let partial = try await loadFailure(path: entry, files: .sandbox([root + "/arazzo", root + "/openapi/api.yaml", root + "/elsewhere"]))
        #expect(partial.contains { $0.code == "source-file-not-allowed" })
        for sandbox in [[root], [root + "/openapi"], [root + "/arazzo", root + "/openapi"]] {
            _ = try await ArazzoLoader(limits: LoadLimits(files: .sandbox(sandbox))).loadRejectingErrors(path: entry)
        }
        // A relative sandbox directory is read against the current directory.
        let relative = try #require(relativePath(from: FileManager.default.currentDirectoryPath, to: root))
        _ = try await ArazzoLoader(limits: LoadLimits(files: .sandbox([relative]))).loadRejectingErrors(path: entry)
        // A sandbox directory is a tree, not a prefix: a sibling named like it is outside.
        let sibling = try writeFiles(["a/flow.yaml": "x", "ab/api.yaml": "x"])
        let prefixed = try await loadFailure(
            text: "arazzo: 1.0.1\ninfo: {title: T, version: '1'}\nsourceDescriptions:\n  - {name: api, url: ../ab/api.yaml, type: openapi}\nworkflows:\n  - workflowId: w\n    steps: [{stepId: a, operationId: op}]\n",
            at: sibling + "/a/flow.yaml", files: .sandbox([sibling + "/a"]))
        #expect(prefixed.contains { $0.code == "source-file-not-allowed" })
    }

    @Test("a relative $ref out of the sandbox fails the load, located on the source's url field")
    func refOutside() async throws {
        let root = try writeFiles([
            "flow/flow.arazzo.yaml": """
                arazzo: 1.0.1
                info: {title: T, version: '1'}
                sourceDescriptions:
                  - name: api
                    url: ./api.yaml
                    type: openapi
                workflows:
                  - workflowId: w
                    steps: [{stepId: a, operationId: op}]
                """,
            "flow/api.yaml": """
                openapi: 3.1.0
                info: {title: A, version: '1'}
                paths:
                  /a:
                    get:
                      operationId: op
                      responses: {'200': {$ref: '../secret.yaml#/ok'}}
                """,
            "secret.yaml": "ok: {description: s3cr3t}\n",
        ])
        let diagnostics = try await loadFailure(path: root + "/flow/flow.arazzo.yaml", files: .sandbox([root + "/flow"]))
        let refusal = try #require(diagnostics.first { $0.code == "source-file-not-allowed" })
        #expect(refusal.message.hasPrefix("cannot load source description 'api' from ./api.yaml: its $ref target "))
        #expect(refusal.message.contains("/secret.yaml is outside the sandbox"))
        #expect(refusal.location?.line == 5 && refusal.location?.column == 10)
        #expect(refusal.notes == ["the $ref is at \(root)/flow/api.yaml:7:33"], "\(refusal.notes)")
        // With the parent in the sandbox, or no sandbox (the caller chose the document), it loads.
        _ = try await ArazzoLoader(limits: LoadLimits(files: .sandbox([root]))).loadRejectingErrors(path: root + "/flow/flow.arazzo.yaml")
        _ = try await ArazzoLoader().loadRejectingErrors(path: root + "/flow/flow.arazzo.yaml")
    }

    @Test("a symlink inside the sandbox that points out of it is outside")
    func symlinkOut() async throws {
        let root = try writeFiles(["flow/flow.arazzo.yaml": Self.arazzo(url: "./link/api.yaml"), "outside/api.yaml": "openapi: 3.1.0\n"])
        try FileManager.default.createSymbolicLink(atPath: root + "/flow/link", withDestinationPath: root + "/outside")
        let diagnostics = try await loadFailure(path: root + "/flow/flow.arazzo.yaml", files: .sandbox([root + "/flow"]))
        #expect(diagnostics.contains { $0.code == "source-file-not-allowed" && $0.message.contains("/flow/link/api.yaml is outside") }, "\(diagnostics)")
    }

    @Test("a symlink inside the sandbox to a file inside it is followed")
    func symlinkInside() async throws {
        let root = try writeFiles([
            "flow/flow.arazzo.yaml": Self.arazzo(url: "./link.yaml"),
            "flow/specs/api.yaml": Self.openAPI(title: "inside"),
        ])
        try FileManager.default.createSymbolicLink(atPath: root + "/flow/link.yaml", withDestinationPath: root + "/flow/specs/api.yaml")
        let document = try await ArazzoLoader(limits: LoadLimits(files: .sandbox([root + "/flow"]))).loadRejectingErrors(path: root + "/flow/flow.arazzo.yaml")
        #expect(document.sourceTexts.values.contains { $0.contains("title: inside") })
    }

    /// The policy check names a path and the read opens an inode; a directory symlink flipped in
    /// between used to read whatever it pointed at by then. The loader now checks the opened
    /// descriptor's real path, so however the flips fall, the outside file's text is never held
    /// (here with a sandbox, the policy that has a tree to escape from).
    @Test("a directory symlink flipped between inside and outside while loading never yields the outside file")
    func symlinkSwapRace() async throws {
        let marker = "OUTSIDE-CANARY-7f3a"
        let root = try writeFiles([
            "flow/flow.arazzo.yaml": Self.arazzo(url: "./dir/api.yaml"),
            "flow/specs/api.yaml": Self.openAPI(title: "inside"),
            "outside/api.yaml": Self.openAPI(title: marker),
        ])
        let link = root + "/flow/dir"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: root + "/flow/specs")
        let flipper = SymlinkFlipper(link: link, targets: [root + "/flow/specs", root + "/outside"])
        flipper.start()
        defer { flipper.stop() }
        // Loaded (the link pointed inside throughout) and refused (it pointed outside at the check
        // or at the open) are both right, in any mix: the flips' timing is the scheduler's.
        let loader = ArazzoLoader(limits: LoadLimits(files: .sandbox([root + "/flow"])))
        for _ in 0..<1_000 {
            do {
                let document = try await loader.loadRejectingErrors(path: root + "/flow/flow.arazzo.yaml")
                #expect(!document.sourceTexts.values.contains { $0.contains(marker) }, "the outside file was read")
            } catch {
                #expect(!error.sourceTexts.values.contains { $0.contains(marker) }, "the outside file was read")
            }
        }
    }

    @Test("a file: URL with percent-encoded dots is decoded once and checked as it is opened")
    func percentEncoded() async throws {
        let root = try writeFiles(["secret.yaml": "x: 1\n"])
        try Self.arazzo(url: "file://\(root)/flow/%2E%2E/secret.yaml").write(toFile: root + "/flow.arazzo.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/flow", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: root + "/flow.arazzo.yaml", toPath: root + "/flow/flow.arazzo.yaml")
        let diagnostics = try await loadFailure(path: root + "/flow/flow.arazzo.yaml", files: .sandbox([root + "/flow"]))
        #expect(diagnostics.contains { $0.code == "source-file-not-allowed" }, "\(diagnostics)")
    }

    @Test("a remote entry document may not name local files unless a root or allowsAnyFile grants them")
    func remoteEntry() async throws {
        let root = try writeFiles(["specs/api.yaml": Self.openAPI(title: "local")])
        let text = Self.arazzo(url: "file://\(root)/specs/api.yaml")
        let diagnostics = try await loadFailure(text: text, at: "https://specs.example/flow.arazzo.yaml")
        let refusal = try #require(diagnostics.first { $0.code == "source-file-not-allowed" })
        #expect(refusal.message.contains("\(root)/specs/api.yaml is a local file named by a document fetched over the network"), "\(refusal.message)")
        #expect(refusal.message.hasSuffix("allow its directory to read it"))
        let elsewhere = try await loadFailure(text: text, at: "https://specs.example/flow.arazzo.yaml", files: FileAccess(roots: [root + "/other"]))
        #expect(elsewhere.contains { $0.code == "source-file-not-allowed" && $0.message.contains("(allowed: \(root)/other)") }, "\(elsewhere)")
        for granted in [FileAccess(roots: [root + "/specs"]), .anyFile] {
            let loaded = try await ArazzoLoader(limits: LoadLimits(files: granted)).loadRejectingErrors(text: text, baseURL: "https://specs.example/flow.arazzo.yaml")
            #expect(loaded.openAPIDocument(source: "api") != nil)
        }
    }

    @Test("a description fetched over the network may not $ref a local file, though the local document that named it may")
    func remoteSourceNamesLocalFile() async throws {
        let root = try writeFiles([
            "flow.arazzo.yaml": Self.arazzo(url: "https://specs.example/api.yaml"),
            "secret.yaml": "ok: {description: s3cr3t}\n",
        ])
        let remote = """
            openapi: 3.1.0
            info: {title: A, version: '1'}
            paths:
              /a:
                get:
                  operationId: op
                  responses: {'200': {$ref: 'file://\(root)/secret.yaml#/ok'}}
            """
        let fetcher = InMemoryExecutor(routes: [.init("GET", "/api.yaml", .status(200, body: remote))])
        do {
            _ = try await ArazzoLoader(fetcher: fetcher).loadRejectingErrors(path: root + "/flow.arazzo.yaml")
            Issue.record("the remote description read a local file")
        } catch {
            let refusal = try #require(error.diagnostics.first { $0.code == "source-file-not-allowed" })
            #expect(refusal.message.contains("its $ref target \(root)/secret.yaml is a local file named by a document fetched over the network"), "\(refusal.message)")
            #expect(!error.sourceTexts.values.contains { $0.contains("s3cr3t") })
        }
        // The grant lifts it.
        let loaded = try await ArazzoLoader(fetcher: fetcher, limits: LoadLimits(files: FileAccess(roots: [root]))).loadRejectingErrors(path: root + "/flow.arazzo.yaml")
        #expect(loaded.openAPIDocument(source: "api") != nil)
    }

    @Test("a mapping serves remote URLs from a directory with no fetcher; relative $refs follow the mapping; the longest prefix wins")
    func mappedSources() async throws {
        let root = try writeFiles([
            "flow/flow.arazzo.yaml": Self.arazzo(url: "https://specs.example/v1/api.yaml"),
            "copies/api.yaml": """
                openapi: 3.1.0
                info: {title: copy, version: '1'}
                paths:
                  /a:
                    get:
                      operationId: op
                      responses: {'200': {$ref: './parts/responses.yaml#/ok'}}
                """,
            "copies/parts/responses.yaml": "ok: {description: OK}\n",
            "general/v1/api.yaml": "not: openapi\n",
            "secret.yaml": "s3cr3t: 1\n",
        ])
        let mappings = [
            FileAccess.Mapping(urlPrefix: "https://specs.example/", directory: root + "/general"),
            FileAccess.Mapping(urlPrefix: "https://specs.example/v1", directory: root + "/copies"),
        ]
        // No fetcher: anything not mapped would fail. A sandbox does not apply to mapped copies,
        // which the caller chose.
        let access = FileAccess(sandbox: [root + "/flow"], mappings: mappings)
        let loaded = try await ArazzoLoader(limits: LoadLimits(files: access)).loadRejectingErrors(path: root + "/flow/flow.arazzo.yaml")
        #expect(loaded.openAPIDocument(source: "api") != nil)
        #expect(loaded.sourceTexts.keys.contains("https://specs.example/v1/api.yaml"), "\(loaded.sourceTexts.keys.sorted())")

        // A prefix matches at a path boundary only.
        let boundary = try await loadFailure(
            path: root + "/flow/flow.arazzo.yaml",
            files: FileAccess(mappings: [FileAccess.Mapping(urlPrefix: "https://specs.example/v", directory: root + "/copies")]))
        #expect(boundary.contains { $0.message.contains("http(s) sources need a fetcher") }, "\(boundary)")

        // A missing copy says which mapping it went through.
        let missing = try await loadFailure(
            path: root + "/flow/flow.arazzo.yaml",
            files: FileAccess(mappings: [FileAccess.Mapping(urlPrefix: "https://specs.example/v1/", directory: root + "/flow")]))
        #expect(missing.contains {
            $0.code == "source-unavailable"
                && $0.message.hasSuffix("there is no local copy: https://specs.example/v1/api.yaml is read from \(root)/flow/api.yaml (mapping https://specs.example/v1/ → \(root)/flow), which does not exist")
        }, "\(missing)")

        // A URL cannot leave the mapped directory, encoded or not.
        for url in ["https://specs.example/v1/%2E%2E/secret.yaml", "https://specs.example/v1/..%2Fsecret.yaml"] {
            try Self.arazzo(url: url).write(toFile: root + "/flow/escape.arazzo.yaml", atomically: true, encoding: .utf8)
            let escape = try await loadFailure(
                path: root + "/flow/escape.arazzo.yaml",
                files: FileAccess(mappings: [FileAccess.Mapping(urlPrefix: "https://specs.example/v1/", directory: root + "/copies")]))
            #expect(escape.contains { $0.code == "source-file-not-allowed" && $0.message.contains("outside the directory of its local copies") }, "\(url): \(escape)")
        }
    }

    @Test("$refs inside x- extensions are not followed: a hostile or broken one neither fails the load nor reads a file")
    func extensionReferencesSkipped() async throws {
        let root = try writeFiles([
            "flow/flow.arazzo.yaml": Self.arazzo(url: "./api.yaml"),
            "flow/api.yaml": """
                openapi: 3.1.0
                info: {title: A, version: '1'}
                x-tool:
                  config: {$ref: '../secret.yaml'}
                  missing: {$ref: './no-such-file.yaml'}
                paths:
                  x-paths-extension: {$ref: '/etc/passwd'}
                  /a:
                    get:
                      operationId: op
                      x-codegen: {$ref: 'file:///dev/zero'}
                      responses:
                        '200':
                          description: OK
                          headers:
                            x-request-id: {$ref: './headers.yaml#/RequestId'}
                """,
            "flow/headers.yaml": "RequestId: {schema: {type: string}}\n",
            "secret.yaml": "s3cr3t: 1\n",
        ])
        // Under a sandbox of the flow directory, following any extension $ref would be refused.
        let loaded = try await ArazzoLoader(limits: LoadLimits(files: .sandbox([root + "/flow"]))).loadRejectingErrors(path: root + "/flow/flow.arazzo.yaml")
        let description = try #require(loaded.openAPIDocument(source: "api"))
        #expect(Array(loaded.diagnostics).isEmpty, "\(Array(loaded.diagnostics))")
        #expect(description.resolveReference(root + "/secret.yaml#") == nil, "the extension's target was not read")
        // A header named x-… is not an extension: its $ref was followed.
        #expect(description.resolveReference(root + "/flow/headers.yaml#/RequestId") != nil)
    }

    @Test("a source override the caller names is read wherever it is, and the files it names with it")
    func overridesAreTrusted() async throws {
        let root = try writeFiles([
            "flow/flow.arazzo.yaml": Self.arazzo(url: "https://remote.example/api.yaml"),
            "elsewhere/api.yaml": """
                openapi: 3.1.0
                info: {title: A, version: '1'}
                paths:
                  /a:
                    get:
                      operationId: op
                      responses: {'200': {$ref: './parts.yaml#/ok'}}
                """,
            "elsewhere/parts.yaml": "ok: {description: OK}\n",
        ])
        let loader = ArazzoLoader(sourceOverrides: ["api": root + "/elsewhere/api.yaml"])
        let loaded = try await loader.loadRejectingErrors(path: root + "/flow/flow.arazzo.yaml")
        #expect(loaded.openAPIDocument(source: "api") != nil)
    }

    @Test("an unsupported URL scheme is named as such")
    func badScheme() async throws {
        let outcome = try await HostileSourceOutcome.load("bad-scheme.arazzo.yaml")
        #expect(outcome.diagnostics.contains { $0.message.hasSuffix("the URL scheme ftp is not supported (use http, https or file, or a relative path)") })
    }

    static func arazzo(url: String) -> String {
        """
        arazzo: 1.0.1
        info: {title: T, version: '1'}
        sourceDescriptions:
          - name: api
            url: '\(url)'
            type: openapi
        workflows:
          - workflowId: w
            steps: [{stepId: a, operationId: op}]
        """
    }

    /// A minimal OpenAPI description with the operation ``arazzo(url:)``'s workflow calls.
    static func openAPI(title: String) -> String {
        "openapi: 3.1.0\ninfo: {title: \(title), version: '1'}\npaths: {/a: {get: {operationId: op}}}\n"
    }

    func loadFailure(path: String, files: FileAccess = .default) async throws -> [Diagnostic] {
        do {
            _ = try await ArazzoLoader(limits: LoadLimits(files: files)).loadRejectingErrors(path: path)
        } catch {
            return Array(error.diagnostics)
        }
        Issue.record("\(path) loaded")
        return []
    }

    func loadFailure(text: String, at baseURL: String, files: FileAccess = .default) async throws -> [Diagnostic] {
        do {
            _ = try await ArazzoLoader(limits: LoadLimits(files: files)).loadRejectingErrors(text: text, baseURL: baseURL)
        } catch {
            return Array(error.diagnostics)
        }
        Issue.record("\(baseURL) loaded")
        return []
    }

    func relativePath(from base: String, to target: String) -> String? {
        let from = base.split(separator: "/")
        let to = target.split(separator: "/")
        var common = 0
        while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        let rest = to[common...].map(String.init)
        let parts = ups + rest
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}

/// One hostile source document loaded and validated, its diagnostics rendered for the golden.
struct HostileSourceOutcome {
    var diagnostics: [Diagnostic] = []
    var sourceTexts: [String: String] = [:]
    var rendered = ""
    var entryPath = ""

    /// The files whose text the load held (keyed as diagnostics name them).
    var sourceFiles: [String] { sourceTexts.keys.sorted() }
    /// The bytes of text the load held.
    var bytesHeld: Int { sourceTexts.values.reduce(0) { $0 + $1.utf8.count } }

    func lineCount(of file: String) -> Int? {
        guard let text = sourceTexts[file] else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).count
    }

    /// Loads `name` from the fixture folder through the real loader with a socket-level fetcher.
    /// The unreachable host is replaced by a closed loopback port (the fixture's blackhole address
    /// would need a network and a long connect timeout to fail); its port is written `<closed-port>`
    /// in the golden text.
    static func load(_ name: String, files: FileAccess = .default) async throws -> HostileSourceOutcome {
        let root = Repository.root
        var outcome = HostileSourceOutcome()
        outcome.entryPath = root + "/" + HostileSourceTests.folder + "/" + name
        var overrides: [String: String] = [:]
        var closedPort: Int?
        if name == "unreachable-host.arazzo.yaml" {
            let port = try ClosedPort.find()
            closedPort = port
            overrides["s"] = "http://127.0.0.1:\(port)/openapi.yaml"
        }
        let loader = ArazzoLoader(
            fetcher: SocketProbeFetcher(),
            limits: LoadLimits(fetchTimeout: HostileSourceTests.fetchTimeout, files: files),
            sourceOverrides: overrides)
        do {
            let loaded = try await loader.load(path: outcome.entryPath)
            outcome.diagnostics = Array(loaded.validate())
            outcome.sourceTexts = loaded.sourceTexts
        } catch {
            outcome.diagnostics = Array(error.diagnostics)
            outcome.sourceTexts = error.sourceTexts
        }
        let renderer = DiagnosticRenderer(colored: false, sources: outcome.sourceTexts)
        var text = outcome.diagnostics.isEmpty ? "" : renderer.render(outcome.diagnostics) + "\n"
        // Machine-independent: paths relative to the repository, also in the symlink-resolved
        // form the file policy reports (a scratch package links Fixtures/ elsewhere); the
        // dynamic port named.
        var replacements = [(root + "/", "")]
        let folder = HostileSourceTests.folder
        if let resolved = realpath(root + "/" + folder, nil) {
            replacements.append((String(cString: resolved), folder))
            free(resolved)
        }
        for (prefix, replacement) in replacements.sorted(by: { $0.0.count > $1.0.count }) {
            text = text.replacingOccurrences(of: prefix, with: replacement)
        }
        if let closedPort { text = text.replacingOccurrences(of: ":\(closedPort)", with: ":<closed-port>") }
        outcome.rendered = text
        return outcome
    }
}

/// Compares with `<name without .arazzo.yaml>.expected`, or records it under
/// `ARAZZO_RECORD_GOLDENS=1`.
func checkSourceGolden(_ name: String, actual: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let base = name.hasSuffix(".arazzo.yaml") ? String(name.dropLast(".arazzo.yaml".count)) : name
    try GoldenFile.check(
        Repository.root + "/" + HostileSourceTests.folder + "/" + base + ".expected", actual, sourceLocation: sourceLocation)
}

/// A TCP port on 127.0.0.1 that nothing listens on: bound, then closed.
enum ClosedPort {
    struct Failure: Error {}

    static func find() throws -> Int {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { throw Failure() }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure() }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure() }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A fetcher that goes as far as a TCP connection (the hostile cases never get further): it
/// parses the URL strictly, answers `.invalid` names negatively without a lookup (RFC 6761 §6.4,
/// so the test needs no resolver), connects to numeric IPv4 hosts, and gives up after the
/// request's timeout. The HTTP executor's own transport errors are tested in ArazzoHTTPTests.
struct SocketProbeFetcher: StepExecutor {
    func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        guard let components = URLComponents(string: request.url), let host = components.host, !host.isEmpty else {
            throw TransportError(.invalidURL, "the URL cannot be parsed")
        }
        let scheme = components.scheme ?? "http"
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let origin = "\(scheme)://\(host):\(port)"
        if host.lowercased().hasSuffix(".invalid") {
            throw TransportError(.dns, "\(host) cannot be resolved (.invalid names never resolve)")
        }
        guard inet_addr(host) != INADDR_NONE else {
            throw TransportError(.dns, "the probe fetcher only connects to IPv4 addresses, not \(host)")
        }
        let timeout = request.timeout
        let error: TransportError = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            DispatchQueue.global().async {
                once.resume(Self.attempt(host: host, port: port, origin: origin))
            }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                once.resume(TransportError(.timeout, "no connection to \(origin) within \(timeout)"))
            }
        }
        throw error
    }

    static func attempt(host: String, port: Int, origin: String) -> TransportError {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { return TransportError(.connectionRefused, "no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            return TransportError(.connectionRefused, "connection refused by \(origin)")
        }
        return TransportError(.invalidResponse, "the probe fetcher does not speak HTTP (\(origin) accepted)")
    }
}

/// Resumes a continuation once; later results are dropped.
final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<TransportError, Never>?

    init(_ continuation: CheckedContinuation<TransportError, Never>) { self.continuation = continuation }

    func resume(_ value: TransportError) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(returning: value)
    }
}

/// Re-points a symlink between targets, atomically (a new link renamed over the old one), on its
/// own thread until stopped.
final class SymlinkFlipper: @unchecked Sendable {
    private let link: String
    private let targets: [String]
    private let lock = NSLock()
    private var running = false
    private var thread: Thread?

    init(link: String, targets: [String]) {
        self.link = link
        self.targets = targets
    }

    func start() {
        lock.withLock { running = true }
        let thread = Thread { [self] in
            var index = 0
            while lock.withLock({ running }) {
                index = (index + 1) % targets.count
                let temporary = link + ".flip"
                unlink(temporary)
                symlink(targets[index], temporary)
                rename(temporary, link)
            }
        }
        self.thread = thread
        thread.start()
    }

    func stop() {
        lock.withLock { running = false }
        while thread?.isFinished == false { usleep(1_000) }
    }
}
