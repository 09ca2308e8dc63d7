import Testing
@testable import MirrorscopeDirector

@Suite struct SessionTokenTests {
    let signer = SessionSigner(secret: "a-secret-of-sixteen+")
    let now: Int64 = 1_700_000_000

    @Test func roundTrip() {
        let token = SessionToken(serverID: "de-1", expiry: now + 60)
        let text = signer.sign(token)
        #expect(text.hasPrefix("1.de-1.\(now + 60)."))
        #expect(signer.verify(Substring(text), now: now) == token)
    }

    @Test func expiredTokensAreRefused() {
        let text = signer.sign(SessionToken(serverID: "de1", expiry: now))
        #expect(signer.verify(Substring(text), now: now) == nil)
        #expect(signer.verify(Substring(text), now: now - 1) != nil)
    }

    @Test func anotherSecretsTokensAreRefused() {
        let text = SessionSigner(secret: "another-secret-of-16").sign(SessionToken(serverID: "de1", expiry: now + 60))
        #expect(signer.verify(Substring(text), now: now) == nil)
    }

    @Test func tamperedTokensAreRefused() {
        let text = signer.sign(SessionToken(serverID: "de1", expiry: now + 60))
        let mac = text.split(separator: ".").last!
        let forgedServer = "1.fr1.\(now + 60).\(mac)"
        let forgedExpiry = "1.de1.\(now + 6000).\(mac)"
        var flipped = Array(text)
        flipped[flipped.count - 1] = flipped.last == "0" ? "1" : "0"
        for forged in [forgedServer, forgedExpiry, String(flipped), String(text.dropLast(2)), text + "00"] {
            #expect(signer.verify(Substring(forged), now: now) == nil, "\(forged)")
        }
    }

    @Test(arguments: ["", "garbage", "1.de1", "1.de1.x.00", "2.de1.9999999999.00", "1.d e.9999999999.00",
                      "1..9999999999.00", "1.de1.-5.00", "1.de1.99999999999999999.00"])
    func malformedTokensAreRefused(text: String) {
        #expect(signer.verify(Substring(text), now: now) == nil)
    }

    @Test func cookieValueIsFound() {
        #expect(SessionCookie.value(in: "a=1; mirrorscope_session=1.x.2.ab; b=2") == "1.x.2.ab")
        #expect(SessionCookie.value(in: "mirrorscope_session=tok") == "tok")
        #expect(SessionCookie.value(in: "mirrorscope_sessionx=1; other=2") == nil)
        #expect(SessionCookie.value(in: "") == nil)
    }

    @Test func setCookieIsNotSecureSoHTTPAndHTTPSShareIt() {
        let value = SessionCookie.setCookieValue(token: "t", maxAgeSeconds: 1800)
        #expect(value == "mirrorscope_session=t; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax")
    }
}
