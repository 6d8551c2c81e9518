/// A response ready to be written: status, JSON body, the service that answers and, for errors, the error code.
struct EndpointResponse {
    var status: Int
    var body: [UInt8]
    var errorCode: String?
    var service: LocalService = .sync

    static func success(_ body: [UInt8], service: LocalService = .sync) -> EndpointResponse {
        EndpointResponse(status: 200, body: body, errorCode: nil, service: service)
    }

    /// An error as `service` answers it. Cognito Identity names the error in the body too, and answers each error of
    /// its model with the model's status (400, and 500 for InternalErrorException, as its API reference documents), a
    /// throttle included; the errors of the endpoint's own machinery (authentication, sizes, an unknown operation)
    /// keep their status.
    static func failure(_ error: ServiceError, service: LocalService = .sync) -> EndpointResponse {
        switch service {
        case .sync:
            return EndpointResponse(
                status: error.status, body: SyncService.encode(ResponseBody.ErrorBody(message: error.message)),
                errorCode: error.code, service: service
            )
        case .identity:
            let status = service.model.errors[error.code] ?? error.status
            let body = IdentityResponseBody.ErrorBody(__type: error.code, message: error.message)
            return EndpointResponse(status: status, body: SyncService.encode(body), errorCode: error.code,
                                    service: service)
        }
    }
}
