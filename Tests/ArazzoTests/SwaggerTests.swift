import Foundation
import Testing
import Arazzo
import ArazzoOpenAPI
import OrderedCollections

@Suite("Swagger 2.0 source descriptions")
struct SwaggerTests {
    /// One workflow step per operation of ``petstore``.
    static let workflow = """
        arazzo: 1.0.1
        info: {title: t, version: 1.0.0}
        sourceDescriptions: [{name: pets, url: swagger.yaml, type: openapi}]
        workflows:
          - workflowId: find
            steps:
              - stepId: find
                operationId: findPets
                parameters:
                  - {name: status, in: query, value: [available, sold]}
                  - {name: tags, in: query, value: [a, b]}
                  - {name: X-Ids, in: header, value: [1, 2]}
                outputs: {first: $response.body#/0/name}
            outputs: {first: $steps.find.outputs.first}
          - workflowId: add
            steps:
              - stepId: add
                operationId: addPet
                requestBody: {payload: {name: Rex}}
                outputs: {id: $response.body#/id}
            outputs: {id: $steps.add.outputs.id}
          - workflowId: upload
            steps:
              - stepId: upload
                operationId: uploadImage
                parameters: [{name: petId, in: path, value: 7}]
                requestBody: {payload: {note: hi, file: bytes}}
        """

    static let petstore = """
        swagger: '2.0'
        info: {title: Petstore, version: '1'}
        host: petstore.example:8443
        basePath: /v2/
        schemes: [https, http]
        consumes: [application/json]
        produces: [application/json, application/xml]
        securityDefinitions:
          key: {type: apiKey, in: header, name: api_key}
          login: {type: basic}
          oauth: {type: oauth2, flow: application, tokenUrl: 'https://auth.example/token', scopes: {'read:pets': read}}
          browser: {type: oauth2, flow: accessCode, authorizationUrl: 'https://auth.example/a', tokenUrl: 'https://auth.example/t', scopes: {}}
        security: [{key: []}]
        parameters:
          Tags: {name: tags, in: query, type: array, collectionFormat: pipes, items: {type: string}}
        responses:
          Pets:
            description: pets
            schema: {type: array, items: {$ref: '#/definitions/Pet'}}
            examples:
              application/json: [{id: 1, name: Fido}]
        paths:
          /pets:
            get:
              operationId: findPets
              parameters:
                - {name: status, in: query, type: array, collectionFormat: multi, items: {type: string, enum: [available, sold]}}
                - $ref: '#/parameters/Tags'
                - {name: X-Ids, in: header, type: array, items: {type: integer}}
              responses:
                '200': {$ref: '#/responses/Pets'}
            post:
              operationId: addPet
              schemes: [http]
              security: [{oauth: ['read:pets']}, {login: []}]
              parameters:
                - {name: body, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
              responses:
                '201':
                  description: created
                  schema: {$ref: '#/definitions/Pet'}
                  headers: {Location: {type: string}}
          /pets/{petId}/image:
            parameters:
              - {name: petId, in: path, required: true, type: integer}
            post:
              operationId: uploadImage
              consumes: [multipart/form-data]
              security: []
              parameters:
                - {name: note, in: formData, type: string}
                - {name: file, in: formData, type: file, required: true}
              responses:
                default: {description: done}
        definitions:
          Pet:
            type: object
            required: [id, name]
            properties:
              id: {type: integer, format: int64, minimum: 5}
              name: {type: string}
        """

    static func document(_ swagger: String = petstore) async throws -> LoadedDocument {
        try await load(workflow, sources: ["swagger.yaml": swagger])
    }

    /// The diagnostics of a load that is expected to fail.
    static func loadFailure(_ swagger: String) async -> [Diagnostic] {
        do {
            _ = try await load(workflow, sources: ["swagger.yaml": swagger])
            return []
        } catch let failure as LoadFailure {
            return failure.diagnostics.all
        } catch {
            return []
        }
    }

