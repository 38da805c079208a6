import ArazzoTestSupport
import ArazzoDiagnostics
import ArazzoModel
import Testing
import ArazzoJSON
import OrderedCollections

/// Arazzo 1.1 documents: read into the one model, gated by the declared version (decisions V1-V3).
@Suite("Arazzo 1.1 model")
struct Arazzo11ModelTests {
    static let valid11 = Repository.files(in: "Fixtures/valid/1.1", extensions: ["yaml", "yml", "json"])

    @Test("the 1.1 valid fixtures read with no errors and no warnings", arguments: valid11)
    func validFixture(_ name: String) throws {
        let (result, rendered) = try renderedDiagnostics(of: "Fixtures/valid/1.1/\(name)")
        #expect(result.document?.arazzo.featureSet == .v1_1)
        #expect(!result.diagnostics.hasErrors, "unexpected errors:\n\(rendered)")
        let codes = Set(result.diagnostics.compactMap(\.code))
        #expect(codes.isEmpty, "unexpected diagnostics:\n\(rendered)")
        if name == "plain-http.yaml" { #expect(rendered == "") }
    }

    @Test("every 1.1 field of all-fields.yaml is in the model")
    func allFields() throws {
        let (result, _) = try renderedDiagnostics(of: "Fixtures/valid/1.1/all-fields.yaml")
        let document = try #require(result.document)
        #expect(document.selfURI == "all-fields.arazzo.yaml")
        #expect(document.sourceDescriptions[1].type == .asyncapi)
        let workflow = document.workflows[0]
        let place = workflow.steps[0]
        #expect(place.target.fieldName == "channelPath")
        #expect(place.action == .send)
        #expect(place.timeout == 6000)
        guard case .object(let region) = place.parameters[0] else { Issue.record("not an object"); return }
        #expect(region.in == .channel)
        let replacement = try #require(place.requestBody?.replacements.first)
        #expect(replacement.targetSelectorType == .kind(.jsonpath))
        #expect(replacement.selector?.type == .kind(.jsonpointer))
        let confirm = workflow.steps[1]
        #expect(confirm.action == .receive)
        #expect(confirm.correlationId?.value == .string("$inputs.order#/requestId"))
        #expect(confirm.dependsOn.map(\.text) == ["placeOrder"])
        #expect(confirm.outputSelectors["orderId"]?.selector.text == "$.orderId")
        guard case .expressionType(let jsonpath)? = confirm.outputSelectors["orderId"]?.type else {
            Issue.record("not an Expression Type Object"); return
        }
        // 1.1: an omitted version is the type's default.
        #expect(jsonpath.version == "rfc9535")
        let search = workflow.steps[2]
        guard case .object(let query) = search.parameters[0], case .object(let selected) = search.parameters[1] else {
            Issue.record("not objects"); return
        }
        #expect(query.in == .querystring)
        #expect(selected.selector?.selector.text == "/0")
        guard case .object(let again) = search.onFailure[0] else { Issue.record("not an object"); return }
        #expect(again.parameters.count == 1)
        #expect(workflow.outputSelectors["first"]?.type == .kind(.xpath))
        #expect(workflow.outputs.keys.elementsEqual(["orderId"]))
    }


    @Test("versions: 1.0.x and 1.1.x load; a later patch warns; 2.x does not load")
    func versions() {
        for (text, set, known) in [("1.0.1", ArazzoVersion.FeatureSet.v1_0, true), ("1.1.0", .v1_1, true), ("1.1.1", .v1_1, false), ("1.0.2", .v1_0, false)] {
            let version = ArazzoVersion(text)
            #expect(version?.featureSet == set)
            #expect(version?.isKnownRelease == known)
        }
        #expect(ArazzoVersion("2.0.0")?.featureSet == nil)
        #expect(ArazzoVersion.FeatureSet.v1_1.suggestedVersion == "1.1.0")
    }

    @Test("Expression Type versions and defaults depend on the feature set")
    func expressionTypeVersions() {
        typealias Kind = CriterionExpressionType.ExpressionKind
        #expect(Kind.jsonpath.allowedVersions(in: .v1_0) == ["draft-goessner-dispatch-jsonpath-00"])
        #expect(Kind.jsonpath.allowedVersions(in: .v1_1).contains("rfc9535"))
        #expect(Kind.xpath.allowedVersions(in: .v1_1).contains("xpath-31"))
        #expect(Kind.jsonpointer.allowedVersions(in: .v1_0).isEmpty)
        #expect(Kind.jsonpointer.defaultVersion == "rfc6901")
    }

    @Test("a 1.1 field in a 1.0 document carries the fix-it that declares 1.1.0, quoted as written")
    func declareFixIt() throws {
        let text = """
            arazzo: '1.0.1'
            info: {title: T, version: v}
            sourceDescriptions: [{name: api, url: ./openapi.yaml}]
            workflows:
              - workflowId: w
                steps:
                  - stepId: s
                    operationId: op
                    timeout: 10
            """
        let result = ArazzoDocumentReader.read(text: text, file: "t.yaml")
        let warning = try #require(result.diagnostics.first { $0.code == "unknown-field" })
        let fix = try #require(warning.fixIts.first)
        #expect(fix.edits.first?.replacement == "\"1.1.0\"")
        #expect(fix.edits.first?.range.start.line == 1)
    }
}

/// The 1.1 fields through the public initialisers (documents built in code).
@Suite("Arazzo 1.1 model built in code")
struct Arazzo11InitialiserTests {
    @Test("the public initialisers take every 1.1 field")
    func initialisers() {
        let selector = Selector(
            context: ExpressionString("$response.body"), selector: ExpressionString("$.id"), type: .kind(.jsonpath))
        let parameter = Parameter(name: "q", in: .querystring, value: LocatedValue(.string("a=1")))
        let step = Step(
            stepId: "s", target: .channelPath(ExpressionString("{$sourceDescriptions.events.url}#/channels/a")),
            parameters: [.object(parameter)], timeout: 100, dependsOn: [ExpressionString("t")], action: .receive,
            correlationId: LocatedValue(.string("c")), outputSelectors: ["id": selector])
        let action = FailureAction(
            name: "again", type: .retry, target: .workflowId(ExpressionString("w")),
            parameters: [.object(Parameter(name: "x", in: nil, value: LocatedValue(.int(1))))])
        let replacement = PayloadReplacement(
            target: "/id", value: LocatedValue(.null), targetSelectorType: .kind(.jsonpointer), selector: selector)
        let workflow = Workflow(workflowId: "w", steps: [step], outputSelectors: ["id": selector])
        let document = ArazzoSpecification(
            arazzo: ArazzoVersion("1.1.0"), info: Info(title: "T", version: "1"),
            sourceDescriptions: [SourceDescription(name: "events", url: "./a.yaml", type: .asyncapi)],
            workflows: [workflow], selfURI: "https://example.com/a.yaml")
        #expect(document.selfURI == "https://example.com/a.yaml")
        #expect(document.workflows[0].steps[0].timeout == 100)
        #expect(document.workflows[0].steps[0].target.fieldName == "channelPath")
        #expect(action.parameters.count == 1)
        #expect(replacement.selector == selector)
        #expect(workflow.outputSelectors["id"]?.type.kind == .jsonpath)
    }
}
