import Foundation
import SigV4

/// A request signed by botocore, as written by `Fixtures/botocore/sign_with_botocore.py`.
struct BotocoreVector: Decodable {
    struct Keys: Decodable {
        let accessKeyId: String
        let secretAccessKey: String
        let sessionToken: String?
    }
    struct Result: Decodable {
        let canonicalRequest: String
        let stringToSign: String
        let addedHeaders: [[String]]
        let authorization: String
        let url: String
    }

    let name: String
    let method: String
    let scheme: String
    let host: String
    let path: String
    let query: [[String]]
    let headers: [[String]]
    let body: String
    let credentials: Keys
    let service: String
    let region: String
    let date: String
    let contentSHA256Header: Bool
    let botocore: Result

    static var folder: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/botocore")
    }

    static func decode(_ data: Data) throws -> [BotocoreVector] {
        try JSONDecoder().decode([BotocoreVector].self, from: data)
    }

    var signer: SigV4Signer {
        SigV4Signer(service: service, region: region, addsContentSHA256Header: contentSHA256Header)
    }

    var signingCredentials: Credentials {
        Credentials(
            accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
            sessionToken: credentials.sessionToken
        )
    }

    var signingDate: Date {
        ISO8601DateFormatter().date(from: date)!
    }

    var queryPairs: [(String, String)] {
        query.map { ($0[0], $0[1]) }
    }

    /// The headers as the client sends them, `Host` included (botocore derives it from the URL).
    var requestHeaders: [(String, String)] {
        [("Host", host)] + headers.map { ($0[0], $0[1]) }
    }
}
