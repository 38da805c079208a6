// The example of docs/testing.md, compiled and run with the suite: keep the two identical (a
// test below checks that the page still holds this file's code).
import Arazzo
import ArazzoTesting
import Testing

@Test("a workflow reads the pet it fetched and retries a 503 without sleeping")
func fetchPet() async throws {
    let files = try TemporaryDirectory()
    defer { files.cleanup() }
    try files.write([
        "arazzo.yaml": """
            arazzo: 1.0.1
            info: {title: Pets, version: 1.0.0}
            sourceDescriptions:
              - {name: pets, url: openapi.yaml, type: openapi}
            workflows:
              - workflowId: fetch
                inputs: {type: object, properties: {id: {type: integer}}}
                steps:
                  - stepId: get
                    operationId: getPet
                    parameters: [{name: id, in: path, value: $inputs.id}]
                    successCriteria: [{condition: $statusCode == 200}]
                    onFailure: [{name: again, type: retry, retryAfter: 2, retryLimit: 1}]
                    outputs: {name: $response.body#/name}
                outputs: {name: $steps.get.outputs.name}
            """,
        "openapi.yaml": """
            openapi: 3.0.3
            info: {title: Pets, version: 1.0.0}
            servers: [{url: 'https://pets.example'}]
            paths:
              /pets/{id}:
                get:
                  operationId: getPet
                  parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
                  responses: {'200': {description: A pet}}
            """,
    ])
    let executor = ScriptedExecutor(script: ExchangeScript(exchanges: [
        Exchange(request: ExpectedRequest(method: "GET", path: "/pets/7"),
                 response: ScriptedResponse(status: 503)),
        Exchange(request: ExpectedRequest(method: "GET", path: "/pets/7"),
                 response: ScriptedResponse(json: ["name": "Rex"])),
    ]))
    let document = try await ArazzoLoader().load(path: files.file("arazzo.yaml"))
    #expect(!document.validate().hasErrors)

    var options = RunOptions(executor: executor)
    let clock = ImmediateClock()
    options.clock = clock
    let result = try await WorkflowEngine(document: document, options: options)
        .run(workflowId: "fetch", inputs: ["id": 7])

    #expect(result.succeeded)
    #expect(result.outputs["name"] == "Rex")
    #expect(clock.slept == [.seconds(2)])
    #expect(executor.problems.isEmpty, "\(executor.problems)")
}
