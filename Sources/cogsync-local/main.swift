import CognitoSyncLocal
import Foundation

let options: CommandLineOptions
do {
    options = try CommandLineOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch let error as CommandLineError {
    FileHandle.standardError.write(Data("cogsync-local: \(error.message)\n\(CommandLineOptions.usage)\n".utf8))
    exit(2)
}
if options.showHelp {
    print(CommandLineOptions.usage)
    exit(0)
}

// Signals are taken over before the URL is printed, so a supervisor that stops the endpoint as soon as it
// is announced still gets a clean shutdown.
var endpoint: LocalEndpoint?
var signalSources: [DispatchSourceSignal] = []
for signalNumber in [SIGINT, SIGTERM] {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler {
        endpoint?.shutdown()
        exit(0)
    }
    source.resume()
    signalSources.append(source)
}

let url: String
do {
    let started = try LocalEndpoint(options: options.endpoint)
    url = try started.start()
    endpoint = started
} catch {
    FileHandle.standardError.write(Data("cogsync-local: cannot start: \(error)\n".utf8))
    exit(1)
}

print(url)
fflush(stdout)
let keys = options.endpoint.effectiveCredentials.map(\.accessKeyId).joined(separator: ", ")
let storage = options.endpoint.dataFile.map { "SQLite file \($0)" } ?? "memory"
var notice = "cogsync-local: serving \(url); access keys: \(keys); state in \(storage)"
if !options.endpoint.faults.isEmpty {
    notice += "; faults: \(options.endpoint.faults)"
}
FileHandle.standardError.write(Data((notice + "\n").utf8))
dispatchMain()
