import Foundation
import PackagePlugin

/// Compiles the Lua half of the `cognitosync` module (the target's `lua/` folder) into precompiled chunks the target
/// embeds, with the Lua library the host links, so a Lua state starts without parsing Lua source.
@main
struct LuaChunks: BuildToolPlugin {
    /// Each file's Swift property (in `LuaChunks`) and the chunk name its messages and tracebacks show.
    static let files = [
        (property: "tasks", chunkName: "=cognitosync.tasks", file: "tasks.lua"),
        (property: "cognitosync", chunkName: "=cognitosync", file: "cognitosync.lua"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SwiftSourceModuleTarget else { return [] }
        let folder = target.directoryURL.appending(path: "lua")
        let inputs = Self.files.map { folder.appending(path: $0.file) }
        let output = context.pluginWorkDirectoryURL.appending(path: "LuaChunks.swift")
        var arguments = [output.path]
        for (entry, input) in zip(Self.files, inputs) {
            arguments += [entry.property, entry.chunkName, input.path]
        }
        return [
            .buildCommand(
                displayName: "Compiling the Lua chunks of \(target.name)",
                executable: try context.tool(named: "LuaChunkCompiler").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
