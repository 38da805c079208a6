// swift-tools-version:6.1
// The package graph points one way: YAML → model → expressions → runtime → HTTP executor → CLI.
// Beside the model, YAML → OpenAPI (descriptions, serialisation, request building) → runtime:
// ArazzoOpenAPI never sees Arazzo objects or expressions, so a checker can use it alone.
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode is the package default; these add the
/// upcoming features that keep imports honest.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The trait that brings in networking: AsyncHTTPClient, SwiftNIO, swift-nio-ssl, swift-crypto and
/// swift-argument-parser, the MCP Swift SDK and hdrhistogram-swift are resolved only when it is on (docs/embedding.md, "Dependencies and traits").
let networking: Set<String> = ["Networking"]

/// The trait that brings in the OTLP/HTTP trace exporter (swift-otel, swift-protobuf) for
/// `arazzo-run run --otlp-endpoint`; it needs the CLI, so it turns `Networking` on too. Only the
/// `ArazzoOTel` target uses it: the libraries never see swift-otel (docs/observability.md).
let otlp: Set<String> = ["OTLP"]

let package = Package(
    name: "swift-arazzo",
    // macOS 15: the one lock primitive is `Mutex` (Synchronization), which needs it; Linux, where
    // the package is built and run, has it with any Swift 6 toolchain.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Arazzo", targets: ["Arazzo"]),
        .library(name: "ArazzoHTTP", targets: ["ArazzoHTTP"]),
        .library(name: "ArazzoTesting", targets: ["ArazzoTesting"]),
        // Workflows as MCP tools (docs/mcp.md); its server needs the Networking trait.
        .library(name: "ArazzoMCP", targets: ["ArazzoMCP"]),
        .executable(name: "arazzo-run", targets: ["arazzo-run"]),
        // `arazzo-run serve`'s MCP server: arazzo-run hands the command over to it, so the MCP SDK
        // (FoundationNetworking, libcurl) is not loaded at every start (decision MCP9).
        .executable(name: "arazzo-run-mcp", targets: ["arazzo-run-mcp"]),
        .executable(name: "arazzo-example-embedding", targets: ["arazzo-example-embedding"]),
    ],
    traits: [
        .trait(
            name: "Networking",
            description: "The AsyncHTTPClient HTTP executor, the SwiftNIO WebSocket transport, the MCP server and everything built on them: the CLI, the loopback test servers, the benchmarks."),
        .trait(
            name: "OTLP",
            description: "The OTLP/HTTP trace exporter (swift-otel) behind `arazzo-run run --otlp-endpoint`; turns Networking on.",
            enabledTraits: ["Networking"]),
        .default(enabledTraits: ["Networking", "OTLP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already in the graph through async-http-client; named here for wss in ArazzoWebSocket.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The Model Context Protocol server behind `arazzo-run serve --mcp` (ArazzoMCP).
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        // Spans and W3C trace context: the engine's and the HTTP executor's instrumentation (no
        // dependencies of its own; a no-op until a tracer is bootstrapped).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // The OTLP exporter, only behind the OTLP trait and only in ArazzoOTel. OTLP/HTTP alone:
        // the gRPC exporter would add grpc-swift to the build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // Already in the graph through swift-otel: its exporter is a Service run and shut down
        // gracefully (flushed) through ServiceLifecycle.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The latency histograms of `arazzo-run load` (ArazzoLoad; docs/load.md).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // C libraries from Debian, kept behind `internal import`.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Values and locations every layer speaks.
        .target(
            name: "ArazzoJSON",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strictSettings),
        .target(name: "ArazzoDiagnostics", swiftSettings: strictSettings),

        // YAML / JSON text → located node tree.
        .target(
            name: "ArazzoYAML",
            dependencies: ["CYAML", "ArazzoJSON", "ArazzoDiagnostics"],
            swiftSettings: strictSettings),

        // The Arazzo objects (AST) and the document validator.
        .target(
            name: "ArazzoModel",
            dependencies: [
                "ArazzoYAML", "ArazzoJSON", "ArazzoDiagnostics",
                // For the one header-name comparison (HeaderFields.namesMatch); no networking.
                "ArazzoExecutor",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings),

        // Criterion engines: RFC 9535 JSONPath, ECMA-262 regex on ICU, XPath 1.0 on libxml2.
        .target(name: "ArazzoJSONPath", dependencies: ["ArazzoJSON", "ArazzoDiagnostics"], swiftSettings: strictSettings),
        .target(name: "ArazzoRegex", dependencies: ["ArazzoDiagnostics"], swiftSettings: strictSettings),
        .target(name: "ArazzoXPath", dependencies: ["CLibXML2"], swiftSettings: strictSettings),

        // Runtime expressions, templates and success criteria.
        .target(
            name: "ArazzoExpressions",
            dependencies: [
                "ArazzoJSON", "ArazzoDiagnostics", "ArazzoJSONPath", "ArazzoRegex", "ArazzoXPath",
                // For the one header-name comparison (HeaderFields.namesMatch); no networking.
                "ArazzoExecutor",
            ],
            swiftSettings: strictSettings),

        // JSON Schema for workflow inputs.
        .target(name: "ArazzoJSONSchema", dependencies: ["ArazzoJSON"], swiftSettings: strictSettings),

        // The step-executor contract: requests, responses and the protocol executors implement.
        // Instrumentation (no dependencies): the header carrier trace context is injected through.
        .target(
            name: "ArazzoExecutor",
            dependencies: ["ArazzoJSON", .product(name: "Instrumentation", package: "swift-distributed-tracing")],
            swiftSettings: strictSettings),

        // AsyncAPI 3.x descriptions (servers, channels, operations, messages) and the in-memory broker.
        .target(
            name: "ArazzoAsyncAPI",
            dependencies: ["ArazzoJSON", "ArazzoDiagnostics", "ArazzoYAML", "ArazzoExecutor"],
            swiftSettings: strictSettings),

        // The message transport for ws/wss servers, over SwiftNIO's WebSocket codec and NIOSSL.
        .target(
            name: "ArazzoWebSocket",
            dependencies: [
                // The executor's proxy and TLS settings, which WebSocket connections share (NET9).
                "ArazzoExecutor", "ArazzoJSON", "ArazzoHTTP",
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOPosix", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOWebSocket", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: networking)),
            ],
            swiftSettings: strictSettings),

        // OpenAPI descriptions (index, `$ref`s, Swagger 2.0 conversion), parameter and body
        // serialisation, body parsing and request building as a pure function.
        .target(
            name: "ArazzoOpenAPI",
            dependencies: [
                "ArazzoJSON", "ArazzoDiagnostics", "ArazzoYAML", "ArazzoExecutor", "ArazzoXPath",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings),

        // The engine people embed.
        .target(
            name: "Arazzo",
            dependencies: [
                "ArazzoJSON", "ArazzoDiagnostics", "ArazzoYAML", "ArazzoModel", "ArazzoExpressions",
                "ArazzoJSONSchema", "ArazzoExecutor", "ArazzoXPath", "ArazzoAsyncAPI", "ArazzoOpenAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings),

        // The default executor, over AsyncHTTPClient.
        .target(
            name: "ArazzoHTTP",
            dependencies: [
                "ArazzoExecutor",
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: networking)),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOPosix", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings),

        // The OTLP/HTTP trace exporter the CLI bootstraps for --otlp-endpoint: its own target so
        // swift-otel stays out of every library's dependency graph.
        .target(
            name: "ArazzoOTel",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OTel", package: "swift-otel", condition: .when(traits: otlp)),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: otlp)),
            ],
            swiftSettings: strictSettings),

        // Workflows as MCP tools (`arazzo-run serve --mcp`): the catalog, the calls, stdio and HTTP.
        .target(
            name: "ArazzoMCP",
            dependencies: [
                "Arazzo", "ArazzoJSON", "ArazzoJSONSchema", "ArazzoDiagnostics", "ArazzoModel", "ArazzoYAML",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "MCP", package: "swift-sdk", condition: .when(traits: networking)),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOPosix", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),

        // The load generator behind `arazzo-run load` (docs/load.md): the scheduler, the summary
        // with its HdrHistograms, their exact merge, thresholds. Networking only, for the histograms.
        .target(
            name: "ArazzoLoad",
            dependencies: [
                "Arazzo", "ArazzoJSON",
                .product(name: "Histogram", package: "hdrhistogram-swift", condition: .when(traits: networking)),
            ],
            swiftSettings: strictSettings),

        // The command-line tool: commands live in a library so tests drive the real code path.
        .target(
            name: "ArazzoCLI",
            dependencies: [
                // Not ArazzoMCP: the MCP server is linked only into arazzo-run-mcp (decision MCP9).
                "Arazzo", "ArazzoHTTP", "ArazzoWebSocket", "ArazzoOTel", "ArazzoLoad",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: .when(traits: networking)),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(name: "arazzo-run", dependencies: ["ArazzoCLI"], swiftSettings: strictSettings),
        .executableTarget(name: "arazzo-run-mcp", dependencies: ["ArazzoCLI", "ArazzoMCP", "Arazzo"], swiftSettings: strictSettings),

        // An embedder's program (docs/embedding.md): WorkflowRunner, a custom in-process executor,
        // an observer. No networking, so it builds and runs with the traits off too.
        .executableTarget(
            name: "arazzo-example-embedding",
            dependencies: ["Arazzo", .product(name: "Logging", package: "swift-log")],
            path: "Examples/Embedding",
            exclude: ["pet-adoption.arazzo.yaml", "petstore.openapi.yaml"],
            swiftSettings: strictSettings),

        // Test support embedders use too (docs/testing.md): the exchange script and its in-memory
        // executor, goldens, conformance cases. No networking: the servers below build on it.
        .target(
            name: "ArazzoTesting",
            dependencies: [
                "ArazzoJSON", "ArazzoYAML", "ArazzoDiagnostics", "ArazzoExecutor",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings),

        // Loopback HTTP servers for tests and benchmarks (scripted replay, Stytch-shaped, faults).
        .target(
            name: "ArazzoTestServer",
            dependencies: [
                "ArazzoTesting", "ArazzoExecutor", "ArazzoJSON",
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOPosix", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "Crypto", package: "swift-crypto", condition: .when(traits: networking)),
            ],
            swiftSettings: strictSettings),

        .executableTarget(
            name: "arazzo-bench",
            dependencies: [
                "Arazzo", "ArazzoExecutor", "ArazzoHTTP", "ArazzoCLI", "ArazzoLoad", "ArazzoTestServer", "ArazzoJSONPath", "ArazzoModel", "ArazzoYAML", "CYAML",
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: networking)),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: networking)),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: networking)),
            ],
            swiftSettings: strictSettings),

        // Tests (Swift Testing).
        // Test helpers shared by several test targets.
        .target(
            name: "ArazzoTestSupport",
            dependencies: [
                "ArazzoTesting", .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ArazzoTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "ArazzoJSONTests", dependencies: ["ArazzoJSON"], swiftSettings: strictSettings),
        .testTarget(name: "ArazzoYAMLTests", dependencies: ["ArazzoTestSupport", "ArazzoYAML"], swiftSettings: strictSettings),
        .testTarget(name: "ArazzoModelTests", dependencies: ["ArazzoTestSupport", "ArazzoTesting", "ArazzoModel", "ArazzoYAML", "ArazzoExpressions"], swiftSettings: strictSettings),
        .testTarget(name: "ArazzoJSONPathTests", dependencies: ["ArazzoJSONPath", "ArazzoDiagnostics", "ArazzoTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ArazzoRegexTests", dependencies: ["ArazzoTestSupport", "ArazzoRegex", "ArazzoDiagnostics"], swiftSettings: strictSettings),
        .testTarget(name: "ArazzoXPathTests", dependencies: ["ArazzoXPath", "ArazzoTesting"], swiftSettings: strictSettings),
        .testTarget(name: "ArazzoExpressionsTests", dependencies: ["ArazzoExpressions", "ArazzoDiagnostics", "ArazzoExecutor"], swiftSettings: strictSettings),
        .testTarget(name: "ArazzoJSONSchemaTests", dependencies: ["ArazzoJSONSchema", "ArazzoYAML", "ArazzoTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ArazzoTests",
            dependencies: [
                "Arazzo", "ArazzoTesting", "ArazzoTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "ArazzoOpenAPITests", dependencies: ["ArazzoOpenAPI", "ArazzoJSON", "ArazzoYAML"], swiftSettings: strictSettings),
        .testTarget(name: "ArazzoExecutorTests", dependencies: ["ArazzoExecutor", "ArazzoTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "ArazzoAsyncAPITests",
            dependencies: ["ArazzoAsyncAPI", "ArazzoWebSocket", "ArazzoHTTP", "ArazzoExecutor", "ArazzoJSON", "ArazzoYAML", "ArazzoDiagnostics", "ArazzoTestSupport", "ArazzoTesting"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ArazzoHTTPTests",
            dependencies: [
                "ArazzoHTTP", "ArazzoTestServer", "ArazzoTesting", "ArazzoTestSupport", "Arazzo",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "ArazzoMCPTests", dependencies: ["ArazzoMCP", "Arazzo", "ArazzoJSON", "ArazzoTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ArazzoCLITests",
            dependencies: [
                "ArazzoCLI", "ArazzoTestServer", "ArazzoTesting", "ArazzoTestSupport", "Arazzo", "ArazzoHTTP", "ArazzoLoad",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
    ]
)
