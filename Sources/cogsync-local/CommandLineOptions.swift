import CognitoSyncLocal
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The command line of `cogsync-local`, parsed into endpoint options.
struct CommandLineOptions {
    static let usage = """
        usage: cogsync-local [--host ADDRESS] [--port PORT] [--data FILE] [--credentials AKID:SECRET]...
                             [--rate-limit [OP=]RATE]... [--fault SPEC] [--seed N] [--clock-offset SECONDS]
                             [--bulk-publish-seconds SECONDS] [--session-ttl SECONDS]
                             [--idle-timeout SECONDS] [--help]

        A local Amazon Cognito Sync and Cognito Identity endpoint. Prints its URL on the first line of
        standard output once it accepts connections, and runs until SIGINT or SIGTERM.

          --host ADDRESS          address to listen on (default 127.0.0.1)
          --port PORT             TCP port; 0 picks a free one (default 4566)
          --data FILE             keep the state in this SQLite file (default: in memory)
          --credentials AKID:SECRET
                                  accept this access key pair; repeatable. Without it the endpoint accepts
                                  the local pair AKIDLOCAL / cogsync-local-secret
          --rate-limit [OP=]RATE  at most RATE requests per second per access key (fractions allowed), with
                                  a burst of max(1, RATE/10); over it, TooManyRequestsException. OP=RATE
                                  limits one operation of either service (e.g. UpdateRecords=5, GetId=2).
                                  Repeatable: one global RATE and
                                  any number of OP=RATE; a request must pass both its operation's limit and the
                                  global one
          --fault SPEC            inject faults, e.g. throttle=0.2,error=0.05,reset=0.02,lost=0.01,latency=20ms
          --seed N                seed of the fault sequence, for reproducible runs
          --clock-offset SECONDS  skew the endpoint's clock (Date header, signature expiry, timestamps);
                                  at most 100 years either way
          --bulk-publish-seconds SECONDS
                                  how long a bulk publish stays IN_PROGRESS (default 1, at most 100 years)
          --session-ttl SECONDS   how long a SyncSessionToken stays valid (default 1800)
          --idle-timeout SECONDS  close a connection idle this long (default 60, at most 86400)
          --help                  show this text
        """

    var endpoint = LocalEndpointOptions()
    var showHelp = false

    init(arguments: [String]) throws {
        endpoint.port = 4566
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws -> String {
                if let inlineValue {
                    return inlineValue
                }
                guard let next = remaining.popFirst() else {
                    throw CommandLineError(message: "\(name) needs a value")
                }
                return next
            }
            switch name {
            case "--help", "-h":
                showHelp = true
            case "--host":
                endpoint.host = try value()
            case "--port":
                let text = try value()
                guard let port = Int(text), (0...65535).contains(port) else {
                    throw CommandLineError(message: "--port: '\(text)' is not a port number")
                }
                endpoint.port = port
            case "--data":
                endpoint.dataFile = try value()
            case "--credentials":
                let text = try value()
                guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
                    text.index(after: colon) != text.endIndex
                else {
                    throw CommandLineError(message: "--credentials takes ACCESS_KEY_ID:SECRET")
                }
                endpoint.credentials.append((String(text[..<colon]), String(text[text.index(after: colon)...])))
            case "--fault":
                do {
                    endpoint.faults = try FaultSpec(parsing: try value())
                } catch let error as FaultSpecError {
                    throw CommandLineError(message: "--fault: \(error.message)")
                }
            case "--rate-limit":
                do {
                    endpoint.rateLimits.append(try RateLimitSpec(parsing: try value()))
                } catch let error as RateLimitSpecError {
                    throw CommandLineError(message: "--rate-limit: \(error.message)")
                }
            case "--seed":
                let text = try value()
                guard let seed = UInt64(text) else {
                    throw CommandLineError(message: "--seed: '\(text)' is not a non-negative integer")
                }
                endpoint.seed = seed
            case "--clock-offset":
                let limit = LocalEndpointOptions.maximumClockOffset
                endpoint.clockOffset = try Self.seconds(try value(), option: name, in: -limit...limit)
            case "--bulk-publish-seconds":
                let limit = LocalEndpointOptions.maximumClockOffset
                endpoint.bulkPublishDuration = try Self.seconds(try value(), option: name, in: 0...limit)
            case "--session-ttl":
                endpoint.syncSessionLifetime = try Self.seconds(try value(), option: name, in: 0...Double.greatestFiniteMagnitude)
            case "--idle-timeout":
                endpoint.idleTimeout = try Self.seconds(try value(), option: name, in: LocalEndpointOptions.idleTimeoutRange)
            default:
                throw CommandLineError(message: "unknown option '\(argument)'")
            }
        }
    }

    private static func seconds(_ text: String, option: String, in range: ClosedRange<Double>) throws -> TimeInterval {
        guard let seconds = Double(text), seconds.isFinite else {
            throw CommandLineError(message: "\(option): '\(text)' is not a number of seconds")
        }
        guard range.contains(seconds) else {
            let bound = range.upperBound == .greatestFiniteMagnitude ? "at least \(Self.plain(range.lowerBound))"
                : "between \(Self.plain(range.lowerBound)) and \(Self.plain(range.upperBound))"
            throw CommandLineError(message: "\(option): '\(text)' is out of range (seconds \(bound))")
        }
        return seconds
    }

    /// A bound as people write it: `3153600000`, not `3.1536e+09`; `0.001` stays as it is.
    private static func plain(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }
}

/// A command line that cannot be run.
struct CommandLineError: Error {
    let message: String
}
