import CognitoSyncLocal
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Dispatch

// A reader that goes away (a closed pipe on stdout or stderr) must not kill the endpoint.
signal(SIGPIPE, SIG_IGN)
// A file size limit (ulimit -f) reached by the data file must fail that write, not kill the endpoint.
signal(SIGXFSZ, SIG_IGN)

let options: CommandLineOptions
do {
    options = try CommandLineOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch let error as CommandLineError {
    StandardError.write("cogsync-local: \(error.message)\n\(CommandLineOptions.usage)\n")
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
    StandardError.write("cogsync-local: cannot start: \(error)\n")
    exit(1)
}

let keys = options.endpoint.effectiveCredentials.map(\.accessKeyId).joined(separator: ", ")
let storage = options.endpoint.dataFile.map { "SQLite file \($0)" } ?? "memory"
var notice = "cogsync-local: serving \(url); access keys: \(keys); state in \(storage)"
if !options.endpoint.rateLimits.isEmpty {
    notice += "; rate limits: " + options.endpoint.rateLimits.map(\.description).joined(separator: ", ")
}
if !options.endpoint.faults.isEmpty {
    notice += "; faults: \(options.endpoint.faults)"
}
// Announced from the main queue once dispatchMain runs it: libdispatch opens a descriptor for the main queue as
// dispatchMain starts, and traps if it cannot, so a client that fills the descriptor table as soon as the URL
// appears must find that descriptor already open.
DispatchQueue.main.async {
    print(url)
    fflush(stdout)
    StandardError.write(notice + "\n")
}
dispatchMain()
