import ArazzoTestSupport
import ArazzoDiagnostics
import ArazzoJSON
import ArazzoModel
import ArazzoYAML
import Testing
import OrderedCollections

/// The AST built from `Fixtures/valid/all-fields.yaml`, which uses every field of every object.
@Suite("Arazzo model (AST)")
struct ModelTests {
    static let path = "Fixtures/valid/all-fields.yaml"

    func document() throws -> ArazzoSpecification {
        let result = ArazzoDocumentReader.read(text: try Repository.text(Self.path), file: Self.path)
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.all)")
        return try #require(result.document)
    }

    func at(_ line: Int, _ column: Int) -> ArazzoDiagnostics.SourceLocation {
        ArazzoDiagnostics.SourceLocation(file: Self.path, line: line, column: column)
    }

    @Test("root, info and source descriptions keep every field, extension and location")
    func rootInfoSources() throws {
        let doc = try document()
        #expect(doc.arazzo.text == "1.0.1")
        #expect(doc.arazzo.featureSet == .v1_0)
        #expect(doc.info.title == "All fields")
        #expect(doc.info.summary == "Exercises every object and field of Arazzo 1.0.1")
        #expect(doc.info.description == "Used by the model tests to check the AST.")
        #expect(doc.info.version == "1.0", "an unquoted 1.0 keeps its text (notes §2.2)")
        #expect(doc.info.extensions["x-info"] == .bool(true))
        #expect(doc.info.locations["title"] == at(4, 10))
        #expect(doc.sourceDescriptions.map(\.name) == ["petStore", "flows"])
        #expect(doc.sourceDescriptions.map(\.type) == [.openapi, .arazzo])
        #expect(doc.sourceDescriptions[0].url == "./petstore.yaml")
        #expect(doc.sourceDescriptions[0].extensions["x-source"] == .int(1))
        #expect(doc.sourceDescriptions[0].location == at(10, 5))
        #expect(doc.extensions["x-root"] == .object(["nested": [true]]))
        #expect(doc.extensions.locations["x-root"] == at(147, 9))
        #expect(doc.components?.extensions["x-components"] == .string("c"))
    }

    @Test("workflow fields, including inputs as a located node and dependsOn references")
    func workflow() throws {
        let doc = try document()
        let w = try #require(doc.workflow("buyPet"))
        #expect(w.summary == "Buy a pet")
        #expect(w.description == "Finds a pet and orders it.")
        #expect(w.inputs?.value == .object(["$ref": "#/components/inputs/buyer"]))
        #expect(w.inputs?.node["$ref"]?.location == at(22, 13))
        #expect(w.dependsOn.map(\.text) == ["login", "$sourceDescriptions.flows.setup"])
        #expect(w.dependsOn[1].sourceDescriptionReference?.source == "flows")
        #expect(w.dependsOn[1].sourceDescriptionReference?.name == "setup")
        #expect(w.outputs["orderId"]?.text == "$steps.orderPet.outputs.id")
        #expect(w.extensions["x-workflow"] == .array([1, 2]))
        #expect(w.steps.map(\.stepId) == ["findPet", "orderPet", "waitList"])
        #expect(w.stepIndex("waitList") == 2)
    }

    @Test("parameters and actions are explicit unions of object and Reusable Object")
    func unions() throws {
        let doc = try document()
        let w = try #require(doc.workflow("buyPet"))
        #expect(w.parameters.count == 2)
        #expect(w.parameters[0].object?.name == "X-Trace")
        #expect(w.parameters[0].object?.in == .header)
        let reusable = try #require(w.parameters[1].reusable)
        #expect(reusable.reference.text == "$components.parameters.page")
        #expect(reusable.component?.kind == .parameters)
        #expect(reusable.component?.key == "page")
        // A22: the Reusable `value` may be any type and overrides the component's value.
        let resolved = try #require(doc.resolve(w.parameters[1]))
        #expect(resolved.name == "page")
        #expect(resolved.value.value == .int(2))
        #expect(doc.components?.parameters["page"]?.value.value == .int(1))
        #expect(doc.resolve(w.successActions[0])?.name == "finish")
        #expect(doc.resolve(w.failureActions[0])?.retryLimit == 0)
        #expect(doc.resolve(w.failureActions[0])?.retryAfter == 0)
    }

    @Test("step targets are an enum of operationId, operationPath and workflowId")
    func stepTargets() throws {
        let w = try #require(try document().workflow("buyPet"))
        guard case .operationId(let id) = w.steps[0].target else {
            Issue.record("expected operationId")
            return
        }
        #expect(id.sourceDescriptionReference?.source == "petStore")
        #expect(id.sourceDescriptionReference?.name == "findPets")
        #expect(w.steps[1].target.fieldName == "operationPath")
        #expect(w.steps[1].target.expression.text == "{$sourceDescriptions.petStore.url}#/paths/~1store~1order/post")
        #expect(w.steps[2].target.isWorkflow)
        #expect(w.steps[2].parameters[0].object?.in == nil, "parameters of workflow steps need no `in`")
        #expect(w.steps[0].extensions["x-step"] == .string("step"))
    }

    @Test("A10: criterion type is a plain kind or the Criterion Expression Type object")
    func criteria() throws {
        let step = try #require(try document().workflow("buyPet")?.steps[0])
        let kinds = step.successCriteria.map(\.kind)
        #expect(kinds == [.simple, .jsonpath, .jsonpath, .regex, .simple])
        #expect(step.successCriteria[0].type == nil)
        #expect(step.successCriteria[0].context == nil)
        #expect(step.successCriteria[1].type == .kind(.jsonpath))
        guard case .expressionType(let t)? = step.successCriteria[2].type else {
            Issue.record("expected the object form")
            return
        }
        #expect(t.type == .jsonpath)
        #expect(t.version == "draft-goessner-dispatch-jsonpath-00")
        #expect(t.extensions["x-type"] == .string("jsonpath"))
        #expect(step.successCriteria[3].context?.text == "$response.header.Content-Type")
        #expect(step.successCriteria[4].extensions["x-criterion"] == .string("yes"), "yes stays a string (YAML 1.2)")
        let action = try #require(step.onSuccess[0].object)
        guard case .expressionType(let x)? = action.criteria[0].type else {
            Issue.record("expected the object form")
            return
        }
        #expect(x.type == .xpath && x.version == "xpath-10")
    }

    @Test("success and failure actions keep type, target, retry fields and criteria")
    func actions() throws {
        let doc = try document()
        let step = try #require(doc.workflow("buyPet")?.steps[0])
        let goto = try #require(step.onSuccess[0].object)
        #expect(goto.type == .goto)
        #expect(goto.target == .stepId(ExpressionString("waitList", at: at(67, 21))))
        let retry = try #require(step.onFailure[0].object)
        #expect(retry.type == .retry)
        #expect(retry.retryAfter == 1.5)
        #expect(retry.retryLimit == 3)
        #expect(retry.target == nil)
        #expect(retry.criteria.map(\.condition.text) == ["$statusCode == 503"])
        let relogin = try #require(step.onFailure[1].object)
        #expect(relogin.target?.expression.text == "login")
        #expect(step.onFailure[2].object?.type == .end)
        #expect(doc.workflow("login")?.steps[0].onSuccess[0].object?.target?.expression.text == "buyPet")
    }

    @Test("request body: payload as located node and JSON, replacements with Any values")
    func requestBody() throws {
        let step = try #require(try document().workflow("buyPet")?.steps[1])
        let body = try #require(step.requestBody)
        #expect(body.contentType == "application/json")
        #expect(body.payload?.value["quantity"] == .int(1))
        #expect(body.payload?.node["note"]?.location == at(97, 19))
        #expect(body.replacements.map(\.target) == ["/quantity", "/petId"])
        #expect(body.replacements[0].value.value == .int(10), "a literal replacement value (schema says string only)")
        #expect(body.replacements[1].value.string == "$steps.findPet.outputs.petId")
        #expect(body.replacements[1].extensions["x-replacement"] == .string("r"))
        #expect(body.extensions["x-body"] == .string("b"))
    }

    @Test("outputs keep order, dotted names and locations")
    func outputs() throws {
        let step = try #require(try document().workflow("buyPet")?.steps[0])
        #expect(Array(step.outputs.keys) == ["petId", "all.pets"])
        #expect(step.outputs["petId"]?.location == at(87, 18))
    }

    @Test("components hold inputs, parameters and both action kinds")
    func components() throws {
        let components = try #require(try document().components)
        #expect(Array(components.inputs.keys) == ["buyer"])
        #expect(components.inputs["buyer"]?.value["type"] == .string("object"))
        #expect(components.parameters["page"]?.extensions["x-parameter"] == .string("p"))
        #expect(components.successActions["finish"]?.type == .end)
        #expect(components.failureActions["retryLater"]?.type == .retry)
    }

    @Test("expression sites list every expression-bearing field with its scope")
    func expressionSites() throws {
        let sites = try document().expressionSites
        let contexts = sites.filter { $0.role == .criterionContext }
        #expect(contexts.count == 4)
        #expect(sites.contains { $0.role == .stepOutput(name: "all.pets") && $0.stepId == "findPet" && $0.text == "$response.body" })
        #expect(sites.contains { $0.role == .workflowOutput(name: "orderId") && $0.stepId == nil })
        #expect(sites.contains { $0.role == .payload && $0.text == "Order {$inputs.note}" && $0.location == at(97, 19) })
        #expect(sites.contains { $0.role == .parameterValue(name: "petType") && $0.stepCallsWorkflow })
        #expect(sites.contains { $0.role == .componentReference && $0.text == "$components.failureActions.retryLater" })
        #expect(sites.contains { $0.role == .criterionCondition(.xpath) && $0.text == "//pet" })
        #expect(sites.contains { $0.role == .operationPath })
        let references: [String] = sites.filter { $0.role == .workflowReference }.map(\.text).sorted()
        let expected: [String] = [
            "$sourceDescriptions.flows.joinWaitList", "$sourceDescriptions.flows.setup", "buyPet", "login", "login",
        ]
        #expect(references == expected)
    }

    @Test("versions: 1.0.0, 1.0.x and -suffix are the 1.0 feature set; 1.1 is recognised")
    func versions() {
        #expect(ArazzoVersion("1.0.0")?.featureSet == .v1_0)
        #expect(ArazzoVersion("1.0.17")?.featureSet == .v1_0)
        let pre = ArazzoVersion("1.0.1-rc.1")
        #expect(pre?.featureSet == .v1_0)
        #expect(pre?.suffix == "rc.1")
        #expect(ArazzoVersion("1.1.0")?.featureSet == .v1_1)
        #expect(ArazzoVersion("2.0.0")?.featureSet == nil)
        #expect(ArazzoVersion("1.0") == nil)
        #expect(ArazzoVersion("1.0.") == nil)
        #expect(ArazzoVersion("1.0.1-") == nil)
        #expect(ArazzoVersion("v1.0.1") == nil)
    }

    @Test("A25: unknown fields are warnings; A22: extras on a Reusable Object are warnings")
    func unknownFields() {
        let doc = """
            arazzo: 1.0.1
            info: {title: t, version: v}
            sourceDescriptions: [{name: a, url: u}]
            components: {parameters: {p: {name: p, in: query, value: 1}}}
            workflows:
              - workflowId: w
                steps:
                  - stepId: s
                    operationId: op
                    parameters: [{reference: $components.parameters.p, extra: 1}]
                    x-ok: 1
                    bogus: 2
            """
        let result = ArazzoDocumentReader.read(text: doc, file: "d.yaml")
        #expect(result.diagnostics.all.map(\.code) == ["reusable-extra-field", "unknown-field"])
        #expect(result.diagnostics.all.map(\.severity) == [.warning, .warning])
        #expect(result.document != nil)
    }

    @Test("A5: a simple criterion with explicit type needs no context; regex does")
    func a5() {
        func codes(_ criterion: String) -> [String?] {
            let doc = """
                arazzo: 1.0.1
                info: {title: t, version: v}
                sourceDescriptions: [{name: a, url: u}]
                workflows: [{workflowId: w, steps: [{stepId: s, operationId: op, successCriteria: [\(criterion)]}]}]
                """
            return ArazzoDocumentReader.read(text: doc, file: "d.yaml").diagnostics.all.map(\.code)
        }
        #expect(codes("{condition: $statusCode == 200, type: simple}") == [])
        #expect(codes("{condition: '^2', type: regex}") == ["missing-context"])
        #expect(codes("{condition: '^2', type: regex, context: $statusCode}") == [])
    }

    @Test("a YAML syntax error is the only diagnostic and there is no root")
    func yamlError() {
        let result = ArazzoDocumentReader.read(text: "a: [1, 2\n", file: "bad.yaml")
        #expect(result.root == nil)
        #expect(result.document == nil)
        #expect(result.diagnostics.all.count == 1)
        #expect(result.diagnostics.all.first?.code == "yaml-syntax")
    }

    @Test("decode alone is lenient: the AST exists even with structural errors")
    func lenientDecode() throws {
        let root = try YAMLParser.parse(
            "arazzo: 1.0.1\ninfo: {title: t}\nsourceDescriptions: []\nworkflows: [{workflowId: w, steps: [{stepId: s}]}]\n",
            file: "d.yaml")
        let (doc, diagnostics) = ArazzoDocumentReader.decode(root, file: "d.yaml")
        #expect(doc?.workflows.first?.steps.first?.stepId == "s")
        #expect(diagnostics.all.map(\.code) == ["missing-field", "empty-list", "step-target"])
    }

    @Test("every rule code is distinct and kebab-case")
    func ruleCodes() {
        let codes = ArazzoRule.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "-" } })
    }

    @Test("hostile input: a 3000-workflow dependsOn chain is checked without recursion")
    func longChain() {
        var text = "arazzo: 1.0.1\ninfo: {title: t, version: v}\nsourceDescriptions: [{name: a, url: u}]\nworkflows:\n"
        let count = 3000
        for i in 0..<count {
            let dep = i + 1 < count ? "[w\(i + 1)]" : "[w0]"
            text += "  - {workflowId: w\(i), dependsOn: \(dep), steps: [{stepId: s, operationId: op}]}\n"
        }
        let result = ArazzoDocumentReader.read(text: text, file: "chain.yaml")
        #expect(result.diagnostics.all.map(\.code) == ["depends-on-cycle"])
        let message = result.diagnostics.all.first?.message ?? ""
        #expect(message.hasPrefix("dependsOn cycle: w0 → w1 → w2 → "))
        #expect(message.contains("→ w2999 → w0;"))
    }
}
