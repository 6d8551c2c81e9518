/// The parts of a SigV4 `Authorization` header value:
/// `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date,
/// Signature=...`.
struct AuthorizationHeader {
    let algorithm: String
    let credential: String?
    let signedHeaders: String?
    let signature: String?

    var isAlgorithmSupported: Bool { algorithm == SigV4Signer.algorithm }

    init(_ value: String) {
        let trimmed = value.drop { $0 == " " }
        let algorithmEnd = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        algorithm = String(trimmed[..<algorithmEnd])
        var parameters = [String: String]()
        for piece in trimmed[algorithmEnd...].split(separator: ",") {
            let field = piece.drop { $0 == " " }
            guard let equals = field.firstIndex(of: "=") else {
                continue
            }
            let name = String(field[..<equals])
            if parameters[name] == nil {
                parameters[name] = String(field[field.index(after: equals)...]).trimmingTrailingSpaces()
            }
        }
        credential = parameters["Credential"].flatMap { $0.isEmpty ? nil : $0 }
        signedHeaders = parameters["SignedHeaders"].flatMap { $0.isEmpty ? nil : $0 }
        signature = parameters["Signature"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " {
            text = text.dropLast()
        }
        return String(text)
    }
}
