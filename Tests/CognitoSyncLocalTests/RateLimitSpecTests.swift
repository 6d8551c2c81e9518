import XCTest

@testable import CognitoSyncLocal

final class RateLimitSpecTests: XCTestCase {
    func testARateAloneLimitsEveryRequest() throws {
        let spec = try RateLimitSpec(parsing: "20")
        XCTAssertNil(spec.operation)
        XCTAssertEqual(spec.requestsPerSecond, 20)
        XCTAssertEqual(spec.description, "20/s")
    }

    func testAnOperationNamedAsInTheModelIsLimitedAlone() throws {
        let spec = try RateLimitSpec(parsing: "UpdateRecords=0.5")
        XCTAssertEqual(spec.operation, .sync(.updateRecords))
        XCTAssertEqual(spec.operationName, "UpdateRecords")
        XCTAssertEqual(spec.requestsPerSecond, 0.5)
        XCTAssertEqual(spec.description, "UpdateRecords=0.5/s")
    }

    func testFractionalAndExponentRatesAreAccepted() throws {
        XCTAssertEqual(try RateLimitSpec(parsing: "0.001").requestsPerSecond, 0.001)
        XCTAssertEqual(try RateLimitSpec(parsing: "1e3").requestsPerSecond, 1000)
    }

    func testTheBurstIsATenthOfTheRateAndAtLeastOne() throws {
        XCTAssertEqual(try RateLimitSpec(parsing: "0.001").burst, 1)
        XCTAssertEqual(try RateLimitSpec(parsing: "5").burst, 1)
        XCTAssertEqual(try RateLimitSpec(parsing: "10").burst, 1)
        XCTAssertEqual(try RateLimitSpec(parsing: "50").burst, 5)
        XCTAssertEqual(try RateLimitSpec(parsing: "ListRecords=1000").burst, 100)
    }

    func testRatesThatAreNotFinitePositiveNumbersAreRefused() {
        let refused = ["abc", "", "0", "-1", "-0.5", "inf", "nan", "1e-400", "5/s", " 5"]
        for text in refused + ["UpdateRecords=", "UpdateRecords=0"] {
            XCTAssertThrowsError(try RateLimitSpec(parsing: text), text) { error in
                let message = (error as? RateLimitSpecError)?.message ?? ""
                XCTAssertTrue(message.hasSuffix("is not a rate in requests per second (a number above 0)"), message)
            }
        }
        XCTAssertThrowsError(try RateLimitSpec(parsing: "abc")) { error in
            XCTAssertEqual(
                (error as? RateLimitSpecError)?.message,
                "'abc' is not a rate in requests per second (a number above 0)"
            )
        }
    }

    func testUnknownOperationsAreRefusedWithTheKnownOnes() {
        for text in ["UpdateRecord=5", "updaterecords=5", "=5", "Nope=1"] {
            XCTAssertThrowsError(try RateLimitSpec(parsing: text), text) { error in
                let message = (error as? RateLimitSpecError)?.message ?? ""
                XCTAssertTrue(message.hasPrefix("unknown operation '"), message)
                XCTAssertTrue(message.contains("ListRecords, RegisterDevice"), message)
                XCTAssertTrue(message.contains("UnsubscribeFromDataset, UpdateRecords, CreateIdentityPool"), message)
                XCTAssertTrue(message.hasSuffix("UpdateIdentityPool)"), message)
            }
        }
    }

    func testCognitoIdentityOperationsCanBeLimited() throws {
        let spec = try RateLimitSpec(parsing: "GetId=2")
        XCTAssertEqual(spec.operation, .identity(.getId))
        XCTAssertEqual(spec.operationName, "GetId")
        XCTAssertEqual(spec.description, "GetId=2/s")
    }
}
