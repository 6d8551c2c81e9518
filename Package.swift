// swift-tools-version:6.0
import PackageDescription

// Our own targets use the Swift 5 language mode: the Lua and curl boundaries are C pointers
// owned by one thread, which strict Sendable checking cannot express without noise.
// Release builds leave out the run-time exclusivity checks (a call into the runtime and a thread-local lookup at
// every access to a class's stored property, about 2% of the CPU of a request); debug builds, which run the tests,
// keep them, so an overlapping access still traps there.
let swift5: [SwiftSetting] = [
    .swiftLanguageMode(.v5),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// The package's folder: the linker gets absolute search paths, as SwiftPM does not say where it runs from.
let packageRoot = String(#filePath.dropLast("/Package.swift".count))

let package = Package(
    name: "cogsync-lua",
    products: [
        .executable(name: "cogsync-lua", targets: ["cogsync-lua"]),
        .executable(name: "cogsync-local", targets: ["cogsync-local"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        // libcurl's header only: the library is opened on first use (Sources/CCurlShims), not linked.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // SQLite's header: libsqlite3 is opened when the local endpoint first opens its data file, not linked.
        .systemLibrary(name: "CSQLite"),
        // Line editing and history in the REPL, as Debian's lua5.4 has them; libreadline is opened when the REPL
        // first edits a line, not linked.
        .systemLibrary(name: "CReadline"),
        // The C side of the Lua boundary, the only code that raises Lua errors or yields: the host function
        // trampoline, task threads, protected helpers and Ctrl-C.
        .target(name: "CLuaShims", dependencies: ["CLua"]),
        // Opening a library on first use, for the two shims below: the library, its functions, the message when
        // one is missing.
        .target(name: "CDynamicLibrary"),
        // Typed wrappers for curl's variadic setopt and getinfo, which Swift cannot call.
        .target(name: "CCurlShims", dependencies: ["CCurl", "CDynamicLibrary"]),
        // The digests SigV4 needs, from libcrypto opened on first use (libssl-dev's headers; the library is not
        // linked).
        .target(name: "CCryptoShims", dependencies: ["CDynamicLibrary"]),
        // AWS Signature Version 4, shared by the client and the local endpoint's verifier.
        .target(name: "SigV4", dependencies: ["CCryptoShims"], swiftSettings: swift5),
        // What the client and the local endpoint share: the service model (generated), values, JSON, header
        // lookup and the model's patterns.
        .target(name: "CognitoSyncModel", swiftSettings: swift5),
        // The client core: parameter validation and the serializer (Request/), configuration, credentials,
        // retries, the curl transport, and the response reader and service errors (Response/).
        .target(
            name: "CognitoSync",
            dependencies: ["CognitoSyncModel", "SigV4", "CCurl", "CCurlShims"],
            swiftSettings: swift5
        ),
        // The Lua bridge: state wrapper, scheduler, client objects and the Lua prelude.
        .target(
            name: "CognitoSyncLua",
            dependencies: ["CognitoSync", "CognitoSyncModel", "CLua", "CLuaShims"],
            // The module's Lua half, kept as Lua (checked by luac5.4 -p in the tests) and compiled into the binary as
            // precompiled chunks by the LuaChunks plugin: the scheduler, run when a Lua state starts, and the module,
            // run on its first require.
            exclude: ["lua"],
            swiftSettings: swift5,
            plugins: ["LuaChunks"]
        ),
        // The local Cognito Sync and Cognito Identity endpoint.
        .target(
            name: "CognitoSyncLocal",
            dependencies: [
                "CognitoSyncModel", "SigV4", "CSQLite",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swift5
        ),
        .executableTarget(
            name: "cogsync-lua",
            dependencies: [
                "CognitoSyncLua", "CognitoSyncLocal", "CognitoSync", "CognitoSyncModel", "CLua", "CLuaShims",
                "CCurlShims", "CReadline",
            ],
            swiftSettings: swift5,
            // Relative relocations packed (DT_RELR, glibc 2.36) by the toolchain's lld: the position-independent
            // binary's 2 MB relocation table shrinks to 16 KB, which the loader read at every start.
            // `link/` holds a link to GCC's static libstdc++, found before the shared one: the static Swift runtime's
            // `-lstdc++` then takes the few C++ runtime parts it uses into the binary, and the loader no longer maps
            // and relocates libstdc++.so at every start (about a fifth of `cogsync-lua -e ''`). Where that archive is
            // elsewhere the link dangles and the shared library is used as before; a build with the shared Swift
            // runtime takes nothing from it.
            // The binary's own symbols are not exported. The static Swift runtime's link options export them all
            // (this later option wins), and the runtime's start-up looks up its own address with `dladdr`, which
            // walks the whole dynamic symbol table: 10,800 entries, a sixth of the instructions of `cogsync-lua -e ''`
            // (470 without them). Lua C modules find the Lua API in liblua5.4, as under lua5.4.
            linkerSettings: [.unsafeFlags([
                "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-L", packageRoot + "/link",
                "-Xlinker", "--no-export-dynamic",
            ])]
        ),
        .executableTarget(name: "cogsync-local", dependencies: ["CognitoSyncLocal"], swiftSettings: swift5),
        // Build-time only: compiles the module's Lua files with the linked Lua library (Plugins/LuaChunkCompiler).
        .executableTarget(
            name: "LuaChunkCompiler", dependencies: ["CLua"], path: "Plugins/LuaChunkCompiler", swiftSettings: swift5
        ),
        .plugin(name: "LuaChunks", capability: .buildTool(), dependencies: ["LuaChunkCompiler"]),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"], resources: [.copy("Fixtures")], swiftSettings: swift5),
        .testTarget(name: "CognitoSyncTests", dependencies: ["CognitoSync", "CognitoSyncModel"], swiftSettings: swift5),
        .testTarget(name: "CognitoSyncLuaTests", dependencies: ["CognitoSyncLua", "CLua"], swiftSettings: swift5),
        .testTarget(
            name: "CognitoSyncLocalTests", dependencies: ["CognitoSyncLocal", "CognitoSyncModel"], swiftSettings: swift5
        ),
    ]
)
