#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An AWS partition: which regions belong to it and the DNS suffixes of its endpoints.
struct Partition: Equatable {
    let id: String
    let dnsSuffix: String
    let dualStackDnsSuffix: String
    let regionPattern: String
    let regions: Set<String>

    /// The partitions of the AWS endpoint rules, `aws` first because it is the fallback.
    static let all = [
        Partition(
            id: "aws", dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws",
            regionPattern: #"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$"#, regions: []
        ),
        Partition(
            id: "aws-cn", dnsSuffix: "amazonaws.com.cn", dualStackDnsSuffix: "api.amazonwebservices.com.cn",
            regionPattern: #"^cn\-\w+\-\d+$"#, regions: ["aws-cn-global"]
        ),
        Partition(
            id: "aws-eusc", dnsSuffix: "amazonaws.eu", dualStackDnsSuffix: "api.amazonwebservices.eu",
            regionPattern: #"^eusc\-(de)\-\w+\-\d+$"#, regions: []
        ),
        Partition(
            id: "aws-iso", dnsSuffix: "c2s.ic.gov", dualStackDnsSuffix: "api.aws.ic.gov",
            regionPattern: #"^us\-iso\-\w+\-\d+$"#, regions: ["aws-iso-global"]
        ),
        Partition(
            id: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", dualStackDnsSuffix: "api.aws.scloud",
            regionPattern: #"^us\-isob\-\w+\-\d+$"#, regions: ["aws-iso-b-global"]
        ),
        Partition(
            id: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", dualStackDnsSuffix: "api.cloud-aws.adc-e.uk",
            regionPattern: #"^eu\-isoe\-\w+\-\d+$"#, regions: ["aws-iso-e-global"]
        ),
        Partition(
            id: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov", dualStackDnsSuffix: "api.aws.hci.ic.gov",
            regionPattern: #"^us\-isof\-\w+\-\d+$"#, regions: ["aws-iso-f-global"]
        ),
        Partition(
            id: "aws-us-gov", dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws",
            regionPattern: #"^us\-gov\-\w+\-\d+$"#, regions: ["aws-us-gov-global"]
        ),
    ]

    /// The partition of a region: a listed global region first, then the region patterns, else `aws`.
    static func of(region: String) -> Partition {
        if let listed = all.first(where: { $0.regions.contains(region) }) {
            return listed
        }
        return all.first { $0.matches(region) } ?? all[0]
    }

    private func matches(_ region: String) -> Bool {
        (try? Regex(regionPattern)).map { region.contains($0) } ?? false
    }
}
