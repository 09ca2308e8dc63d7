import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Redirect mode against simulated mirrors, over real HTTP on 127.0.0.1.
@Suite struct RedirectTests {
    @Test func aSessionStaysOnItsRealServerForTwentyRequests() async throws {
        try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
            try await Harness.withDirector(Harness.config(Harness.reals(farm))) { director in
                let first = try await TestHTTPClient.get(director.url + "/files/README.txt?lang=en")
                #expect(first.status == 302)
                let real = try #require(Harness.realID(of: first.location, in: farm))
                #expect(first.location == farm.url(ofMirror: real)! + "files/README.txt?lang=en")
                let cookie = try #require(first.sessionCookie)
                #expect(first.headers.first(name: "set-cookie")?.contains("Max-Age=1800") == true)

                for i in 0..<20 {
                    let next = try await TestHTTPClient.get(director.url + "/files/\(i).txt", cookie: cookie)
                    #expect(next.status == 302)
                    #expect(Harness.realID(of: next.location, in: farm) == real, "request \(i) went to \(next.location ?? "-")")
                }
                // The redirect leads to a mirror that serves the file.
                let served = try await TestHTTPClient.get(first.location!)
                #expect(served.status == 200)
                #expect(served.headers.first(name: "x-farm-mirror") == real)
            }
        }
    }

    @Test func newSessionsAreSpreadByWeight() async throws {
        try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
            var config = Harness.config(Harness.reals(farm, weights: ["m0": 2]))
            config.threads = 1 // one balancer, so that the spread is exact
            try await Harness.withDirector(config) { director in
                var counts: [String: Int] = [:]
                for _ in 0..<40 {
                    let response = try await TestHTTPClient.get(director.url + "/files/README.txt")
                    counts[Harness.realID(of: response.location, in: farm) ?? "?", default: 0] += 1
                }
                #expect(counts == ["m0": 20, "m1": 10, "m2": 10])
            }
        }
    }

    @Test func twoDirectorsSharingTheSecretKeepOneSessionOnOneServer() async throws {
        try await Harness.withFarm(["m0", "m1", "m2", "m3"]) { farm in
            try await Harness.withDirector(Harness.config(Harness.reals(farm))) { one in
                try await Harness.withDirector(Harness.config(Harness.reals(farm))) { two in
                    let first = try await TestHTTPClient.get(one.url + "/files/README.txt")
                    let real = try #require(Harness.realID(of: first.location, in: farm))
                    var cookie = try #require(first.sessionCookie)
                    for i in 0..<10 {
                        let director = i % 2 == 0 ? two : one
                        let response = try await TestHTTPClient.get(director.url + "/files/README.txt", cookie: cookie)
                        #expect(Harness.realID(of: response.location, in: farm) == real)
                        cookie = try #require(response.sessionCookie)
                    }
                }
            }
        }
    }

    @Test func aDirectedIdentifierPinsTheSession() async throws {
        try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
            try await Harness.withDirector(Harness.config(Harness.reals(farm))) { director in
                let pinned = try await TestHTTPClient.get(director.url + "/~m2/files/README.txt")
                #expect(pinned.status == 302)
                #expect(pinned.location == farm.url(ofMirror: "m2")! + "files/README.txt")
                let cookie = try #require(pinned.sessionCookie)
                for _ in 0..<5 {
                    let next = try await TestHTTPClient.get(director.url + "/files/x", cookie: cookie)
                    #expect(Harness.realID(of: next.location, in: farm) == "m2")
                }
                // It also moves an existing session.
                let moved = try await TestHTTPClient.get(director.url + "/~m1/", cookie: cookie)
                #expect(moved.location == farm.url(ofMirror: "m1"))
                let movedCookie = try #require(moved.sessionCookie)
                let after = try await TestHTTPClient.get(director.url + "/a", cookie: movedCookie)
                #expect(Harness.realID(of: after.location, in: farm) == "m1")

                let unknown = try await TestHTTPClient.get(director.url + "/~nobody/x")
                #expect(unknown.status == 404)
                #expect(unknown.location == nil)
            }
        }
    }

    @Test func forgedOrForeignTokensAreJustNewSessions() async throws {
        try await Harness.withFarm(["m0", "m1"]) { farm in
            var other = Harness.config(Harness.reals(farm))
            other.secret = "another-secret-0123456789"
            try await Harness.withDirector(Harness.config(Harness.reals(farm))) { director in
                try await Harness.withDirector(other) { foreign in
                    let issued = try await TestHTTPClient.get(foreign.url + "/~m1/")
                    for cookie in [issued.sessionCookie!, "mirrorscope_session=1.m1.99999999999.0000", "mirrorscope_session=garbage"] {
                        // Without a valid session the policy alternates m0, m1: both answers are fine, the
                        // point is a redirect to a configured server and a fresh token of our own.
                        let response = try await TestHTTPClient.get(director.url + "/f", cookie: cookie)
                        #expect(response.status == 302)
                        #expect(Harness.realID(of: response.location, in: farm) != nil)
                        #expect(response.sessionCookie != cookie)
                    }
                }
            }
        }
    }

    @Test func redirectStatus307AndUnavailable() async throws {
        try await Harness.withFarm(["m0"]) { farm in
            var config = Harness.config(Harness.reals(farm), health: true)
            config.virtualServers[0].redirectStatus = .temporaryRedirect
            try await Harness.withDirector(config) { director in
                #expect(try await TestHTTPClient.request(.POST, director.url + "/upload", body: "x").status == 307)

                try await farm.stopMirror("m0")
                try await Harness.waitForState(director, "m0", .down)
                let response = try await TestHTTPClient.get(director.url + "/files/README.txt")
                #expect(response.status == 503)
                #expect(response.location == nil)
            }
        }
    }
}
