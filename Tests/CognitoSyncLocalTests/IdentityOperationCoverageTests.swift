import CognitoSyncModel
@testable import CognitoSyncLocal
import SigV4
import XCTest

/// Every Cognito Identity operation of the model is dispatched by its `X-Amz-Target` and has its input checked against
/// the model, through the path a signed HTTP request takes; the service's wire rules for errors and unsigned requests.
final class IdentityOperationCoverageTests: XCTestCase {
    private let credentials = Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "test-secret")

    private func makeCore() throws -> EndpointCore {
        try .inMemory(credentials: [(accessKeyId: credentials.accessKeyId, secret: credentials.secretAccessKey)])
    }

    private func send(
        _ core: EndpointCore, target: String, body: [UInt8] = Array("{}".utf8),
        signingName: String? = "cognito-identity"
    ) -> EndpointResponse {
        var headers = [
            ("Host", "localhost"), ("X-Amz-Target", "AWSCognitoIdentityService." + target),
            ("Content-Type", "application/x-amz-json-1.1"),
        ]
        if let signingName {
            headers += SigV4Signer(service: signingName, region: "us-east-1").sign(
                method: "POST", path: "/", query: [], headers: headers, body: body, credentials: credentials,
                date: Date()
            )
        }
        return core.respond(method: "POST", uri: "/", headers: headers, body: body)
    }

    private func body(_ response: EndpointResponse) throws -> Value {
        try JSONParser.parse(response.body)
    }

    func testEveryOperationChecksItsRequiredMembers() throws {
        let core = try makeCore()
        XCTAssertEqual(ServiceModel.cognitoIdentity.operations.count, IdentityOperation.allCases.count)
        for operation in ServiceModel.cognitoIdentity.operations {
            guard case .structure(let members, let required)? = operation.input?.kind else {
                XCTFail("\(operation.name): the input is not a structure")
                continue
            }
            let missing = members.filter { required.contains($0.name) }.map {
                "Value null at '\(ModelValidator.memberPath(nil, $0.name))' failed to satisfy constraint: "
                    + "Member must not be null"
            }
            XCTAssertFalse(missing.isEmpty, operation.name)
            let response = send(core, target: operation.name)
            XCTAssertEqual(response.status, 400, operation.name)
            XCTAssertEqual(response.errorCode, "InvalidParameterException", operation.name)
            XCTAssertEqual(response.service.contentType, "application/x-amz-json-1.1")
            let answer = try body(response)
            XCTAssertEqual(answer["__type"]?.stringValue, "InvalidParameterException", operation.name)
            let noun = missing.count == 1 ? "error" : "errors"
            XCTAssertEqual(
                answer["message"]?.stringValue,
                "\(missing.count) validation \(noun) detected: " + missing.joined(separator: "; "), operation.name)
        }
    }

    func testOnlyTheOperationsTheModelMarksMayGoUnsigned() throws {
        let core = try makeCore()
        for operation in ServiceModel.cognitoIdentity.operations {
            let response = send(core, target: operation.name, signingName: nil)
            if operation.signed {
                XCTAssertEqual(response.errorCode, "MissingAuthenticationTokenException", operation.name)
                XCTAssertEqual(response.status, 403, operation.name)
            } else {
                XCTAssertEqual(response.errorCode, "InvalidParameterException", operation.name)
            }
        }
        XCTAssertEqual(
            ServiceModel.cognitoIdentity.operations.filter { !$0.signed }.map(\.name),
            ["GetCredentialsForIdentity", "GetId", "GetOpenIdToken", "UnlinkIdentity"])
        let wrongService = send(core, target: "ListIdentityPools", signingName: "cognito-sync")
        XCTAssertEqual(wrongService.errorCode, "InvalidSignatureException")
    }

    func testUnknownTargetsAndServiceErrorsAreAnsweredAsTheServiceDoes() throws {
        let core = try makeCore()
        let unknown = send(core, target: "FlyToTheMoon")
        XCTAssertEqual(unknown.status, 400)
        XCTAssertEqual(try body(unknown)["__type"]?.stringValue, "UnknownOperationException")
        let missingPool = send(
            core, target: "DescribeIdentityPool", body: Array(#"{"IdentityPoolId": "us-east-1:0abc"}"#.utf8))
        XCTAssertEqual(missingPool.status, 400)
        XCTAssertEqual(missingPool.errorCode, "ResourceNotFoundException")
        let notEmulated = send(
            core, target: "GetOpenIdToken", body: Array(#"{"IdentityId": "us-east-1:0abc"}"#.utf8))
        XCTAssertEqual(notEmulated.status, 501)
        XCTAssertEqual(notEmulated.errorCode, "NotImplementedException")
    }

    func testErrorsTakeCognitoIdentitysStatuses() throws {
        for code in ServiceModel.cognitoIdentity.errors.keys {
            let status = code == "InternalErrorException" ? 500 : 400
            XCTAssertEqual(EndpointResponse.failure(.identity(code, "m"), service: .identity).status, status, code)
            XCTAssertEqual(EndpointResponse.failure(.identity(code, "m"), service: .identity).errorCode, code)
        }
        // Cognito Sync's 404 for an unknown pool and 429 for a throttle are Cognito Identity's 400.
        XCTAssertEqual(EndpointResponse.failure(.notFound("m"), service: .identity).status, 400)
        let throttled = EndpointResponse.failure(.tooManyRequests, service: .identity)
        XCTAssertEqual(throttled.status, 400)
        XCTAssertEqual(EndpointResponse.failure(.tooManyRequests, service: .sync).status, 429)
        // An error Cognito Identity's model does not have keeps its own status.
        XCTAssertEqual(EndpointResponse.failure(.bodyTooLarge(limit: 1 << 20), service: .identity).status, 413)
        XCTAssertEqual(EndpointResponse.failure(.internalError(), service: .identity).status, 500)
        XCTAssertEqual(try body(throttled)["__type"]?.stringValue, "TooManyRequestsException")
        XCTAssertEqual(try body(throttled)["message"]?.stringValue, "Rate exceeded")
        XCTAssertNil(try body(EndpointResponse.failure(.tooManyRequests, service: .sync))["__type"])
    }
}
