import Foundation
import SigV4

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads an STS (awsQuery protocol) XML response: the `Credentials` element of a success, or the `Error` element
/// of a failure.
struct STSResponse {
    /// Text of the leaf elements under `Credentials`, by element name.
    private(set) var credentialFields: [String: String] = [:]
    /// `Code` and `Message` of an `ErrorResponse`.
    private(set) var errorCode: String?
    private(set) var errorMessage: String?

    /// Parses a response body; `nil` when it is not well-formed XML.
    init?(_ body: [UInt8]) {
        let collector = Collector()
        let parser = XMLParser(data: Data(body))
        parser.delegate = collector
        guard parser.parse() else {
            return nil
        }
        credentialFields = collector.credentialFields
        errorCode = collector.errorFields["Code"]
        errorMessage = collector.errorFields["Message"]
    }

    /// The credentials of a successful response, or `nil` when a field is missing or malformed.
    var credentials: Credentials? {
        guard let key = credentialFields["AccessKeyId"], let secret = credentialFields["SecretAccessKey"],
            let token = credentialFields["SessionToken"], let expirationText = credentialFields["Expiration"],
            let expiration = ProcessCredentialSource.parseTimestamp(expirationText)
        else {
            return nil
        }
        return Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var credentialFields: [String: String] = [:]
        var errorFields: [String: String] = [:]
        private var path: [String] = []
        private var text = ""

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            path.append(elementName)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            let parent = path.count >= 2 ? path[path.count - 2] : ""
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if parent == "Credentials" {
                credentialFields[elementName] = value
            } else if parent == "Error" {
                errorFields[elementName] = value
            }
            path.removeLast()
            text = ""
        }
    }
}
