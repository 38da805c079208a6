import Foundation
import ArazzoTestSupport
import Testing
import Arazzo
import ArazzoOpenAPI

/// Golden diagnostics: the OAI examples' defects that need the OpenAPI descriptions (interpreter
/// notes §6), loader errors, and expression locations inside quoted and block scalars.
@Suite("Validation against loaded sources")
struct ValidationTests {
    static let examples = Repository.root + "/Fixtures/oai-examples/"

    /// `line:col: severity: message` with the file name cut to its last component.
    static func golden(_ diagnostics: Diagnostics) -> [String] {
        diagnostics.map { d in
            let place = d.location.map { "\(($0.file as NSString).lastPathComponent):\($0.line):\($0.column): " } ?? ""
            return "\(place)\(d.severity.rawValue): \(d.message)"
        }
    }

    @Test("FAPI-PAR: `PAR` vs `Par` is an error with a did-you-mean; OAS-ignored header parameters are not required")
    func fapi() async throws {
        let document = try await ArazzoLoader().load(path: Self.examples + "FAPI-PAR.arazzo.yaml")
        #expect(Self.golden(document.validate()) == [
            "FAPI-PAR.arazzo.yaml:102:22: error: no operation 'PAR' in source description 'auth-api'; operationIds are case-sensitive: did you mean 'Par'?",
        ])
    }

    @Test("pet-coupons: undeclared parameters warn with a hint, a missing path parameter and $statusCode on workflow steps are errors")
    func petCoupons() async throws {
        let document = try await ArazzoLoader().load(path: Self.examples + "pet-coupons.arazzo.yaml")
        let diagnostics = document.validate()
        #expect(Self.golden(diagnostics) == [
            "pet-coupons.arazzo.yaml:26:19: warning: operation findPetsByTags declares no query parameter 'pet_tags'; it is sent with the default style",
            "pet-coupons.arazzo.yaml:38:22: error: operation getPetCoupons needs path parameter 'petId', which this step does not give",
            "pet-coupons.arazzo.yaml:40:19: warning: operation getPetCoupons declares no path parameter 'pet_id'; it is sent with the default style",
            "pet-coupons.arazzo.yaml:56:24: error: `$statusCode` is undefined in a `workflowId` step: it has no HTTP request or response (A13); read the called workflow's results with `$outputs.<name>`",
            "pet-coupons.arazzo.yaml:91:24: error: `$statusCode` is undefined in a `workflowId` step: it has no HTTP request or response (A13); read the called workflow's results with `$outputs.<name>`",
        ])
        #expect(diagnostics.all[2].notes == ["did you mean 'petId' (in path)?"])
    }

    @Test("bnpl (remote source mapped to the local copy): quoted object/array placeholders, parameter mismatch and step-output defects at their exact columns")
    func bnpl() async throws {
        let loader = ArazzoLoader(sourceOverrides: ["BnplApi": Self.examples + "bnpl-openapi.yaml"])
        let document = try await loader.load(path: Self.examples + "bnpl-arazzo.yaml")
        #expect(Self.golden(document.validate()) == [
            "bnpl-arazzo.yaml:105:23: warning: \"{$inputs.customer}\": input `customer` is an object (its inputs schema says so), and an object between quotes is not JSON; it is embedded as JSON, without the quotes",
            "bnpl-arazzo.yaml:106:23: warning: \"{$inputs.products}\": input `products` is an array (its inputs schema says so), and an array between quotes is not JSON; it is embedded as JSON, without the quotes",
            "bnpl-arazzo.yaml:227:18: warning: operation getAuthorization requires query parameter 'AuthorizationToken', which this step does not give",
            "bnpl-arazzo.yaml:229:15: warning: operation getAuthorization declares no query parameter 'redirectAuthToken'; it is sent with the default style",
            "bnpl-arazzo.yaml:231:23: warning: step `authenticateCustomerAndAuthorizeLoan` reads its own output before it is set (outputs are computed after the success criteria)",
            "bnpl-arazzo.yaml:231:68: error: step `authenticateCustomerAndAuthorizeLoan` declares no output `redirectAuthToken` (declared: `redirectUrl`)",
            "bnpl-arazzo.yaml:242:55: error: step `initiateBnplTransaction` declares no output `loanTransactionId` (declared: `redirectAuthToken`, `loanTransactionResourceUrl`)",
            "bnpl-arazzo.yaml:253:55: error: step `initiateBnplTransaction` declares no output `loanTransactionId` (declared: `redirectAuthToken`, `loanTransactionResourceUrl`)",
            "bnpl-arazzo.yaml:260:63: error: `.outputs.` is missing: step outputs are read as `$steps.retrieveFinalizedPaymentPlan.outputs.finalizedPaymentPlan`",
        ])
    }

    @Test("a missing source is a located error at its url value, with the resolved path as a note")
    func missingSource() async throws {
        do {
            _ = try await ArazzoLoader().loadRejectingErrors(path: Self.examples + "ExtendedParametersExample.arazzo.yaml")
            Issue.record("expected a LoadFailure")
        } catch {
            #expect(Self.golden(error.diagnostics) == [
                "ExtendedParametersExample.arazzo.yaml:8:10: error: cannot load source description 'animals' from ./animals.yaml: no such file",
            ])
            #expect(error.diagnostics.all.first?.notes == ["resolved to \(Self.examples)animals.yaml"])
            #expect(error.sourceTexts.keys.contains { $0.hasSuffix("ExtendedParametersExample.arazzo.yaml") })
        }
    }

    @Test("an http source without a fetcher, an unparsable source and a type mismatch are located errors")
    func sourceErrors() async throws {
        do {
            _ = try await load("""
                arazzo: 1.0.1
                info: {title: t, version: 1.0.0}
                sourceDescriptions:
                  - name: remote
                    url: https://example.com/openapi.yaml
                  - name: broken
                    url: broken.yaml
                    type: openapi
                  - name: wrong
                    url: other.yaml
                    type: arazzo
                workflows:
                  - workflowId: wf
                    steps: [{stepId: s, operationId: $sourceDescriptions.remote.x}]
                """, sources: ["broken.yaml": "openapi: [3.0", "other.yaml": petsOpenAPI])
            Issue.record("expected a LoadFailure")
        } catch let error as LoadFailure {
            #expect(Self.golden(error.diagnostics) == [
                "arazzo.yaml:5:10: error: cannot load source description 'remote' from https://example.com/openapi.yaml: http(s) sources need a fetcher (ArazzoLoader(fetcher:)) or a local copy",
                "arazzo.yaml:7:10: error: cannot load source description 'broken' from broken.yaml: it is not valid YAML or JSON",
                "arazzo.yaml:10:10: error: source description 'wrong' is declared as arazzo, but other.yaml is an OpenAPI description",
            ])
        }
    }

    @Test("http(s) sources are fetched through the loader's executor")
    func fetchedSource() async throws {
        let fetcher = InMemoryExecutor(routes: [.init("GET", "/specs/pets.yaml", .status(200, body: petsOpenAPI))])
        let document = try await ArazzoLoader(fetcher: fetcher).load(text: """
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions:
              - {name: pets, url: pets.yaml, type: openapi}
            workflows:
              - workflowId: wf
                steps: [{stepId: s, operationId: getStatus}]
            """, baseURL: "https://specs.example/specs/arazzo.yaml")
        #expect(document.openAPIDocument(source: "pets")?.url == "https://specs.example/specs/pets.yaml")
        #expect(await fetcher.requests.map(\.url) == ["https://specs.example/specs/pets.yaml"])
        #expect(document.validate().errors.isEmpty)
    }

    @Test("expression problems are located at the character inside plain, quoted and block scalars")
    func expressionLocations() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getStatus
                    successCriteria:
                      - condition: "$statusCode == 200 && $steps.s.outputs.nope == 1"
                      - condition: '$inputs.a == ''x'' && $steps.s.outputs.q == 1'
                      - condition: |
                          $statusCode == 200 &&
                            $steps.t.outputs.a == 1
                    outputs: {a: $response.body#/a}
                outputs:
                  b: $steps.s.outputs.b
            """)
        #expect(Self.golden(document.validate()) == [
            "arazzo.yaml:11:54: warning: step `s` reads its own output before it is set (outputs are computed after the success criteria)",
            "arazzo.yaml:11:64: error: step `s` declares no output `nope` (declared: `a`)",
            "arazzo.yaml:12:54: warning: step `s` reads its own output before it is set (outputs are computed after the success criteria)",
            "arazzo.yaml:12:64: error: step `s` declares no output `q` (declared: `a`)",
            "arazzo.yaml:15:24: error: unknown step `t`",
            "arazzo.yaml:18:27: error: step `s` declares no output `b` (declared: `a`)",
        ])
    }

    @Test("operations: a near-miss operationId is suggested, an operationPath to a missing path names close ones")
    func operations() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getStats}
                  - {stepId: b, operationPath: '{$sourceDescriptions.pets.url}#/paths/~1pet~1{petId}/get'}
                  - {stepId: c, operationPath: '{$sourceDescriptions.pets.url}#/paths/~1status/get'}
            """)
        let diagnostics = document.validate()
        let lines = Self.golden(diagnostics)
        #expect(lines.contains("arazzo.yaml:8:34: error: no operation 'getStats' in source description 'pets'"))
        #expect(diagnostics.all.first { $0.message.hasPrefix("no operation 'getStats'") }?.notes == ["did you mean 'getStatus'?"])
        #expect(lines.contains("arazzo.yaml:9:36: error: source description 'pets' has no path '/pet/{petId}'"))
        #expect(lines.contains("arazzo.yaml:10:36: warning: the operation has operationId 'getStatus'; the spec recommends operationId over operationPath"))
    }
}

@Suite("Expression locations in unusual scalars")
struct ScalarLocationTests {
    @Test("folded and multi-line plain scalars with blank lines are located without reading past a line")
    func foldedScalars() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getStatus
                    successCriteria:
                      - condition: >
                          $statusCode == 200

                          && $steps.x.outputs.a == 1
                      - condition: $statusCode == 200
                          &&   $steps.y.outputs.a == 1
            """)
        #expect(ValidationTests.golden(document.validate()) == [
            "arazzo.yaml:14:25: error: unknown step `x`",
            "arazzo.yaml:16:27: error: unknown step `y`",
        ])
    }
}
