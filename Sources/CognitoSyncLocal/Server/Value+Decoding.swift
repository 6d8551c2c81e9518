import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Value {
    /// The validated input read into one of the generated response structs, whose members have the model's names
    /// and types (an input shape that is also an output shape, such as IdentityPool or RoleMapping).
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(JSONWriter.write(self)))
        } catch {
            throw ServiceError.serialization("The request does not match the shape \(type)")
        }
    }
}
