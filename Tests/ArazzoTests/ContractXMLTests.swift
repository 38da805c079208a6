import Foundation
import Testing
import Arazzo

/// XML bodies held to their schema through the XML Object (decision CT7, docs/contracts.md).
@Suite("Contract checks: XML bodies")
struct ContractXMLTests {
    /// A description whose `GET /thing` answers `application/xml` with `schema`.
    static func description(_ schema: String, components: String = "{}", mediaType: String = "application/xml") -> String {
        ContractTests.description(
            responses: "{'200': {description: ok, content: {'\(mediaType)': {schema: \(schema)}}}}", components: components)
    }

    static func findings(_ description: String, xml: String, contentType: String = "application/xml") async throws -> [ContractFinding] {
        let reply = InMemoryExecutor.Reply.status(200, body: xml, headers: ["Content-Type": contentType])
        return try await ContractTests.run(description, reply: reply).steps.flatMap(\.contract)
    }

    static let petComponents = """
        {schemas: {Pet: {type: object, required: [id, name], additionalProperties: false, xml: {name: pet}, properties: {
          id: {type: integer, xml: {attribute: true}},
          name: {type: string},
          alive: {type: boolean},
          photoUrls: {type: array, xml: {wrapped: true}, items: {type: string, xml: {name: url}}},
          tags: {type: array, items: {type: string, xml: {name: tag}}}}}}}
        """

