import CognitoSyncModel

extension Operation {
    /// Reads an HTTP response to this operation.
    ///
    /// A 2xx response is parsed as JSON (an empty body is an empty result) and read by the output shape;
    /// a body that is not JSON or does not fit the shape gives `InvalidResponse` naming the field, e.g.
    /// `response.Records[1].SyncCount: expected integer, got string`. Any other status is an error: its
    /// code comes from the `x-amzn-ErrorType` header, else the body's `code`, `Code` or `__type` (cut at
    /// the first `:`, then after the last `#`), else `Http<status>`; its message from the body's `message`
    /// or `Message`, else the status line. `requestId` comes from `x-amzn-RequestId`.
    func parseResponse(status: Int, headers: [(String, String)], body: [UInt8]) -> Result<Value, ServiceError> {
        let sink = ValueSink()
        return readResponse(status: status, headers: headers, body: body, into: sink).map { sink.value }
    }

    /// Reads an HTTP response as `parseResponse` does, giving a 2xx response's output to `sink` (one value, pushed
    /// only when the whole body fits the shape) instead of returning it.
    public func readResponse(status: Int, headers: [(String, String)], body: [UInt8], into sink: any ResponseSink)
        -> Result<Void, ServiceError> {
        guard (200..<300).contains(status) else {
            return .failure(Self.serviceError(status: status, headers: headers, body: body,
                                              requestId: Self.requestId(headers)))
        }
        guard let output, !body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            _ = sink.beginStructure(Shape.emptyStructure)
            sink.end()
            return .success(())
        }
        do throws(ResponseReader.Failure) {
            try body.withUnsafeBufferPointer { bytes throws(ResponseReader.Failure) in
                try ResponseReader(sink: sink).read(bytes, shape: output, path: "response")
            }
            return .success(())
        } catch {
            sink.reset()
            let message: String
            switch error {
            case let .syntax(syntax): message = "response body is not valid JSON: \(syntax)"
            case let .mismatch(mismatch): message = mismatch.message
            }
            return .failure(ServiceError(code: "InvalidResponse", message: message, statusCode: status,
                                         requestId: Self.requestId(headers)))
        }
    }

    private static func requestId(_ headers: [(String, String)]) -> String? {
        HTTPHeader.value("x-amzn-RequestId", in: headers) ?? HTTPHeader.value("x-amz-request-id", in: headers)
    }

    static func serviceError(status: Int, headers: [(String, String)], body: [UInt8], requestId: String?)
        -> ServiceError {
        var code = HTTPHeader.value("x-amzn-ErrorType", in: headers).flatMap(sanitizeErrorCode)
        var message: String?
        if let json = try? JSONParser.parse(body), case .map = json {
            if code == nil {
                code = [json["code"], json["Code"], json["__type"]].lazy.compactMap { $0?.stringValue }
                    .compactMap(sanitizeErrorCode).first
            }
            message = [json["message"], json["Message"]].lazy.compactMap { $0?.stringValue }.first
        } else {
            let text = String(decoding: body, as: UTF8.self).split(whereSeparator: \.isWhitespace)
                .joined(separator: " ")
            if !text.isEmpty {
                message = HTTPStatus.summary(status) + ": " + String(text.prefix(200))
            }
        }
        let resolved = code ?? "Http\(status)"
        return ServiceError(
            code: resolved,
            message: message.flatMap { $0.isEmpty ? nil : $0 } ?? HTTPStatus.summary(status),
            statusCode: status,
            requestId: requestId,
            retryable: ServiceError.isRetryable(code: resolved, statusCode: status))
    }

    /// `Prefix#Code:http://...` → `Code`; `nil` when nothing is left.
    static func sanitizeErrorCode(_ raw: String) -> String? {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") {
            code = code[..<colon]
        }
        if let hash = code.lastIndex(of: "#") {
            code = code[code.index(after: hash)...]
        }
        let trimmed = code.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}

private extension Substring {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