    @Test("host, basePath and schemes form the servers in scheme order; an operation's schemes win")
    func servers() async throws {
        let document = try await Self.document()
        let api = try #require(document.openAPIDocument(source: "pets"))
        #expect(api.version == "2.0")
        #expect(api.servers == ["https://petstore.example:8443/v2", "http://petstore.example:8443/v2"])
        #expect(api.operation(id: "findPets")?.servers == api.servers)
        #expect(api.operation(id: "addPet")?.servers == ["http://petstore.example:8443/v2"])
        #expect(api.operation(pointer: "/paths/~1pets/post")?.operationId == "addPet")
        #expect(document.diagnostics.all.isEmpty, "\(document.diagnostics.all)")
    }

    @Test("collectionFormat becomes style/explode: csv default, multi explodes, pipes; headers stay simple")
    func parameters() async throws {
        let document = try await Self.document()
        let find = try #require(document.openAPIDocument(source: "pets")?.operation(id: "findPets"))
        let status = try #require(find.parameter(named: "status", in: .query))
        #expect(status.serialization.style == .form && status.serialization.explode)
        #expect(status.schema?["items"]?["enum"] == ["available", "sold"])
        let tags = try #require(find.parameter(named: "tags", in: .query))
        #expect(tags.serialization.style == .pipeDelimited && !tags.serialization.explode)
        let ids = try #require(find.parameter(named: "x-ids", in: .header))
        #expect(ids.serialization.style == .simple && !ids.serialization.explode)

        let executor = InMemoryExecutor(routes: [.init("GET", "/v2/pets", .json([["name": "Tom"]]))])
        let result = try await engine(document, executor).run(workflowId: "find")
        #expect(result.succeeded, "\(result.outcome)")
        let sent = try #require(await executor.requests.first)
        #expect(sent.url == "https://petstore.example:8443/v2/pets?status=available&status=sold&tags=a%7Cb")
        #expect(sent.headers["X-Ids"] == "1,2")
        #expect(result.outputs["first"] == "Tom")
    }

    @Test("in: body is the request body under consumes; formData is a multipart body per the operation's consumes")
    func bodies() async throws {
        let document = try await Self.document()
        let api = try #require(document.openAPIDocument(source: "pets"))
        let add = try #require(api.operation(id: "addPet"))
        #expect(add.requestBody?.required == true)
        #expect(add.requestBody?.content.map(\.mediaType) == ["application/json"])
        #expect(add.requestBody?.content.first?.schema == ["$ref": "#/definitions/Pet"])
        #expect(api.resolveReference("#/definitions/Pet")?["required"] == ["id", "name"])

        let upload = try #require(api.operation(id: "uploadImage"))
        #expect(upload.parameters.map(\.name) == ["petId"])
        let form = try #require(upload.requestBody?.content.first)
        #expect(form.mediaType == "multipart/form-data")
        #expect(form.schema?["properties"]?["file"] == ["type": "string", "format": "binary"])
        #expect(form.schema?["required"] == ["file"])

        let executor = InMemoryExecutor(routes: [.init("POST", "/v2/pets/7/image", .status(200))])
        let result = try await engine(document, executor).run(workflowId: "upload")
        #expect(result.succeeded, "\(result.outcome)")
        let sent = try #require(await executor.requests.first)
        #expect(sent.headers["Content-Type"]?.hasPrefix("multipart/form-data; boundary=") == true)
        let text = String(decoding: sent.body ?? [], as: UTF8.self)
        #expect(text.contains("name=\"note\"\r\n\r\nhi\r\n"))
        #expect(text.contains("name=\"file\"\r\n\r\nbytes\r\n"))
    }