    @Test("attributes, wrapped and unwrapped arrays and typed scalars read back valid")
    func conforming() async throws {
        let description = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents)
        let xml = """
            <?xml version="1.0"?>
            <pet id="7"><name>Rex</name><alive>true</alive>
              <photoUrls><url>a.png</url><url>b.png</url></photoUrls>
              <tag>good</tag><tag>dog</tag></pet>
            """
        #expect(try await Self.findings(description, xml: xml).isEmpty)
        // `text/xml` and `+xml` types are read the same way.
        let textXML = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents, mediaType: "text/xml")
        #expect(try await Self.findings(textXML, xml: xml, contentType: "text/xml; charset=utf-8").isEmpty)
        let suffix = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents, mediaType: "application/*+xml")
        #expect(try await Self.findings(suffix, xml: xml, contentType: "application/vnd.pet+xml").isEmpty)
        #expect(try await Self.findings(suffix, xml: "<pet id=\"x\"><name>Rex</name></pet>", contentType: "application/vnd.pet+xml")
            .map(\.pointer) == ["/id"])
    }

    @Test("an attribute, a wrapped item and an unwrapped item of the wrong type: findings at their pointers")
    func wrongTypes() async throws {
        let description = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents
            .replacingOccurrences(of: "items: {type: string, xml: {name: url}}", with: "items: {type: integer, xml: {name: url}}"))
        let xml = "<pet id=\"seven\"><name>Rex</name><alive>maybe</alive><photoUrls><url>1</url><url>x</url></photoUrls></pet>"
        let found = try await Self.findings(description, xml: xml)
        #expect(Set(found.map(\.pointer)) == ["/id", "/alive", "/photoUrls/1"])
        #expect(found.allSatisfy { $0.check == .body && $0.keyword == "type" })
    }

    @Test("a repeated unwrapped element makes an array; a missing required element is a finding")
    func unwrappedAndRequired() async throws {
        let description = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents)
        let found = try await Self.findings(description, xml: "<pet id=\"1\"><tag>a</tag><tag>b</tag><tag>c</tag></pet>")
        #expect(found.map(\.keyword) == ["required"])
        #expect(found.first?.message.contains("name") == true)
    }

    @Test("an element the schema does not describe is reported by additionalProperties: false")
    func undescribed() async throws {
        let description = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents)
        let found = try await Self.findings(description, xml: "<pet id=\"1\"><name>Rex</name><colour>red</colour></pet>")
        #expect(found.map(\.keyword) == ["additionalProperties"])
    }

    @Test("the root element is matched against xml.name, else the $ref'd component name")
    func rootName() async throws {
        let named = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents)
        let found = try await Self.findings(named, xml: "<animal id=\"1\"><name>Rex</name></animal>")
        #expect(found.map(\.description) == ["contract-body: the root element is <animal>; the schema names it <pet>"])
        #expect(found.first?.expected == "pet")
        let byComponent = Self.description("{$ref: '#/components/schemas/Thing'}", components: "{schemas: {Thing: {type: object}}}")
        #expect(try await Self.findings(byComponent, xml: "<Thing/>").isEmpty)
        #expect(try await Self.findings(byComponent, xml: "<Other/>").map(\.keyword) == ["xml.name"])
        // An inline schema without xml.name names no root.
        let inline = Self.description("{type: object, properties: {n: {type: integer}}}")
        #expect(try await Self.findings(inline, xml: "<anything><n>3</n></anything>").isEmpty)
    }

    @Test("allOf branches give the properties; an array at the root reads its children")
    func allOfAndRootArray() async throws {
        let components = """
            {schemas: {Base: {type: object, properties: {id: {type: integer}}},
                       Item: {allOf: [{$ref: '#/components/schemas/Base'}, {type: object, properties: {size: {type: number}}}]}}}
            """
        let description = Self.description("{$ref: '#/components/schemas/Item'}", components: components)
        #expect(try await Self.findings(description, xml: "<Item><id>1</id><size>2.5</size></Item>").isEmpty)
        #expect(try await Self.findings(description, xml: "<Item><id>x</id><size>2.5</size></Item>").map(\.pointer) == ["/id"])
        let list = Self.description("{type: array, xml: {name: list}, items: {type: integer, xml: {name: n}}}")
        #expect(try await Self.findings(list, xml: "<list><n>1</n><n>2</n></list>").isEmpty)
        #expect(try await Self.findings(list, xml: "<list><n>1</n><n>two</n></list>").map(\.pointer) == ["/1"])
    }

    @Test("malformed XML is one contract-body finding with the line")
    func malformed() async throws {
        let description = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents)
        let found = try await Self.findings(description, xml: "<pet id=\"1\">\n<name>Rex</nam>\n</pet>")
        #expect(found.count == 1)
        #expect(found.first?.check == .body)
        #expect(found.first?.message.hasPrefix("the body is not valid XML: malformed XML at line 2") == true)
    }

    @Test("an entity declaration is refused and nothing is expanded")
    func entities() async throws {
        let description = Self.description("{type: object, properties: {name: {type: string, maxLength: 3}}}")
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <r><name>&b;</name></r>
            """
        let found = try await Self.findings(description, xml: xml)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("declares entities") == true)
        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <r><name>&x;</name></r>
            """
        #expect(try await Self.findings(description, xml: external).first?.message.contains("declares entities") == true)
    }

    @Test("a mock-sampled XML body (attributes, a wrapped array) reads back valid")
    func mockRoundTrip() async throws {
        let description = Self.description("{$ref: '#/components/schemas/Pet'}", components: Self.petComponents)
        let document = try await load(ContractTests.arazzo, sources: ["things.yaml": description])
        let result = try await engine(document, OpenAPIMockExecutor(document: document)) {
            $0.contract = ContractPolicy()
        }.run(workflowId: "get")
        let step = try #require(result.steps.first)
        #expect(step.contract.isEmpty, "\(step.contract)")
        #expect(step.response?.headers["Content-Type"]?.contains("xml") == true)
        let body = String(decoding: step.response?.body ?? [], as: UTF8.self)
        #expect(body.contains("<pet id="), "\(body)")
        #expect(body.contains("<photoUrls><url>"), "\(body)")
    }

    @Test("an XML request body is read the same way")
    func requestBody() async throws {
        let description = """
            openapi: 3.0.3
            info: {title: Things, version: 1.0.0}
            servers: [{url: 'https://things.example'}]
            paths:
              /thing:
                post:
                  operationId: addThing
                  requestBody:
                    required: true
                    content:
                      application/xml:
                        schema: {type: object, xml: {name: thing}, properties: {n: {type: integer, xml: {attribute: true}}}}
                  responses:
                    '201': {description: created}
            """
        let arazzo = """
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions:
              - {name: things, url: ./things.yaml, type: openapi}
            workflows:
              - workflowId: add
                inputs: {type: object}
                steps:
                  - stepId: add
                    operationId: addThing
                    requestBody:
                      contentType: application/xml
                      payload: $inputs.body
            """
        let document = try await load(arazzo, sources: ["things.yaml": description])
        func found(_ xml: String) async throws -> [ContractFinding] {
            let executor = InMemoryExecutor(routes: [InMemoryExecutor.Route("POST", "/thing", .status(201))])
            return try await engine(document, executor) { $0.contract = ContractPolicy() }
                .run(workflowId: "add", inputs: ["body": .string(xml)]).steps.flatMap(\.contract)
        }
        #expect(try await found("<thing n=\"3\"/>").isEmpty)
        let wrong = try await found("<thing n=\"three\"/>")
        #expect(wrong.map(\.pointer) == ["/n"])
        #expect(wrong.first?.check == .requestBody)
    }
}
