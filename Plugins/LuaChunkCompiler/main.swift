// Compiles Lua files into the chunks `lua_dump` writes, with the Lua library the host links, and writes them out as
// Swift byte arrays (for the LuaChunks build plugin). A Lua state then loads the module's Lua half without parsing
// its source: parsing lua/tasks.lua took about 0.6 ms of every start.
//
// Usage: LuaChunkCompiler OUTPUT.swift (PROPERTY CHUNKNAME FILE)...
// Each chunk keeps its debug information, so messages and tracebacks name CHUNKNAME and the file's lines as the
// source would.
import CLua
import Glibc

func fail(_ message: String) -> Never {
    fputs("LuaChunkCompiler: \(message)\n", stderr)
    exit(1)
}

func contents(of path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes += buffer[0..<count]
    }
    if ferror(file) != 0 { fail("cannot read \(path)") }
    return bytes
}

func compile(_ source: [UInt8], chunkName: String, path: String) -> [UInt8] {
    guard let L = luaL_newstate() else { fail("cannot create a Lua state") }
    defer { lua_close(L) }
    let status = source.withUnsafeBufferPointer { bytes in
        bytes.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(L, $0.baseAddress, $0.count, chunkName, "t") }
    }
    guard status == LUA_OK else { fail("\(path): \(String(cString: lua_tolstring(L, -1, nil)))") }
    var chunk: [UInt8] = []
    let dumped = withUnsafeMutablePointer(to: &chunk) { out in
        lua_dump(L, { _, data, size, chunk in
            chunk!.assumingMemoryBound(to: [UInt8].self).pointee += UnsafeRawBufferPointer(start: data, count: size)
            return 0
        }, out, 0)
    }
    guard dumped == 0, !chunk.isEmpty else { fail("\(path): lua_dump failed") }
    return chunk
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first, (arguments.count - 1) % 3 == 0, arguments.count > 1 else {
    fail("usage: LuaChunkCompiler OUTPUT.swift (PROPERTY CHUNKNAME FILE)...")
}
var text = """
    // Generated at build time by LuaChunkCompiler (the LuaChunks build plugin) from the target's lua/ folder.
    // Do not edit: change the Lua file, and the next build compiles it again.

    /// A precompiled Lua file: its bytes, and the chunk name they carry (given again to `lua_load`, which uses it
    /// only in the message when the bytes do not load).
    struct LuaChunk {
        let name: String
        let bytes: [UInt8]
    }

    /// The module's Lua files as precompiled chunks, for the Lua library this binary links.
    enum LuaChunks {

    """
var rest = Array(arguments.dropFirst())
while !rest.isEmpty {
    let (property, chunkName, path) = (rest[0], rest[1], rest[2])
    rest.removeFirst(3)
    let chunk = compile(contents(of: path), chunkName: chunkName, path: path)
    text += "    /// `\(path.split(separator: "/").suffix(2).joined(separator: "/"))`, loaded as \"\(chunkName)\".\n"
    text += "    static let \(property) = LuaChunk(name: \"\(chunkName)\", bytes: [\n"
    for start in stride(from: 0, to: chunk.count, by: 24) {
        text += "        " + chunk[start..<min(start + 24, chunk.count)].map { String($0) }.joined(separator: ", ") + ",\n"
    }
    text += "    ])\n"
}
text += "}\n"
guard let file = fopen(output, "wb"), fputs(text, file) >= 0, fclose(file) == 0 else { fail("cannot write \(output)") }
