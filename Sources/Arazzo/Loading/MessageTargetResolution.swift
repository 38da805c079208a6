import ArazzoJSON
import ArazzoOpenAPI
import ArazzoModel
import ArazzoAsyncAPI
import ArazzoDiagnostics

/// What an AsyncAPI step (Arazzo 1.1) sends to or receives from: the channel, the operation it
/// was reached through (none for a `channelPath`), the step's own action, and the messages the
/// channel may carry in that direction (their `correlationId` locations say where a received
/// message carries its id).
struct MessageTarget: Sendable {
    /// The source description name in the step's document.
    let sourceName: String
    /// The loaded description.
    let source: AsyncAPISource
    /// The channel messages go to or come from.
    let channel: AsyncAPIDocument.Channel
    /// The AsyncAPI operation named by `operationId`; nil for a `channelPath` step.
    let operation: AsyncAPIDocument.Operation?
    /// The step's `action`.
    let action: Step.AsyncAction
    /// The messages that may travel in the step's direction.
    let messages: [AsyncAPIDocument.Message]
    /// How the step reached the channel, for traces ("reply of operation placeOrder").
    let via: String

    /// The distinct correlation id locations of ``messages``, in order.
    var correlationIDs: [CorrelationID] {
        var seen: [CorrelationID] = []
        for message in messages {
            if let id = message.correlationId, !seen.contains(where: { $0.location == id.location }) { seen.append(id) }
        }
        return seen
    }

    /// The content type a sent message declares: the first message's, else the description's
    /// `defaultContentType`.
    var contentType: String? {
        messages.first?.contentType ?? source.index.document.defaultContentType
    }
}

extension OperationResolver {
    /// The AsyncAPI sources of the unit, in declaration order.
    var asyncAPISources: [(name: String, source: AsyncAPISource)] {
        unit.document.sourceDescriptions.compactMap { description in
            guard case .asyncapi(let url)? = unit.sources[description.name], let source = loaded.asyncAPIDocuments[url] else { return nil }
            return (description.name, source)
        }
    }

    /// The step's target when `operationId` names an AsyncAPI operation: the operation's own
    /// channel when the step's action mirrors the operation's (AsyncAPI describes the other
    /// application: its `receive` is the workflow's `send`), its reply channel when the action
    /// equals it and the operation has a `reply`, else an error (decision AS2).
    func messageTarget(
        operation: AsyncAPIDocument.Operation, sourceName: String, source: AsyncAPISource, action: Step.AsyncAction?
    ) -> Result<ResolvedTarget, ResolutionFailure> {
        guard let action else {
            return .failure(ResolutionFailure(
                message: "operation '\(operation.id)' of AsyncAPI source '\(sourceName)' sends or receives messages; add `action: send` or `action: receive` to the step",
                code: "async-step-field"))
        }
        let mirrored: Step.AsyncAction = operation.action == .receive ? .send : .receive
        if action == mirrored {
            return .success(.message(MessageTarget(
                sourceName: sourceName, source: source, channel: operation.channel, operation: operation, action: action,
                messages: operation.messages, via: "operation \(operation.id)")))
        }
        if let reply = operation.reply {
            let channel = reply.channel ?? operation.channel
            return .success(.message(MessageTarget(
                sourceName: sourceName, source: source, channel: channel, operation: operation, action: action,
                messages: reply.messages.isEmpty ? channel.messages : reply.messages, via: "the reply of operation \(operation.id)")))
        }
        let side = operation.action == .receive ? "receives" : "sends"
        return .failure(ResolutionFailure(
            message: "operation '\(operation.id)' is `\(operation.action.rawValue)` in AsyncAPI source '\(sourceName)' (the described application \(side) on channel '\(operation.channel.key)'), so a workflow step \(mirrored == .send ? "sends to" : "receives from") it and it has no `reply`; write `action: \(mirrored.rawValue)`",
            code: "async-action"))
    }

