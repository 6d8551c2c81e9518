/// A response ready to be written: status, JSON body and, for errors, the error code.
struct EndpointResponse {
    static let errorTypeSuffix = ":http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"

    var status: Int
    var body: [UInt8]
    var errorCode: String?

    static func success(_ body: [UInt8]) -> EndpointResponse {
        EndpointResponse(status: 200, body: body, errorCode: nil)
    }

    static func failure(_ error: ServiceError) -> EndpointResponse {
        EndpointResponse(
            status: error.status, body: SyncService.encode(ResponseBody.ErrorBody(message: error.message)),
            errorCode: error.code
        )
    }
}
