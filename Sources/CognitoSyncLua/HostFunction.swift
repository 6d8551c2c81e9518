/// The Swift functions the prelude reaches through the C trampoline, by id.
enum HostFunction: Int32, CaseIterable {
    case call = 1
    case poll
    case await
    case sleep
    case newClient
    case releaseClient
    case clientInfo
    case describe
    case setErrorMeta
    case stats
    case now
    case isatty
    case pressure
    case mapConcurrency
    case cancel
    case on
    case defaults
    case service
    case loadModule

    /// The name the prelude sees in its `core` table.
    var luaName: String {
        switch self {
        case .call: return "call"
        case .poll: return "poll"
        case .await: return "await"
        case .sleep: return "sleep"
        case .newClient: return "newClient"
        case .releaseClient: return "releaseClient"
        case .clientInfo: return "clientInfo"
        case .describe: return "describe"
        case .setErrorMeta: return "setErrorMeta"
        case .stats: return "stats"
        case .now: return "now"
        case .isatty: return "isatty"
        case .pressure: return "pressure"
        case .mapConcurrency: return "mapConcurrency"
        case .cancel: return "cancel"
        case .on: return "on"
        case .defaults: return "defaults"
        case .service: return "service"
        case .loadModule: return "loadModule"
        }
    }
}
