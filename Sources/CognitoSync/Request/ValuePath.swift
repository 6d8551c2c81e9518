/// Paths to values inside parameters and responses, as Lua code would index them:
/// `params.RecordPatches[2].Op`, `response.Events["SyncTrigger"]`.
public enum ValuePath {
    /// The path of a structure member: `.Name`, or `["name"]` when the name is not a Lua identifier.
    public static func member(_ base: String, _ name: String) -> String {
        isIdentifier(name) ? "\(base).\(name)" : key(base, name)
    }

    /// The path of a map entry: `["key"]`, with the key quoted as a Lua string literal.
    static func key(_ base: String, _ key: String) -> String {
        var quoted = "\""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    quoted += "\\\(scalar.value)"
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return "\(base)[\(quoted)\"]"
    }

    private static func isIdentifier(_ name: String) -> Bool {
        // Runs for every member of every request, so it reads the UTF-8 bytes without allocating.
        var first = true
        for byte in name.utf8 {
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            let digit = byte >= 0x30 && byte <= 0x39
            guard letter || (digit && !first) else { return false }
            first = false
        }
        return !first
    }

    /// The path of the element at a Lua table `position` (from 1), whatever integer the key is.
    public static func position(_ base: String, _ position: Int64) -> String {
        "\(base)[\(position)]"
    }

    /// The path of a list element; `index` counts from 0 and the path from 1, as Lua does.
    static func index(_ base: String, _ index: Int) -> String {
        "\(base)[\(index + 1)]"
    }
}
