import ArazzoOpenAPI
import ArazzoJSON
import ArazzoExecutor
import ArazzoExpressions
import ArazzoAsyncAPI
import ArazzoModel

/// A message transport that can make up the message a receive step waits for when nothing real
/// will come: the `--mock` transport. Before each receive the engine offers it a message sampled
/// from the AsyncAPI message schema that carries the expected correlation id; a real transport
/// does not conform and is never asked.
public protocol MessageSampling: MessageTransport {
    /// `sample` is what the receive on `endpoint` would accept; deliver it if nothing matching
    /// is already there.
    func offer(_ sample: TransportMessage, on endpoint: ChannelEndpoint) async
}

extension RunSession {
    /// Runs one AsyncAPI step (Arazzo 1.1 "Defining Success for Asynchronous Steps"): a send
    /// completes once the message is handed to the transport; a receive waits up to the step's
    /// `timeout` (else the run's request timeout) for a message whose correlation id matches,
    /// then its success criteria are judged against that message.
    nonisolated(nonsending) func executeMessageStep(
        _ step: CompiledStep, target: MessageTarget, context: inout EvaluationContext, execution: inout StepExecution
    ) async {
        var trace = MessageTrace(action: target.action.rawValue, channel: target.channel.key)
        defer { execution.trace.message = trace }

        // Parameters: `in: channel` fills the channel address, `in: header` the message headers.
        var channelValues: [String: String] = [:]
        var headers: [String: JSONValue] = [:]
        for parameter in step.parameters {
            let value: JSONValue
            if let selection = parameter.selection {
                // A Selector Object that selects nothing fails the step, as for HTTP (V7).
                switch selection.evaluate(in: context) {
                case .success(let selected): value = selected
                case .failure(let failure):
                    fail(&execution, kind: .request, "parameter '\(parameter.name)' has no value: \(failure.message)")
                    return
                }
            } else {
                let evaluation = parameter.value.evaluate(in: context)
                guard let evaluated = evaluation.value, evaluated != .null else {
                    let reason = evaluation.omitted.first?.unresolved.description ?? "it resolved to null"
                    if let unresolved = evaluation.omitted.first?.unresolved, parameter.location == .header,
                       let input = RunSession.unsuppliedInput(unresolved, inputs: context.inputs) {
                        execution.trace.notes.append("header \(parameter.name) omitted: input \(input) was not supplied")
                        continue
                    }
                    fail(&execution, kind: .request, "parameter '\(parameter.name)' has no value: \(reason)")
                    return
                }
                value = evaluated
            }
            switch parameter.location {
            case .channel?: channelValues[parameter.name] = Self.text(of: value)
            case .header?: headers[parameter.name] = value
            default:
                fail(&execution, kind: .request, "parameter '\(parameter.name)': an AsyncAPI step takes in: header or in: channel")
                return
            }
        }
        let endpoint: ChannelEndpoint
        do {
            endpoint = try target.source.index.endpoint(
                for: target.channel, parameters: channelValues, baseURL: options.serverOverrides[target.sourceName])
        } catch {
            fail(&execution, kind: .request, "the channel endpoint could not be built: \(error.message)")
            return
        }
        trace.endpoint = endpoint
        execution.trace.notes.append("\(target.action == .send ? "send to" : "receive from") \(endpoint.url) (\(target.via))")

        switch target.action {
        case .send:
            let message: TransportMessage
            switch buildMessage(step, target: target, headers: headers, context: context, notes: &execution.trace.notes) {
            case .success(let built): message = built
            case .failure(let failure):
                fail(&execution, kind: .request, "the message could not be built: \(failure.message)")
                return
            }
            trace.message = message
            context.message = message
            if options.dryRun { return succeedDryRun(&execution, note: "dry run: message not sent") }
            do {
                let transport = try options.messageTransports.transport(for: endpoint.protocol)
                try await transport.send(message, to: endpoint)
            } catch {
                trace.error = error
                fail(&execution, kind: .transport, "not sent: \(error.message)")
                return
            }
            // Arazzo does not model broker acknowledgement: sent is done.
            evaluateMessageCriteria(step, context: context, execution: &execution, hasMessage: true)

        case .receive:
            var expected: JSONValue?
            if let template = step.correlationId {
                let evaluation = template.evaluate(in: context)
                guard let value = evaluation.value else {
                    let reason = evaluation.omitted.first?.unresolved.description ?? "it did not resolve"
                    fail(&execution, kind: .request, "the correlationId has no value: \(reason)")
                    return
                }
                expected = value
                trace.correlationId = value
            }
            if options.dryRun { return succeedDryRun(&execution, note: "dry run: nothing received") }
            let locations = target.correlationIDs
            let wanted = expected
            let matches: @Sendable (TransportMessage) -> Bool = { message in
                guard let wanted else { return true }
                return locations.contains { $0.matches(message, expected: wanted) }
            }
            let timeout = step.timeout ?? requestTimeout()
            let received: TransportMessage
            do {
                let transport = try options.messageTransports.transport(for: endpoint.protocol)
                if let sampler = transport as? any MessageSampling {
                    await sampler.offer(
                        MessageSampler(source: target.source).sample(for: target, correlationId: expected), on: endpoint)
                }
                received = try await transport.receive(from: endpoint, timeout: timeout, where: matches)
            } catch {
                trace.error = error
                let waited = expected.map { " carrying correlationId \(Self.text(of: $0))" } ?? ""
                if error.kind == .timeout {
                    fail(&execution, kind: .timeout, "no message\(waited) on \(endpoint.url) within \(RunSession.format(timeout))")
                } else {
                    fail(&execution, kind: .transport, "nothing received: \(error.message)")
                }
                evaluateMessageCriteria(step, context: context, execution: &execution, hasMessage: false)
                return
            }
            trace.message = received
            context.message = received
            evaluateMessageCriteria(step, context: context, execution: &execution, hasMessage: true)
        }
    }