    @Test("securityDefinitions map to schemes: basic, apiKey, oauth2 application as client credentials")
    func security() async throws {
        let document = try await Self.document()
        let api = try #require(document.openAPIDocument(source: "pets"))
        #expect(api.securitySchemes["key"]?.kind == .apiKey(name: "api_key", location: .header))
        #expect(api.securitySchemes["login"]?.kind == .http(scheme: "basic"))
        #expect(api.securitySchemes["oauth"]?.kind == .oauth2(tokenURL: "https://auth.example/token", scopes: ["read:pets"]))
        // Only the application flow is client credentials; other flows have no token URL the engine uses.
        #expect(api.securitySchemes["browser"]?.kind == .oauth2(tokenURL: nil, scopes: []))
        #expect(api.security?.first?.schemes.map(\.name) == ["key"])
        #expect(api.operation(id: "addPet")?.security?.map { $0.schemes.map(\.name) } == [["oauth"], ["login"]])
        #expect(api.operation(id: "uploadImage")?.security?.isEmpty == true)

        let executor = InMemoryExecutor(routes: [
            .init("POST", "/v2/pets", .json(["id": 9, "name": "Rex"], status: 201)),
            .init("GET", "/v2/pets", .json([])),
        ])
        let added = try await engine(document, executor) {
            $0.credentials.bind(.basic(username: "ada", password: "pw"), toScheme: "login")
            $0.credentials.bind(.apiKey(value: "k-1"), toScheme: "key")
        }.run(workflowId: "add")
        #expect(added.succeeded, "\(added.outcome)")
        let post = try #require(await executor.requests.first)
        #expect(post.headers["Authorization"] == "Basic YWRhOnB3")
        #expect(post.headers["api_key"] == nil)
        #expect(jsonBody(post) == ["name": "Rex"])
        #expect(added.outputs["id"] == 9)
    }

    @Test("--mock answers a Swagger 2.0 operation from its examples, or from its schema via #/definitions")
    func mock() async throws {
        let document = try await Self.document()
        let mock = OpenAPIMockExecutor(document: document)
        let found = try await engine(document, mock).run(workflowId: "find")
        #expect(found.outputs["first"] == "Fido")
        let added = try await engine(document, mock).run(workflowId: "add")
        #expect(added.succeeded, "\(added.outcome)")
        #expect(added.outputs["id"] == 5)
        #expect(added.steps.first?.response?.status == 201)
    }

    @Test("without host the fetched description's host is used; without schemes its scheme")
    func hostFromFetchedDescription() async throws {
        let swagger = """
            swagger: '2.0'
            info: {title: a, version: '1'}
            basePath: /api
            paths:
              /ping:
                get: {operationId: ping, responses: {'200': {description: ok}}}
            """
        let fetcher = InMemoryExecutor(routes: [.init("GET", "/specs/swagger.yaml", .status(200, body: swagger))])
        let loaded = try await ArazzoLoader(fetcher: fetcher).load(text: """
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions: [{name: api, url: specs/swagger.yaml, type: openapi}]
            workflows:
              - workflowId: wf
                steps: [{stepId: s, operationId: ping}]
            """, baseURL: "http://docs.example:8080/arazzo.yaml")
        #expect(loaded.openAPIDocument(source: "api")?.servers == ["http://docs.example:8080/api"])

        // Loaded from a file, the server stays relative and the run asks for --server.
        let local = try await load("""
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions: [{name: api, url: swagger.yaml, type: openapi}]
            workflows:
              - workflowId: wf
                steps: [{stepId: s, operationId: ping}]
            """, sources: ["swagger.yaml": swagger])
        #expect(local.openAPIDocument(source: "api")?.servers == ["/api"])
        let executor = InMemoryExecutor(routes: [.init("GET", "/api/ping", .status(200))])
        let failed = try await engine(local, executor).run(workflowId: "wf")
        #expect(failure(failed)?.message.contains("give a server override for 'api'") == true)
        let overridden = try await engine(local, executor) { $0.serverOverrides["api"] = "http://127.0.0.1:9/api" }.run(workflowId: "wf")
        #expect(overridden.succeeded)
    }

