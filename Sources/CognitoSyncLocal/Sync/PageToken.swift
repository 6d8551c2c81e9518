#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel

/// The opaque NextToken of the list operations: the position after the last item of a page, tagged with
/// the listing it belongs to so a token cannot be replayed against another listing.
enum PageToken {
    static func encode(scope: [String], position: [String]) -> String {
        let parts: Value = .list([.list(scope.map { .string($0) }), .list(position.map { .string($0) })])
        return Base64URL.encode(JSONWriter.write(parts))
    }

    /// The position in `token`, or InvalidParameterException when it is not a token of this listing.
    static func decode(_ token: String, scope: [String]) throws -> [String] {
        guard let bytes = Base64URL.decode(token), case let .list(parts)? = try? JSONParser.parse(bytes),
            parts.count == 2, strings(parts[0]) == scope, let position = strings(parts[1])
        else {
            throw ServiceError.invalidParameter("Invalid pagination token")
        }
        return position
    }

    /// The strings of a list of strings, else nil.
    private static func strings(_ value: Value) -> [String]? {
        guard case let .list(items) = value else { return nil }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : nil
    }
}
