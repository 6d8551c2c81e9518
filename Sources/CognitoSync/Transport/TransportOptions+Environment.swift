extension TransportOptions {
    /// Fills what the environment sets and the options left open, as the AWS CLI does: the proxy from
    /// `HTTPS_PROXY`/`https_proxy` (or `HTTP_PROXY`/`http_proxy` for an `http` endpoint, then `ALL_PROXY`),
    /// the hosts that bypass it from `NO_PROXY`/`no_proxy`, and the CA bundle from `AWS_CA_BUNDLE`. With none of the
    /// proxy variables set, the proxy is `""`: none.
    public mutating func applyEnvironment(_ environment: [String: String], endpoint: String) {
        if caBundle == nil, let bundle = environment["AWS_CA_BUNDLE"], !bundle.isEmpty { caBundle = bundle }
        guard proxy == nil else {
            // An explicit proxy is used for every host; curl would otherwise still read NO_PROXY itself.
            noProxy = ""
            return
        }
        let scheme = endpoint.lowercased().hasPrefix("http://") ? "http" : "https"
        let names = ["\(scheme)_proxy", "\(scheme.uppercased())_PROXY", "all_proxy", "ALL_PROXY"]
        guard let found = names.lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else {
            // Said outright, so curl does not look the variables up again for every request.
            proxy = ""
            noProxy = ""
            return
        }
        proxy = found
        noProxy = environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
    }
}