    private func fail(_ execution: inout StepExecution, kind: FailureReason.Kind, _ message: String) {
        execution.failureKind = kind
        execution.failureMessage = message
        execution.trace.notes.append(message)
    }

    /// A dry run sends and waits for nothing: the step succeeds with `note` saying so.
    private func succeedDryRun(_ execution: inout StepExecution, note: String) {
        execution.succeeded = true
        execution.trace.succeeded = true
        execution.trace.notes.append(note)
    }

    /// The message a send step gives: its `requestBody` payload (replacements applied) and the
    /// header parameters; the content type is the body's, else the AsyncAPI message's.
    private func buildMessage(
        _ step: CompiledStep, target: MessageTarget, headers: [String: JSONValue], context: EvaluationContext,
        notes: inout [String]
    ) -> Result<TransportMessage, RequestBuildFailure> {
        let contentType = step.body?.contentType ?? target.contentType
        var payload: JSONValue = .null
        if let body = step.body, let template = body.payload {
            let evaluation: ValueTemplate.Evaluation
            switch body.evaluatePayload(template, in: context) {
            case .success(let evaluated): evaluation = evaluated
            case .failure(let failure): return .failure(failure)
            }
            for omission in evaluation.omitted {
                guard RunSession.unsuppliedInput(omission.unresolved, inputs: context.inputs) != nil else {
                    return .failure(RequestBuildFailure(message: "payload \(omission.path.isEmpty ? "value" : "member " + omission.path): \(omission.unresolved.description)"))
                }
                notes.append("payload member \(omission.path.isEmpty ? "(whole payload)" : omission.path) omitted: \(omission.unresolved.expression) not supplied")
            }
            payload = evaluation.value ?? .null
            let isJSON = contentType.map { RequestBodyEncoder.kind(of: $0) == .json } ?? true
            if isJSON, case .string(let text) = payload, let parsed = try? JSONValue(parsing: text) {
                payload = parsed
            }
            switch RunSession.applyJSONReplacements(body.replacements, to: payload, in: context) {
            case .success(let replaced): payload = replaced
            case .failure(let failure): return .failure(failure)
            }
        }
        let isJSON = contentType.map { RequestBodyEncoder.kind(of: $0) == .json } ?? true
        let messagePayload: MessagePayload
        if !isJSON, case .string(let text) = payload {
            messagePayload = .text(text)
        } else {
            messagePayload = .json(payload)
        }
        return .success(TransportMessage(headers: headers, payload: messagePayload, contentType: contentType))
    }

    /// Criteria and outputs over `$message` (the same rules as an HTTP step's over `$response`).
    private func evaluateMessageCriteria(
        _ step: CompiledStep, context: EvaluationContext, execution: inout StepExecution, hasMessage: Bool
    ) {
        evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: hasMessage)
    }

    /// Subscribes every channel the workflow's receive steps use, before its first step: a reply
    /// that arrives before its receive step starts then waits in the channel's buffer. Channels
    /// whose address needs values only later steps give are subscribed by their receive; errors
    /// here are left to the step, which reports them located at itself.
    nonisolated(nonsending) func subscribeReceiveChannels(of workflow: CompiledWorkflow, inputs: JSONValue) async {
        guard !options.dryRun else { return }
        // Made at the first receive step: most workflows have none, and every run came here.
        var context: EvaluationContext?
        var done: Set<ChannelEndpoint> = []
        for step in workflow.steps {
            guard case .success(.message(let target)) = step.target, target.action == .receive else { continue }
            let scope: EvaluationContext
            if let context {
                scope = context
            } else {
                scope = EvaluationContext(
                    exchange: nil, inputsValue: inputs, outputsValue: nil, steps: [:],
                    workflowValues: workflowValues, sourceURLs: workflow.sourceURLs)
                context = scope
            }
            var values: [String: String] = [:]
            var complete = true
            for parameter in step.parameters where parameter.location == .channel {
                guard let value = parameter.value.evaluate(in: scope).value else { complete = false; break }
                values[parameter.name] = Self.text(of: value)
            }
            guard complete, let endpoint = try? target.source.index.endpoint(
                    for: target.channel, parameters: values, baseURL: options.serverOverrides[target.sourceName]),
                  !done.contains(endpoint),
                  let transport = try? options.messageTransports.transport(for: endpoint.protocol) else { continue }
            done.insert(endpoint)
            try? await transport.subscribe(endpoint)
        }
    }

    /// A value as it goes into a channel address or a message: strings as they are, anything
    /// else as JSON text.
    static func text(of value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText()
    }
}
