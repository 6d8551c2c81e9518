import XCTest

@testable import CognitoSync

final class XMLLeafReaderTests: XCTestCase {
    private func leaves(_ text: String) -> [String]? {
        XMLLeafReader.leaves(Array(text.utf8))?.map { $0.path.joined(separator: "/") + "=" + $0.text }
    }

    func testAnSTSAnswerIsReadLeafByLeaf() {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <Credentials>
                  <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
                  <SessionToken>a/b+c=</SessionToken>
                </Credentials>
                <AssumedRoleUser attr='x>y'><Arn>arn:aws:sts::1:assumed-role/r/s</Arn></AssumedRoleUser>
                <Empty/>
              </AssumeRoleResult>
            </AssumeRoleResponse>
            """
        XCTAssertEqual(leaves(body), [
            "AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId=ASIAEXAMPLE",
            "AssumeRoleResponse/AssumeRoleResult/Credentials/SessionToken=a/b+c=",
            "AssumeRoleResponse/AssumeRoleResult/AssumedRoleUser/Arn=arn:aws:sts::1:assumed-role/r/s",
            "AssumeRoleResponse/AssumeRoleResult/Empty=",
        ])
    }

    func testEntitiesCharacterReferencesAndCDATAAreDecoded() {
        XCTAssertEqual(leaves("<E><Message>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x4E2D;</Message></E>"),
                       ["E/Message=a & b <c> \"d\" 'e' é中"])
        XCTAssertEqual(leaves("<E><M><![CDATA[<not> & markup]]></M></E>"), ["E/M=<not> & markup"])
    }

    func testDocumentsThatAreNotWellFormedAreRefused() {
        for bad in ["", "plain text", "<A>", "<A></B>", "<A><B></A></B>", "<A>&unknown;</A>", "<A>&amp</A>",
                    "<A></A><B></B>", "<A></A>trailing", "<!DOCTYPE a [<!ENTITY x \"y\">]><A>&x;</A>", "<A x='1></A>",
                    "<A>&#xD800;</A>", "<A><!-- open</A>", "<A><![CDATA[ open</A>"] {
            XCTAssertNil(leaves(bad), bad)
        }
        XCTAssertNil(XMLLeafReader.leaves([0x3C, 0x41, 0x3E, 0xFF, 0x3C, 0x2F, 0x41, 0x3E]), "invalid UTF-8")
    }

    func testAnErrorResponseGivesItsCodeAndMessage() {
        let body = Array("""
            <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>
            <Message>User: x is not authorized &amp; so on</Message></Error><RequestId>r</RequestId></ErrorResponse>
            """.utf8)
        let response = STSResponse(body)
        XCTAssertEqual(response?.errorCode, "AccessDenied")
        XCTAssertEqual(response?.errorMessage, "User: x is not authorized & so on")
        XCTAssertNil(STSResponse(Array("<ErrorResponse>".utf8)))
    }
}
