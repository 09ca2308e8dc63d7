import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Health checks move sessions to backups, and never to a server that is down.
@Suite struct FailoverTests {
    @Test func aDownServersSessionGoesToItsBackupAndStaysThere() async throws {
        try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
            try await Harness.withDirector(Harness.config(Harness.reals(farm, backups: ["m0": .server("m1")]), health: true)) { director in
                let start = try await TestHTTPClient.get(director.url + "/~m0/files/README.txt")
                #expect(Harness.realID(of: start.location, in: farm) == "m0")
                let cookie = try #require(start.sessionCookie)

                try await farm.stopMirror("m0")
                try await Harness.waitForState(director, "m0", .down)
                let moved = try await TestHTTPClient.get(director.url + "/files/README.txt", cookie: cookie)
                #expect(Harness.realID(of: moved.location, in: farm) == "m1")
                let directed = try await TestHTTPClient.get(director.url + "/~m0/x")
                #expect(Harness.realID(of: directed.location, in: farm) == "m1")
                // The moved session now names m1, and stays there when m0 comes back.
                let movedCookie = try #require(moved.sessionCookie)
                try await farm.startMirror("m0")
                try await Harness.waitForState(director, "m0", .up)
                let back = try await TestHTTPClient.get(director.url + "/files/README.txt", cookie: movedCookie)
                #expect(Harness.realID(of: back.location, in: farm) == "m1")
                // The old token (naming m0) is honoured again.
                let old = try await TestHTTPClient.get(director.url + "/files/README.txt", cookie: cookie)
                #expect(Harness.realID(of: old.location, in: farm) == "m0")
            }
        }
    }

    @Test func aBackupThatIsDownFallsThroughToAHealthyServer() async throws {
        try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
            let backups: [String: BackupTarget] = ["m0": .server("m1"), "m1": .server("m0")] // a cycle
            try await Harness.withDirector(Harness.config(Harness.reals(farm, backups: backups), health: true)) { director in
                try await farm.stopMirror("m0")
                try await farm.stopMirror("m1")
                try await Harness.waitForState(director, "m0", .down)
                try await Harness.waitForState(director, "m1", .down)
                for _ in 0..<10 {
                    let response = try await TestHTTPClient.get(director.url + "/~m0/files/README.txt")
                    #expect(Harness.realID(of: response.location, in: farm) == "m2")
                    let fresh = try await TestHTTPClient.get(director.url + "/files/README.txt")
                    #expect(Harness.realID(of: fresh.location, in: farm) == "m2")
                }
            }
        }
    }

    @Test func drainingMovesSessionsWithoutHealthChecks() async throws {
        try await Harness.withFarm(["m0", "m1"]) { farm in
            try await Harness.withDirector(Harness.config(Harness.reals(farm, backups: ["m0": .server("m1")]))) { director in
                let cookie = try #require(try await TestHTTPClient.get(director.url + "/~m0/").sessionCookie)
                try await director.perform(.patch(id: "m0", RealPatch(drain: true)))
                #expect(await director.realServers().first { $0.id == "m0" }?.state == .draining)
                let response = try await TestHTTPClient.get(director.url + "/x", cookie: cookie)
                #expect(Harness.realID(of: response.location, in: farm) == "m1")
            }
        }
    }
}
