import Foundation
import SigV4
import XCTest

/// One case folder of the SigV4 test suite: the request, its signing context and the expected header-mode results.
struct SuiteCase {
    struct Context: Decodable {
        struct Keys: Decodable {
            let access_key_id: String
            let secret_access_key: String
            let token: String?
        }
        let credentials: Keys
        let normalize: Bool
        let region: String
        let service: String
        let sign_body: Bool
        let timestamp: String
        let omit_session_token: Bool?
    }

    let name: String
    let context: Context
    let method: String
    let path: String
    let rawQuery: String
    let headers: [(String, String)]
    let body: [UInt8]
    let canonicalRequest: String
    let stringToSign: String
    let signature: String
    let signedRequest: String
    /// The request as the suite signed it, Authorization header included.
    let signed: Request

    static var root: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/sigv4")
    }

    static func allNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.path)
            .filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/context.json").path) }
            .sorted()
    }

    init(_ name: String) throws {
        self.name = name
        let folder = Self.root.appendingPathComponent(name)
        func text(_ file: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
        context = try JSONDecoder().decode(
            Context.self, from: Data(contentsOf: folder.appendingPathComponent("context.json")))
        canonicalRequest = try text("header-canonical-request.txt")
        stringToSign = try text("header-string-to-sign.txt")
        signature = try text("header-signature.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        signedRequest = try text("header-signed-request.txt")

        let request = Self.parse(try text("request.txt"))
        method = request.method
        path = request.path
        rawQuery = request.rawQuery
        headers = request.headers
        body = request.body
        signed = Self.parse(signedRequest)
    }

    /// A request as the suite writes it: the request line, headers (a line starting with white space continues the
    /// previous header's value) and, after an empty line, the body.
    struct Request {
        let method: String
        let path: String
        let rawQuery: String
        let headers: [(String, String)]
        let body: [UInt8]
    }

    static func parse(_ request: String) -> Request {
        let (head, body) =
            request.range(of: "\n\n").map {
                (String(request[..<$0.lowerBound]), String(request[$0.upperBound...]))
            } ?? (request, "")
        var lines = head.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let afterMethod = requestLine.index(after: requestLine.firstIndex(of: " ")!)
        let method = String(requestLine[..<requestLine.firstIndex(of: " ")!])
        let target = String(
            requestLine[afterMethod..<requestLine.range(of: " HTTP/1.1", options: .backwards)!.lowerBound])
        let path: String
        let rawQuery: String
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            rawQuery = String(target[target.index(after: question)...])
        } else {
            path = target
            rawQuery = ""
        }
        var headers = [(String, String)]()
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t" {
                // A folded continuation line belongs to the previous header's value.
                headers[headers.count - 1].1 += "\n" + line
            } else {
                let colon = line.firstIndex(of: ":")!
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        return Request(method: method, path: path, rawQuery: rawQuery, headers: headers, body: Array(body.utf8))
    }

    var credentials: Credentials {
        Credentials(
            accessKeyId: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
            sessionToken: context.credentials.token
        )
    }

    var date: Date {
        ISO8601DateFormatter().date(from: context.timestamp)!
    }

    /// The suite's paths are given decoded and encoded once for signing.
    var signer: SigV4Signer {
        SigV4Signer(
            service: context.service, region: context.region, doubleEncodePath: false,
            normalizePath: context.normalize, addsContentSHA256Header: context.sign_body,
            signsSessionToken: !(context.omit_session_token ?? false)
        )
    }

    /// The value of a header in the expected signed request.
    func signedRequestHeader(_ name: String) -> String? {
        for line in signedRequest.components(separatedBy: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return String(line[line.index(after: colon)...])
            }
        }
        return nil
    }
}
