import Foundation

/// The JSON shapes of the service's responses, and the request structures the service keeps.
///
/// Property names are the service model's member names. Responses are written by `Wire+JSON.swift`, which leaves
/// absent optionals out; request structures are read from validated input by `Wire+Input.swift`.
enum Wire {
    struct Dataset: JSONWritable {
        var CreationDate: Double?
        var DataStorage: Int64?
        var DatasetName: String?
        var IdentityId: String?
        var LastModifiedBy: String?
        var LastModifiedDate: Double?
        var NumRecords: Int64?
    }

    struct Record: JSONWritable {
        var DeviceLastModifiedDate: Double?
        var Key: String
        var LastModifiedBy: String?
        var LastModifiedDate: Double?
        var SyncCount: Int64
        var Value: String?
    }

    struct IdentityPoolUsage: JSONWritable {
        var DataStorage: Int64
        var IdentityPoolId: String
        var LastModifiedDate: Double?
        var SyncSessionsCount: Int64
    }

    struct IdentityUsage: JSONWritable {
        var DataStorage: Int64
        var DatasetCount: Int
        var IdentityId: String
        var IdentityPoolId: String
        var LastModifiedDate: Double?
    }

    struct PushSync: Codable, Equatable, JSONWritable {
        var ApplicationArns: [String]?
        var RoleArn: String?
    }

    struct CognitoStreams: Codable, Equatable, JSONWritable {
        var RoleArn: String?
        var StreamName: String?
        var StreamingStatus: String?
    }

    struct DatasetResponse: JSONWritable {
        var Dataset: Dataset
    }

    struct ListDatasetsResponse: JSONWritable {
        var Count: Int
        var Datasets: [Dataset]
        var NextToken: String?
    }

    struct ListIdentityPoolUsageResponse: JSONWritable {
        var Count: Int
        var IdentityPoolUsages: [IdentityPoolUsage]
        var MaxResults: Int
        var NextToken: String?
    }

    struct ListRecordsResponse: JSONWritable {
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

    struct UpdateRecordsResponse: JSONWritable {
        var Records: [Record]
    }

    struct IdentityPoolUsageResponse: JSONWritable {
        var IdentityPoolUsage: IdentityPoolUsage
    }

    struct IdentityUsageResponse: JSONWritable {
        var IdentityUsage: IdentityUsage
    }

    struct BulkPublishResponse: JSONWritable {
        var IdentityPoolId: String
    }

    struct GetBulkPublishDetailsResponse: JSONWritable {
        var BulkPublishCompleteTime: Double?
        var BulkPublishStartTime: Double?
        var BulkPublishStatus: String
        var FailureMessage: String?
        var IdentityPoolId: String
    }

    struct EventsResponse: JSONWritable {
        var Events: [String: String]
    }

    struct ConfigurationResponse: JSONWritable {
        var CognitoStreams: CognitoStreams?
        var IdentityPoolId: String
        var PushSync: PushSync?
    }

    struct RegisterDeviceResponse: JSONWritable {
        var DeviceId: String
    }

    struct ErrorBody: JSONWritable {
        var message: String
    }
}
