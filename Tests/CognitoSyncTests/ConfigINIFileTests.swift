import XCTest

@testable import CognitoSync

final class ConfigINIFileTests: XCTestCase {
    func testSectionsKeysAndComments() throws {
        let file = try INIFile.parse(
            """
            # leading comment
            ; another
            [default]
            region = us-east-1
              # indented comment
            Output=json
            note = keep # this is not a comment
            colon: value:with:colons
            url = http://localhost:4566
            empty =

            [profile dev]
            region=eu-west-1\r
            """
        )
        XCTAssertEqual(file.sectionNames, ["default", "profile dev"])
        let defaults = try XCTUnwrap(file.sections["default"])
        XCTAssertEqual(defaults["region"], .text("us-east-1"))
        XCTAssertEqual(defaults["output"], .text("json"), "keys are case-insensitive")
        XCTAssertEqual(defaults["note"], .text("keep # this is not a comment"))
        XCTAssertEqual(defaults["colon"], .text("value:with:colons"))
        XCTAssertEqual(defaults["url"], .text("http://localhost:4566"))
        XCTAssertEqual(defaults["empty"], .text(""))
        XCTAssertEqual(file.sections["profile dev"]?["region"], .text("eu-west-1"))
    }

    func testSubsectionsAndContinuationLines() throws {
        let file = try INIFile.parse(
            """
            [services local]
            cognito_sync =
              endpoint_url = http://127.0.0.1:4566

              other_key = x = y
            s3 =
                addressing_style = path
            [default]
            long = first
               second
            """
        )
        XCTAssertEqual(
            file.sections["services local"]?["cognito_sync"],
            .subsection(["endpoint_url": "http://127.0.0.1:4566", "other_key": "x = y"])
        )
        XCTAssertEqual(file.sections["services local"]?["s3"], .subsection(["addressing_style": "path"]))
        XCTAssertEqual(file.sections["default"]?["long"], .text("first\nsecond"))
    }

    func testRepeatedSectionsMergeAndLaterValuesWin() throws {
        let file = try INIFile.parse("[a]\nx = 1\ny = 2\n[b]\nz = 3\n[a]\nx = 9\n")
        XCTAssertEqual(file.sectionNames, ["a", "b"])
        XCTAssertEqual(file.sections["a"], ["x": .text("9"), "y": .text("2")])
    }

    func testErrorsNameTheLineButNotItsText() {
        XCTAssertThrowsError(try INIFile.parse("aws_secret_access_key = s3cr3t\n[default]\n")) { error in
            XCTAssertEqual(
                error as? INIFile.ParseError,
                INIFile.ParseError(line: 1, reason: "a setting appears before any [section] header")
            )
        }
        XCTAssertThrowsError(try INIFile.parse("[default]\n\nwJalrXUtnFEMI\n")) { error in
            XCTAssertEqual(error as? INIFile.ParseError, INIFile.ParseError(line: 3, reason: "expected 'name = value'"))
        }
        XCTAssertThrowsError(try INIFile.parse("[services x]\ncognito_sync =\n  endpoint_url\n")) { error in
            XCTAssertEqual((error as? INIFile.ParseError)?.line, 3)
        }
    }
}