    @Test("OpenAPI 3 fields inside a Swagger 2.0 description are located errors that say what to use")
    func openAPI3Fields() async {
        let diagnostics = await Self.loadFailure("""
            swagger: '2.0'
            info: {title: a, version: '1'}
            servers: [{url: 'https://x.example'}]
            paths:
              /pets:
                get:
                  operationId: findPets
                  parameters:
                    - {name: sid, in: cookie, type: string}
                    - {name: q, in: query, style: form, schema: {type: string}}
                  responses:
                    '200': {description: ok, content: {application/json: {}}}
            securityDefinitions:
              bearer: {type: http, scheme: bearer}
            """)
        let errors = diagnostics.filter { $0.severity == .error && $0.code?.hasPrefix("swagger") == true }
        let described = errors.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }
        #expect(described.contains("3:1 'servers' is an OpenAPI 3 field, not Swagger 2.0: use host, basePath and schemes"))
        #expect(described.contains("9:23 in: cookie is OpenAPI 3 only; Swagger 2.0 has path, query, header, body and formData"))
        #expect(described.contains("10:32 'style' is an OpenAPI 3 field, not Swagger 2.0: use collectionFormat (csv, ssv, tsv, pipes, multi)"))
        #expect(described.contains { $0.hasPrefix("10:45 parameter 'q' (in: query) has a schema") })
        #expect(described.contains { $0.hasPrefix("12:34 'content' is an OpenAPI 3 field") })
        #expect(described.contains("14:12 security definition 'bearer': type 'http' is OpenAPI 3 only; Swagger 2.0 types are basic, apiKey and oauth2"))
        #expect(diagnostics.contains { $0.code == "source-invalid" })
        #expect(errors.allSatisfy { $0.location?.file.hasSuffix("swagger.yaml") == true })
    }

    @Test("an unsupported swagger version, or Swagger 1.x, is a located error naming what is supported")
    func versions() async {
        let old = await Self.loadFailure("swagger: '1.2'\ninfo: {title: a, version: '1'}\npaths: {}\n")
        #expect(old.contains {
            $0.message == "Swagger 1.2 is not supported; swift-arazzo reads Swagger 2.0 and OpenAPI 3.0.x/3.1.x descriptions (write swagger: \"2.0\")"
                && $0.location?.line == 1
        })
        let legacy = await Self.loadFailure("swaggerVersion: '1.2'\napis: []\n")
        #expect(legacy.contains { $0.message.hasPrefix("Swagger 1.2 is not supported") })
        let both = await Self.loadFailure("openapi: 3.0.3\nswagger: '2.0'\ninfo: {title: a, version: '1'}\npaths: {}\n")
        #expect(both.contains { $0.message.hasPrefix("the description declares both 'openapi' and 'swagger'") && $0.location?.line == 2 })
    }

    @Test("collectionFormats the engine cannot send for a location fall back to csv with a located warning")
    func collectionFormatFallback() async throws {
        let document = try await load("""
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions: [{name: api, url: swagger.yaml, type: openapi}]
            workflows:
              - workflowId: wf
                steps: [{stepId: s, operationId: get, parameters: [{name: ids, in: path, value: [1, 2]}, {name: t, in: query, value: [a, b]}]}]
            """, sources: ["swagger.yaml": """
            swagger: '2.0'
            info: {title: a, version: '1'}
            host: x.example
            paths:
              /items/{ids}:
                get:
                  operationId: get
                  parameters:
                    - {name: ids, in: path, required: true, type: array, collectionFormat: pipes, items: {type: integer}}
                    - {name: t, in: query, type: array, collectionFormat: tsv, items: {type: string}}
                  responses: {'200': {description: ok}}
            """])
        let warnings = document.diagnostics.warnings.filter { $0.code == "swagger-collection-format" }
        #expect(warnings.map { $0.location?.line ?? 0 } == [9, 10])
        let executor = InMemoryExecutor(routes: [.init("GET", "/items/1,2", .status(200))])
        let result = try await engine(document, executor).run(workflowId: "wf")
        #expect(result.succeeded, "\(result.outcome)")
        #expect(await executor.requests.first?.url == "https://x.example/items/1,2?t=a,b")
    }
}
