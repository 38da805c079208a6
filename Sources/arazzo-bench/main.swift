// arazzo-bench: release-built benchmarks. Each figure is printed next to a baseline measured in the
// same run, so the ratio, not the absolute number, is what to compare across machines.
import Foundation
#if Networking

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
do {
    switch command {
    case "validate":
        try await ValidateBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "parse":
        try ParseBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "schema":
        try SchemaBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "jsonpath":
        try JSONPathBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "conditions":
        try ConditionsBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "engine":
        try await EngineBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "contract":
        try await ContractBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "workflow":
        try await WorkflowBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "floor":
        try await SocketFloor.run(arguments: Array(arguments.dropFirst()))
    case "throughput":
        try await ThroughputBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "load":
        try await LoadBenchmark.run(arguments: Array(arguments.dropFirst()))
    case "serve-stytch":
        try await ServeStytch.run(arguments: Array(arguments.dropFirst()))
    case "totp":
        TOTPCommand.run()
    case "spawn":
        try SpawnCommand.run(arguments: Array(arguments.dropFirst()))
    case "help", "--help", "-h":
        print(usage)
    default:
        FileHandle.standardError.write(Data("unknown benchmark '\(command)'\n\(usage)".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("arazzo-bench: \(error)\n".utf8))
    exit(1)
}
#else
// Built with the Networking trait off: the benchmarks need the HTTP executor and the test servers.
FileHandle.standardError.write(Data("arazzo-bench was built without the Networking trait; build it with the default traits (swift build --product arazzo-bench)\n".utf8))
exit(2)
#endif
