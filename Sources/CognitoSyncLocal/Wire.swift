import Foundation

/// The JSON shapes of the service's requests and responses.
///
/// Property names are the service model's member names, so the synthesised Codable conformances read and
/// write exactly the wire's keys. Absent optionals are left out of responses, as the service's SDKs expect
/// of a missing member.
enum Wire {
    struct Dataset: Encodable {
        var CreationDate: Double?
        var DataStorage: Int64?
        var DatasetName: String?
        var IdentityId: String?
        var LastModifiedBy: String?
        var LastModifiedDate: Double?
        var NumRecords: Int64?
    }

    struct Record: Encodable {
        var DeviceLastModifiedDate: Double?
        var Key: String
        var LastModifiedBy: String?
        var LastModifiedDate: Double?
        var SyncCount: Int64
        var Value: String?
    }

    struct IdentityPoolUsage: Encodable {
        var DataStorage: Int64
        var IdentityPoolId: String
        var LastModifiedDate: Double?
        var SyncSessionsCount: Int64
    }

    struct IdentityUsage: Encodable {
        var DataStorage: Int64
        var DatasetCount: Int
        var IdentityId: String
        var IdentityPoolId: String
        var LastModifiedDate: Double?
    }

    struct PushSync: Codable, Equatable {
        var ApplicationArns: [String]?
        var RoleArn: String?
    }

    struct CognitoStreams: Codable, Equatable {
        var RoleArn: String?
        var StreamName: String?
        var StreamingStatus: String?
    }

    struct RecordPatch: Decodable {
        var DeviceLastModifiedDate: Double?
        var Key: String?
        var Op: String?
        var SyncCount: Int64?
        var Value: String?
    }

    struct UpdateRecordsRequest: Decodable {
        var DeviceId: String?
        var RecordPatches: [RecordPatch]?
        var SyncSessionToken: String?
    }

    struct RegisterDeviceRequest: Decodable {
        var Platform: String?
        var Token: String?
    }

    struct SetCognitoEventsRequest: Decodable {
        var Events: [String: String]?
    }

    struct SetIdentityPoolConfigurationRequest: Decodable {
        var CognitoStreams: CognitoStreams?
        var PushSync: PushSync?
    }

    struct DatasetResponse: Encodable {
        var Dataset: Dataset
    }

    struct ListDatasetsResponse: Encodable {
        var Count: Int
        var Datasets: [Dataset]
        var NextToken: String?
    }

    struct ListIdentityPoolUsageResponse: Encodable {
        var Count: Int
        var IdentityPoolUsages: [IdentityPoolUsage]
        var MaxResults: Int
        var NextToken: String?
    }

    struct ListRecordsResponse: Encodable {
        var Count: Int
        var DatasetDeletedAfterRequestedSyncCount: Bool
        var DatasetExists: Bool
        var DatasetSyncCount: Int64
        var LastModifiedBy: String?
        var MergedDatasetNames: [String]?
        var NextToken: String?
        var Records: [Record]
        var SyncSessionToken: String
    }

    struct UpdateRecordsResponse: Encodable {
        var Records: [Record]
    }

    struct IdentityPoolUsageResponse: Encodable {
        var IdentityPoolUsage: IdentityPoolUsage
    }

    struct IdentityUsageResponse: Encodable {
        var IdentityUsage: IdentityUsage
    }

    struct BulkPublishResponse: Encodable {
        var IdentityPoolId: String
    }

    struct GetBulkPublishDetailsResponse: Encodable {
        var BulkPublishCompleteTime: Double?
        var BulkPublishStartTime: Double?
        var BulkPublishStatus: String
        var FailureMessage: String?
        var IdentityPoolId: String
    }

    struct EventsResponse: Encodable {
        var Events: [String: String]
    }

    struct ConfigurationResponse: Encodable {
        var CognitoStreams: CognitoStreams?
        var IdentityPoolId: String
        var PushSync: PushSync?
    }

    struct RegisterDeviceResponse: Encodable {
        var DeviceId: String
    }

    struct ErrorBody: Encodable {
        var message: String
    }
}
