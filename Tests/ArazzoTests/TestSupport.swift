import Foundation
import Testing
import Arazzo
import ArazzoTestSupport
import ArazzoTesting

/// Writes `files` (relative path → text) under a new temporary directory; returns the directory.
func writeFiles(_ files: [String: String]) throws -> String {
    let directory = try TemporaryDirectory()
    try directory.write(files)
    return directory.path
}

/// Loads an Arazzo document written next to the given OpenAPI descriptions; load-time errors
/// throw (``ArazzoLoader/loadRejectingErrors(path:)``).
func load(_ arazzo: String, sources: [String: String] = [:]) async throws -> LoadedDocument {
    var files = sources
    files["arazzo.yaml"] = arazzo
    let root = try writeFiles(files)
    return try await ArazzoLoader().loadRejectingErrors(path: root + "/arazzo.yaml")
}

extension ArazzoLoader {
    /// `load(path:)`, throwing when loading found errors as the loader did before documents with
    /// errors loaded: for the tests about what loading reports.
    func loadRejectingErrors(path: String) async throws(LoadFailure) -> LoadedDocument {
        try Self.rejectingErrors(await load(path: path))
    }

    /// `load(text:baseURL:)`, throwing when loading found errors.
    func loadRejectingErrors(text: String, baseURL: String) async throws(LoadFailure) -> LoadedDocument {
        try Self.rejectingErrors(await load(text: text, baseURL: baseURL))
    }

    static func rejectingErrors(_ loaded: LoadedDocument) throws(LoadFailure) -> LoadedDocument {
        if loaded.diagnostics.hasErrors {
            throw LoadFailure(diagnostics: loaded.diagnostics, sourceTexts: loaded.sourceTexts)
        }
        return loaded
    }
}

/// An engine over `document` with an in-memory executor and a clock that does not sleep.
func engine(_ document: LoadedDocument, _ executor: any StepExecutor, configure: (inout RunOptions) -> Void = { _ in }) -> WorkflowEngine {
    var options = RunOptions(executor: executor)
    options.clock = ImmediateClock()
    configure(&options)
    return WorkflowEngine(document: document, options: options)
}

/// The body of a recorded request as JSON.
func jsonBody(_ request: HTTPRequest?) -> JSONValue? {
    guard let body = request?.body else { return nil }
    return try? JSONValue(parsing: body)
}

/// The failure reason of a result, if it failed.
func failure(_ result: RunResult) -> FailureReason? {
    if case .failed(let reason) = result.outcome { return reason }
    return nil
}

/// A small OpenAPI description of the two Stytch B2B TOTP operations, written from the facts in
/// the fixture README (not a copy of Stytch's description).
let stytchOpenAPI = """
openapi: 3.0.3
info: {title: Stytch B2B TOTP (test subset), version: 1.0.0}
servers:
  - url: https://test.stytch.com
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
  schemas:
    Error:
      type: object
      required: [status_code, request_id, error_type, error_message]
      properties:
        status_code: {type: integer}
        request_id: {type: string}
        error_type: {type: string}
        error_message: {type: string}
paths:
  /v1/b2b/totp:
    post:
      operationId: api_b2b_totp_v1_Create
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [organization_id, member_id]
              properties:
                organization_id: {type: string}
                member_id: {type: string}
                expiration_minutes: {type: integer, format: int32, minimum: 5, maximum: 1440}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [request_id, member_id, totp_registration_id, secret, qr_code, recovery_codes, status_code]
                properties:
                  request_id: {type: string}
                  member_id: {type: string}
                  totp_registration_id: {type: string}
                  secret: {type: string}
                  qr_code: {type: string}
                  recovery_codes: {type: array, items: {type: string}}
                  status_code: {type: integer, minimum: 200, maximum: 200}
        '401':
          description: Unauthorized
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /v1/b2b/totp/authenticate:
    post:
      operationId: api_b2b_totp_v1_Authenticate
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [organization_id, member_id, code]
              properties:
                organization_id: {type: string}
                member_id: {type: string}
                code: {type: string}
                session_duration_minutes: {type: integer, format: int32}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [request_id, member_id, session_token, session_jwt, status_code]
                properties:
                  request_id: {type: string}
                  member_id: {type: string}
                  session_token: {type: string}
                  session_jwt: {type: string}
                  status_code: {type: integer}
"""

/// The reference workflow from the repository's fixtures.
func stytchWorkflowText() throws -> String {
    try String(contentsOfFile: Repository.root + "/Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml", encoding: .utf8)
}

/// The reference workflow loaded next to the test subset of the Stytch description.
func loadStytch() async throws -> LoadedDocument {
    let root = try writeFiles([
        "arazzo/stytch-b2b-totp-enrollment-workflow.yml": try stytchWorkflowText(),
        "openapi/stytch-b2b-openapi.yml": stytchOpenAPI,
    ])
    // The layout names ../openapi/…, which a local document may read.
    return try await ArazzoLoader()
        .load(path: root + "/arazzo/stytch-b2b-totp-enrollment-workflow.yml")
}
