import XCTest

@testable import CognitoSyncLocal
@testable import CognitoSyncModel

final class ServiceErrorTests: XCTestCase {
    /// Every modelled error the endpoint answers with is one the model declares, with the model's status.
    func testModeledErrorsTakeTheModelsStatus() {
        let errors: [CognitoSyncLocal.ServiceError] = [
            .invalidParameter("m"), .notFound("m"), .conflict("m"), .limitExceeded("m"), .invalidConfiguration("m"),
            .duplicateRequest("m"), .alreadyStreamed("m"), .internalError(), .tooManyRequests,
        ]
        for error in errors {
            XCTAssertEqual(ServiceModel.cognitoSync.errors[error.code], error.status, error.code)
        }
        XCTAssertEqual(CognitoSyncLocal.ServiceError.conflict("m").status, 409)
        XCTAssertEqual(CognitoSyncLocal.ServiceError.tooManyRequests.status, 429)
    }
}
