import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Sessions are signed tokens, not state: two directors with one `secret` (a cluster behind one
/// name) keep each other's sessions on their mirror, and a director with another secret does not.
@Suite struct SharedSecretTests {
    @Test func directorsWithOneSecretKeepEachOthersSessions() async throws {
        try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
            let config = Harness.config(Harness.reals(farm))
            try await Harness.withDirector(config) { a in
                // One session per mirror, made on a.
                var cookies: [String: String] = [:]
                for id in ["m0", "m1", "m2"] {
                    let cookie: String = try #require(try await TestHTTPClient.get(a.url + "/~\(id)/").sessionCookie)
                    cookies[id] = cookie
                }
                try await Harness.withDirector(config) { b in
                    // b's own rotation would start at m0: asking for m2's session first tells the two apart.
                    for id in ["m2", "m1", "m0"] {
                        let answer = try await TestHTTPClient.get(b.url + "/files/README.txt", cookie: cookies[id])
                        #expect(Harness.realID(of: answer.location, in: farm) == id, "\(answer.location ?? "no Location")")
                        // The renewed token still names the same mirror.
                        #expect(answer.sessionCookie?.contains(".\(id).") == true, "\(answer.sessionCookie ?? "no cookie")")
                    }
                }
                var other = config
                other.secret = "another-secret-0123456789"
                try await Harness.withDirector(other) { c in
                    let answer = try await TestHTTPClient.get(c.url + "/files/README.txt", cookie: cookies["m2"])
                    #expect(Harness.realID(of: answer.location, in: farm) == "m0", "a token signed with another secret is a new session")
                }
            }
        }
    }
}
