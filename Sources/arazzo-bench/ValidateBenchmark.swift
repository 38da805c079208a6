#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoYAML
import Foundation

/// Load and validate an Arazzo document backed by a large OpenAPI description: the time a user
/// waits for `arazzo-run validate`. The baseline, measured in the same run, is parsing the
/// description into our located tree (the least any validator over it must do).
///
///     arazzo-bench validate [--operations N] [--steps N] [--iterations N] [--dir DIR]
///
/// The description and workflow are generated (deterministic; N operations with parameters,
/// request bodies and response schemas; about 3 MB at the default 2,700) into DIR, or a temporary
/// directory, so two builds can be compared on the same files.
enum ValidateBenchmark {
    static func run(arguments: [String]) async throws {
        let operations = option("--operations", in: arguments) ?? 2_700
        let steps = option("--steps", in: arguments) ?? 200
        let iterations = option("--iterations", in: arguments) ?? 9
        let dir = stringOption("--dir", in: arguments)
            ?? (NSTemporaryDirectory() + "arazzo-bench-validate-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let openAPIPath = dir + "/openapi.yaml"
        let arazzoPath = dir + "/arazzo.yaml"
        if !FileManager.default.fileExists(atPath: openAPIPath) {
            try openAPI(operations: operations).write(toFile: openAPIPath, atomically: true, encoding: .utf8)
            try arazzo(operations: operations, steps: steps).write(toFile: arazzoPath, atomically: true, encoding: .utf8)
        }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: openAPIPath)))
        let megabytes = Double(bytes.count) / 1_000_000

        let parse = try Measure.samples(iterations: iterations) {
            _ = try YAMLParser.parse(bytes: bytes, file: openAPIPath)
        }
        var diagnostics = 0
        var failure: String?
        let validate = await Measure.samples(iterations: iterations) {
            do {
                let loaded = try await ArazzoLoader().load(path: arazzoPath)
                diagnostics = loaded.validate().all.count
            } catch {
                failure = "\(error)"
            }
        }
        if let failure { throw BenchError.usage("the generated document did not load: \(failure)") }
        let parseTime = Measure.median(parse)
        let validateTime = Measure.median(validate)
        print("validate \(arazzoPath): \(steps) steps over \(operations) operations, OpenAPI \(Measure.format(megabytes, 2)) MB, \(iterations) iterations, medians; \(diagnostics) diagnostics")
        Measure.table(["stage", "ms", "vs tree parse"], [
            ["OpenAPI YAML → located tree (baseline)", Measure.format(parseTime * 1000), "1.00"],
            ["load + validate (entry, source, every check)", Measure.format(validateTime * 1000), Measure.format(validateTime / parseTime, 2)],
        ])
    }

    static func openAPI(operations: Int) -> String {
        var out = """
            openapi: 3.1.0
            info: {title: Generated, version: 1.0.0}
            servers: [{url: 'http://127.0.0.1:9'}]
            paths:

            """
        for i in 0..<operations {
            out += """
                  /resources\(i)/{id}:
                    parameters:
                      - {name: id, in: path, required: true, schema: {type: string}}
                    get:
                      operationId: get\(i)
                      parameters:
                        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
                        - {name: X-Trace, in: header, schema: {type: string}}
                      responses:
                        '200':
                          description: The resource.
                          content:
                            application/json:
                              schema: {$ref: '#/components/schemas/Resource\(i % 50)'}
                        '404': {description: Not found.}
                    post:
                      operationId: update\(i)
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema:
                              type: object
                              required: [name]
                              properties:
                                name: {type: string, maxLength: 200}
                                tags: {type: array, items: {type: string}}
                                attributes: {type: object, additionalProperties: {type: string}}
                      responses:
                        '200':
                          description: Updated.
                          content:
                            application/json:
                              schema: {$ref: '#/components/schemas/Resource\(i % 50)'}

                """
        }
        out += "components:\n  schemas:\n"
        for s in 0..<50 {
            out += """
                    Resource\(s):
                      type: object
                      required: [id, name]
                      properties:
                        id: {type: string, format: uuid}
                        name: {type: string}
                        status: {type: string, enum: [active, inactive, pending]}
                        created: {type: string, format: date-time}
                        owner: {type: object, properties: {id: {type: string}, email: {type: string, format: email}}}

                """
        }
        return out
    }

    static func arazzo(operations: Int, steps: Int) -> String {
        var out = """
            arazzo: 1.0.1
            info: {title: Generated, version: 1.0.0}
            sourceDescriptions:
              - {name: api, url: ./openapi.yaml, type: openapi}
            workflows:
              - workflowId: walk
                inputs:
                  type: object
                  properties:
                    id: {type: string}
                steps:

            """
        for k in 0..<steps {
            let op = (k * 7) % operations
            let previous = k == 0 ? "$inputs.id" : "$steps.s\(k - 1).outputs.id"
            if k % 2 == 0 {
                out += """
                          - stepId: s\(k)
                            operationId: get\(op)
                            parameters:
                              - {name: id, in: path, value: \(previous)}
                              - {name: limit, in: query, value: 10}
                            successCriteria:
                              - condition: $statusCode == 200
                              - {context: $response.body, condition: $.status, type: jsonpath}
                            outputs:
                              id: $response.body#/id
                              name: $response.body#/name

                    """
            } else {
                out += """
                          - stepId: s\(k)
                            operationId: update\(op)
                            parameters:
                              - {name: id, in: path, value: \(previous)}
                            requestBody:
                              contentType: application/json
                              payload: {name: 'item {$steps.s\(k - 1).outputs.name}', tags: [a, b]}
                            successCriteria:
                              - condition: $statusCode == 200 && $response.body#/status == 'active'
                            outputs:
                              id: $response.body#/id
                              name: $response.body#/name

                    """
            }
        }
        return out
    }
}
#endif
