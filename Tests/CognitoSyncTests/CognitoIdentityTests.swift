import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

/// Cognito Identity in the client core: its model, AWS JSON 1.1 requests, its errors, its endpoint and which of
/// its operations a dry run holds back.
final class CognitoIdentityTests: ConfigTests {
    private let identity = ServiceModel.cognitoIdentity

    private func operation(_ name: String) throws -> CognitoSyncModel.Operation {
        try XCTUnwrap(identity.operation(named: name))
    }

    func testModelNamesAndLookups() throws {
        XCTAssertEqual(identity.operations.count, 23)
        XCTAssertEqual(identity.signingName, "cognito-identity")
        XCTAssertEqual(identity.endpointPrefix, "cognito-identity")
        XCTAssertEqual(identity.module, "cognitoidentity")
        XCTAssertEqual(identity.configKey, "cognito_identity")
        XCTAssertEqual(ServiceModel.cognitoSync.configKey, "cognito_sync")
        XCTAssertEqual(ServiceModel.named(module: "cognitoidentity")?.serviceId, "Cognito Identity")
        XCTAssertEqual(ServiceModel.named(module: "cognitosync")?.serviceId, "Cognito Sync")
        XCTAssertNil(ServiceModel.named(module: "cognito"))
        for service in ServiceModel.all {
            XCTAssertTrue(ServiceModel.named(module: service.module) === service, service.module)
        }
        XCTAssertNil(ServiceModel.cognitoSync.operation(named: "listIdentities"), "each service has its own operations")
        XCTAssertEqual(try operation("listIdentities").name, "ListIdentities")
        XCTAssertEqual(identity.pagedItems["listIdentities"], "Identities")
        XCTAssertEqual(identity.pagedItems["listIdentityPools"], "IdentityPools")
        XCTAssertEqual(identity.pagedItems["lookupDeveloperIdentity"], "DeveloperUserIdentifierList")
        // The AWS JSON model gives no statuses: 400, and 500 for the fault.
        XCTAssertEqual(identity.errors["ResourceNotFoundException"], 400)
        XCTAssertEqual(identity.errors["InternalErrorException"], 500)
    }

    func testUnsignedOperationsAreThoseTheModelSendsWithoutAuth() {
        XCTAssertEqual(identity.operations.filter { !$0.signed }.map(\.name).sorted(),
                       ["GetCredentialsForIdentity", "GetId", "GetOpenIdToken", "UnlinkIdentity"])
        XCTAssertTrue(ServiceModel.cognitoSync.operations.allSatisfy(\.signed))
    }

    func testRequestsAreAWSJSON() throws {
        let listIdentities = try operation("listIdentities")
        XCTAssertEqual(listIdentities.wire, .awsJSON(version: "1.1", target: "AWSCognitoIdentityService.ListIdentities"))
        let params = try JSONParser.parse(#"{"IdentityPoolId": "us-east-1:0a", "MaxResults": 60, "HideDisabled": true}"#)
        let request = listIdentities.serialize(try listIdentities.prepare(params: params))
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/")
        XCTAssertTrue(request.query.isEmpty)
        XCTAssertEqual(request.headers.map(\.0), ["X-Amz-Target", "Content-Type"])
        XCTAssertEqual(request.headers.map(\.1),
                       ["AWSCognitoIdentityService.ListIdentities", "application/x-amz-json-1.1"])
        XCTAssertEqual(try JSONParser.parse(request.body), params)
    }

    func testAnEmptyInputIsAnEmptyObject() throws {
        let describe = try operation("describeIdentityPool")
        XCTAssertEqual(describe.serialize(.map([])).body, Array("{}".utf8))
    }

    func testErrorCodeComesFromTheQualifiedType() throws {
        let body = #"{"__type": "com.amazonaws.cognito.identity.model#ResourceNotFoundException", "message": "gone"}"#
        let result = try operation("describeIdentity").parseResponse(
            status: 400, headers: [("x-amzn-RequestId", "r-1")], body: Array(body.utf8))
        guard case .failure(let error) = result else { return XCTFail("expected an error") }
        XCTAssertEqual(error.code, "ResourceNotFoundException")
        XCTAssertEqual(error.message, "gone")
        XCTAssertEqual(error.requestId, "r-1")
    }

    func testReadsAreNotHeldBackByADryRun() throws {
        let mutating = identity.operations.filter(\.isMutating).map(\.name)
        XCTAssertEqual(Set(mutating), [
            "CreateIdentityPool", "DeleteIdentities", "DeleteIdentityPool", "GetId", "GetOpenIdTokenForDeveloperIdentity",
            "MergeDeveloperIdentities", "SetIdentityPoolRoles", "SetPrincipalTagAttributeMap", "TagResource",
            "UnlinkDeveloperIdentity", "UnlinkIdentity", "UntagResource", "UpdateIdentityPool",
        ])
        XCTAssertEqual(ServiceModel.cognitoSync.operations.filter { !$0.isMutating }.map(\.name).sorted(), [
            "DescribeDataset", "DescribeIdentityPoolUsage", "DescribeIdentityUsage", "GetBulkPublishDetails",
            "GetCognitoEvents", "GetIdentityPoolConfiguration", "ListDatasets", "ListIdentityPoolUsage", "ListRecords",
        ])
    }

    func testEndpointOfTheService() throws {
        let base = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "eu-west-1"]
        func endpoint(_ env: [String: String] = [:], fips: Bool? = nil) throws -> String {
            try resolve(settings { $0.service = .cognitoIdentity; $0.useFIPS = fips },
                        base.merging(env) { _, new in new }).endpoint
        }
        XCTAssertEqual(try endpoint(), "https://cognito-identity.eu-west-1.amazonaws.com")
        XCTAssertEqual(try endpoint(fips: true), "https://cognito-identity-fips.eu-west-1.amazonaws.com")
        XCTAssertEqual(try endpoint(["AWS_ENDPOINT_URL_COGNITO_IDENTITY": "http://identity:1",
                                     "AWS_ENDPOINT_URL_COGNITO_SYNC": "http://sync:2"]), "http://identity:1")
        XCTAssertEqual(try endpoint(["AWS_ENDPOINT_URL_COGNITO_SYNC": "http://sync:2"]),
                       "https://cognito-identity.eu-west-1.amazonaws.com")
        try writeConfig("""
            [default]
            services = local
            [services local]
            cognito_sync =
              endpoint_url = http://sync:3
            cognito_identity =
              endpoint_url = http://identity:4
            """)
        XCTAssertEqual(try endpoint(), "http://identity:4")
        XCTAssertEqual(try resolve(ClientSettings(), base).endpoint, "http://sync:3")
        XCTAssertEqual(try resolve(settings { $0.service = .cognitoIdentity }, base).service.module, "cognitoidentity")
    }

    func testDescribeNamesTheTargetAndUnsignedOperations() throws {
        let text = try operation("getId").describe(in: identity)
        XCTAssertTrue(text.hasPrefix("getId (GetId)\nPOST / (X-Amz-Target: AWSCognitoIdentityService.GetId), unsigned\n"),
                      text)
        XCTAssertTrue(text.contains("Errors: "), text)
        XCTAssertTrue(text.contains("ResourceNotFoundException (400)"), text)
        let all = identity.describeAll()
        XCTAssertTrue(all.hasPrefix("Amazon Cognito Identity (API 2014-06-30), 23 operations:\n"), all)
        XCTAssertTrue(all.contains("  listIdentities "), all)
        XCTAssertTrue(all.contains("POST   / AWSCognitoIdentityService.ListIdentities\n"), all)
    }
}
