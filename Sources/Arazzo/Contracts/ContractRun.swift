import ArazzoJSON
import ArazzoExecutor
import ArazzoOpenAPI

extension RunSession {
    private func contractChecker(
        _ step: CompiledStep, document: OpenAPIDocument, operation: OpenAPIOperation
    ) -> ContractChecker {
        ContractChecker(
            subject: step.contractSubject ?? ContractSubject(document: document, operation: operation),
            cache: plan.contractSchemas, policy: options.contract)
    }

    /// The request checks of an operation step, before anything is sent. The findings go on the
    /// trace; true when one of them is an error, so the request must not be sent (the step
    /// then fails with kind `contract`, naming the check).
    func requestViolatesContract(
        _ built: BuiltRequest, of step: CompiledStep, document: OpenAPIDocument, operation: OpenAPIOperation,
        execution: inout StepExecution
    ) -> Bool {
        guard options.contract.isEnabled else { return false }
        let findings = contractChecker(step, document: document, operation: operation).checkRequest(
            headers: built.request.headers, query: built.exchange.query, path: built.exchange.path,
            body: built.exchange.requestBody, hasBody: built.request.body != nil)
        // No write to the trace (a uniqueness check of its storage) for a request that conforms.
        guard !findings.isEmpty else { return false }
        execution.trace.contract.append(contentsOf: findings)
        guard let first = findings.first(where: { $0.severity == .error }) else { return false }
        execution.failureKind = .contract
        execution.failureMessage = "request not sent: \(first.description)"
        execution.trace.notes.append(execution.failureMessage)
        return true
    }

    /// The response checks of an operation step; the findings go on the trace.
    ///
    /// `exchange` holds the response; its JSON index (kept for `$response.body`) is reused, so
    /// the body is indexed once and read as a tree only where something needs it whole.
    func checkResponseContract(
        _ exchange: Exchange, method: String, of step: CompiledStep, document: OpenAPIDocument, operation: OpenAPIOperation,
        execution: inout StepExecution
    ) {
        guard options.contract.isEnabled, let response = exchange.response else { return }
        let contentType = response.headers["Content-Type"]
        let isJSON = contentType.map { RequestBodyEncoder.kind(of: $0) == .json } == true
        // A JSON body is checked on its index; a body that is not valid JSON goes as its text,
        // which the checker parses to report why (decision TP4).
        let tape = isJSON ? exchange.responseTape : nil
        let parsed = isJSON && tape == nil ? exchange.responseBody : nil
        let findings = contractChecker(step, document: document, operation: operation).checkResponse(
            method: method, response: response, parsedBody: parsed, bodyTape: tape)
        // No write to the trace (a uniqueness check of its storage) for a response that conforms.
        if !findings.isEmpty { execution.trace.contract.append(contentsOf: findings) }
    }

    /// In `error` mode a response finding fails a step whose criteria passed: the failure names
    /// the check, and the step's onFailure actions apply as for any failure.
    func applyContractErrors(_ execution: inout StepExecution) {
        guard execution.succeeded, let first = execution.trace.contract.first(where: { $0.severity == .error }) else { return }
        execution.succeeded = false
        execution.trace.succeeded = false
        execution.failureKind = .contract
        execution.failureMessage = "the response breaks the operation's contract: \(first.description)"
    }
}
