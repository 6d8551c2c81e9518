import Foundation

/// The opaque NextToken of the list operations: the position after the last item of a page, tagged with
/// the listing it belongs to so a token cannot be replayed against another listing.
enum PageToken {
    static func encode(scope: [String], position: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [scope, position])) ?? Data()
        return Base64URL.encode(Array(data))
    }

    /// The position in `token`, or InvalidParameterException when it is not a token of this listing.
    static func decode(_ token: String, scope: [String]) throws -> [String] {
        guard let bytes = Base64URL.decode(token),
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
            let parts = object as? [[String]], parts.count == 2, parts[0] == scope
        else {
            throw ServiceError.invalidParameter("Invalid pagination token")
        }
        return parts[1]
    }
}