    /// `operationId` in an AsyncAPI source: qualified (`$sourceDescriptions.<name>.<id>`) or
    /// bare. Nil when the text names no AsyncAPI source and no AsyncAPI operation has that id,
    /// so the OpenAPI resolution answers (and its errors stay as they were).
    func resolveAsyncOperationId(_ text: String, action: Step.AsyncAction?) -> Result<ResolvedTarget, ResolutionFailure>? {
        let sources = asyncAPISources
        guard !sources.isEmpty else { return nil }
        if text.hasPrefix("$sourceDescriptions.") {
            guard let (sourceName, operationId) = ExpressionString.sourceQualifiedName(text),
                  let (_, source) = sources.first(where: { $0.name == sourceName }) else { return nil }
            do {
                let operation = try source.index.operation(id: operationId)
                return messageTarget(operation: operation, sourceName: sourceName, source: source, action: action)
            } catch {
                let ids = source.index.document.operations.map(\.id)
                var failure = ResolutionFailure(
                    message: "no operation '\(operationId)' in AsyncAPI source description '\(sourceName)'",
                    notes: suggest(operationId, among: ids).map { ["did you mean '\($0)'?"] }
                        ?? (ids.isEmpty ? ["it has no operations"] : ["its operations are " + ids.map { "'\($0)'" }.joined(separator: ", ")]))
                if let exact = ids.first(where: { $0.lowercased() == operationId.lowercased() }) {
                    failure.suggestion = "$sourceDescriptions.\(sourceName).\(exact)"
                }
                return .failure(failure)
            }
        }
        let matches = sources.compactMap { entry in
            (try? entry.source.index.operation(id: text)).map { (entry.name, entry.source, $0) }
        }
        guard !matches.isEmpty else { return nil }
        let openAPIMatches = openAPISources.filter { $0.document.operation(id: text) != nil }.map(\.name)
        if matches.count + openAPIMatches.count > 1 {
            let names = (matches.map(\.0) + openAPIMatches).map { "`\($0)`" }.joined(separator: ", ")
            return .failure(ResolutionFailure(
                message: "operationId `\(text)` exists in several source descriptions (\(names)); write `$sourceDescriptions.<name>.\(text)` to choose one",
                notes: (matches.map(\.0) + openAPIMatches).map { "$sourceDescriptions.\($0).\(text)" }, code: "ambiguous-operation-id"))
        }
        let (name, source, operation) = matches[0]
        return messageTarget(operation: operation, sourceName: name, source: source, action: action)
    }

    /// `channelPath`: `{$sourceDescriptions.<name>.url}#/channels/<key>` (Arazzo 1.1: a source
    /// description as a runtime expression, then a JSON pointer to the channel).
    func resolveChannelPath(_ text: String, action: Step.AsyncAction?) -> Result<ResolvedTarget, ResolutionFailure> {
        let form = "`{$sourceDescriptions.<name>.url}#/channels/<channel key>`"
        let prefix = "{$sourceDescriptions."
        guard text.hasPrefix(prefix), let close = text.firstIndex(of: "}") else {
            return .failure(ResolutionFailure(message: "channelPath must have the form \(form)", code: "unknown-channel"))
        }
        let inner = text[text.index(text.startIndex, offsetBy: prefix.count)..<close]
        guard inner.hasSuffix(".url") else {
            return .failure(ResolutionFailure(message: "channelPath must embed {$sourceDescriptions.<name>.url}; found {\(inner)}", code: "unknown-channel"))
        }
        let sourceName = String(inner.dropLast(4))
        let rest = text[text.index(after: close)...]
        guard rest.hasPrefix("#/") else {
            return .failure(ResolutionFailure(message: "channelPath must continue with '#' and a JSON pointer such as #/channels/place-order", code: "unknown-channel"))
        }
        guard let binding = unit.sources[sourceName] else {
            let names = unit.document.sourceDescriptions.map(\.name)
            return .failure(ResolutionFailure(
                message: "no source description named '\(sourceName)'",
                notes: names.isEmpty ? [] : ["the sources are " + names.map { "'\($0)'" }.joined(separator: ", ")]))
        }
        guard case .asyncapi(let url) = binding, let source = loaded.asyncAPIDocuments[url] else {
            if binding == .unavailable {
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
            }
            return .failure(ResolutionFailure(message: "source description '\(sourceName)' is not an AsyncAPI description; channelPath needs an asyncapi source", code: "unknown-channel"))
        }
        let fragment = percentDecoded(String(rest.dropFirst()))
        let channel: AsyncAPIDocument.Channel
        do {
            channel = try source.index.channel(path: fragment)
        } catch {
            let keys = source.index.document.channels.map(\.key)
            let written = (try? JSONPointer(parsing: fragment))?.tokens.last ?? fragment
            var failure = ResolutionFailure(
                message: "no channel at '\(fragment)' in AsyncAPI source description '\(sourceName)'",
                notes: suggest(written, among: keys).map { ["did you mean '#\(JSONPointer(tokens: ["channels", $0]).description)'?"] }
                    ?? (keys.isEmpty ? ["it has no channels"] : ["its channels are " + keys.map { "'#/channels/\($0)'" }.joined(separator: ", ")]),
                code: "unknown-channel")
            if let exact = keys.first(where: { $0.lowercased() == written.lowercased() }) {
                failure.suggestion = "{$sourceDescriptions.\(sourceName).url}#" + JSONPointer(tokens: ["channels", exact]).description
            }
            return .failure(failure)
        }
        guard let action else {
            return .failure(ResolutionFailure(message: "a `channelPath` step needs `action: send` or `action: receive`", code: "async-step-field"))
        }
        return .success(.message(MessageTarget(
            sourceName: sourceName, source: source, channel: channel, operation: nil, action: action,
            messages: channel.messages, via: "channel \(channel.key)")))
    }
}
