import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Run-time changes through the admin API, written back to the config file.
@Suite struct AdminAPITests {
    static func configText(_ farm: Farm, ids: [String]) -> String {
        var text = """
            # Director under test.
            listen = "127.0.0.1:0"
            secret = "\(Harness.secret)"
            admin_token = "\(Harness.adminToken)"
            access_log = "access.log" # relative to this file: admin changes must keep it so
            threads = 1

            [health]
            enabled = false

            """
        for id in ids {
            text += "\n# Mirror \(id).\n[[real]]\nid = \"\(id)\"\nurl = \"\(farm.url(ofMirror: id)!)\"\n"
        }
        return text
    }

    static let auth = [("Authorization", "Bearer \(Harness.adminToken)")]

    @Test func anAddedServerServesAtOnceAndSurvivesARestart() async throws {
        try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("director.toml").path
            try Self.configText(farm, ids: ["m0", "m1"]).write(toFile: path, atomically: true, encoding: .utf8)

            try await Harness.withDirector(try ConfigParser.load(path: path), configPath: path) { director in
                let body = #"{"id": "m2", "url": "\#(farm.url(ofMirror: "m2")!)", "weight": 1, "backup": "m0", "name": "Mirror Two"}"#
                let added = try await TestHTTPClient.request(.POST, director.url + "/-/admin/real", headers: Self.auth, body: body)
                #expect(added.status == 201, "\(added.text)")
                #expect(added.text.contains("\"id\" : \"m2\""))
                // At once: directed, and in the rotation of new sessions.
                let directed = try await TestHTTPClient.get(director.url + "/~m2/files/README.txt")
                #expect(directed.location == farm.url(ofMirror: "m2")! + "files/README.txt")
                var seen: Set<String> = []
                for _ in 0..<3 { seen.insert(Harness.realID(of: try await TestHTTPClient.get(director.url + "/x").location, in: farm) ?? "?") }
                #expect(seen == ["m0", "m1", "m2"])
                let list = try await TestHTTPClient.get(director.url + "/-/admin/real", headers: Self.auth)
                #expect(list.status == 200)
                #expect(list.text.contains("\"id\" : \"m2\""))
                #expect(list.text.contains("\"name\" : \"Mirror Two\""))
            }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("# Director under test.") && text.contains("# Mirror m1."))
            #expect(text.contains("id = \"m2\"") && text.contains("name = \"Mirror Two\""))

            // A new director from the same file has it.
            try await Harness.withDirector(try ConfigParser.load(path: path), configPath: path) { director in
                #expect(await director.realServers().map(\.id) == ["m0", "m1", "m2"])
                let directed = try await TestHTTPClient.get(director.url + "/~m2/")
                #expect(directed.location == farm.url(ofMirror: "m2"))
            }
        }
    }

    @Test func badRequestsChangeNothing() async throws {
        try await Harness.withFarm(["m0", "m1"]) { farm in
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("director.toml").path
            let original = Self.configText(farm, ids: ["m0"])
            try original.write(toFile: path, atomically: true, encoding: .utf8)
            let m1 = farm.url(ofMirror: "m1")!

            try await Harness.withDirector(try ConfigParser.load(path: path), configPath: path) { director in
                let url = director.url + "/-/admin/real"
                let good = #"{"id": "m1", "url": "\#(m1)"}"#
                let noToken = try await TestHTTPClient.request(.POST, url, body: good)
                #expect(noToken.status == 401)
                #expect(noToken.headers.first(name: "www-authenticate") != nil)
                let wrongToken = try await TestHTTPClient.request(.POST, url, headers: [("Authorization", "Bearer nope")], body: good)
                #expect(wrongToken.status == 401)

                let cases: [(String, Int, String)] = [
                    ("{not json", 400, "not valid JSON"),
                    (#"{"id": "m1"}"#, 400, "url is required"),
                    (#"{"id": "m1", "url": "\#(m1)", "wieght": 2}"#, 400, "unknown key \\\"wieght\\\""),
                    (#"{"id": "m1", "url": "\#(m1)", "weight": "heavy"}"#, 400, "weight: expected an integer"),
                    (#"{"id": "m1", "url": "ftp://x/"}"#, 400, "not an absolute http"),
                    (#"{"id": "m1", "url": "\#(m1)", "backup": "ghost"}"#, 400, "no real server has id"),
                    (#"{"id": "m0", "url": "\#(m1)"}"#, 409, "exists already"),
                    (#"{"id": "bad id", "url": "\#(m1)"}"#, 400, "may hold only letters"),
                ]
                for (body, status, reason) in cases {
                    let response = try await TestHTTPClient.request(.POST, url, headers: Self.auth, body: body)
                    #expect(response.status == status, "\(body): \(response.text)")
                    #expect(response.text.contains(reason), "\(body): \(response.text)")
                }
                let patch = try await TestHTTPClient.request(.PATCH, url + "/m9", headers: Self.auth, body: #"{"weight": 2}"#)
                #expect(patch.status == 404)
                let delete = try await TestHTTPClient.request(.DELETE, url + "/m9", headers: Self.auth)
                #expect(delete.status == 404)
                #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
                #expect(await director.realServers().map(\.id) == ["m0"])
            }
        }
    }

    @Test func patchAndDelete() async throws {
        try await Harness.withFarm(["m0", "m1"]) { farm in
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("director.toml").path
            try Self.configText(farm, ids: ["m0", "m1"]).write(toFile: path, atomically: true, encoding: .utf8)

            try await Harness.withDirector(try ConfigParser.load(path: path), configPath: path) { director in
                let url = director.url + "/-/admin/real"
                let patched = try await TestHTTPClient.request(.PATCH, url + "/m1", headers: Self.auth, body: #"{"weight": 3, "drain": true}"#)
                #expect(patched.status == 200, "\(patched.text)")
                #expect(patched.text.contains("\"state\" : \"draining\""))
                #expect(try ConfigParser.load(path: path).real("m1")?.weight == 3)
                // Draining: new sessions all go to m0.
                for _ in 0..<4 {
                    #expect(Harness.realID(of: try await TestHTTPClient.get(director.url + "/x").location, in: farm) == "m0")
                }
                let deleted = try await TestHTTPClient.request(.DELETE, url + "/m1", headers: Self.auth)
                #expect(deleted.status == 200)
                #expect(try ConfigParser.load(path: path).reals.map(\.id) == ["m0"])
                #expect(try await TestHTTPClient.get(director.url + "/~m1/").status == 404)
            }
        }
    }

    @Test func theAdminAPIIsOffWithoutAToken() async throws {
        try await Harness.withFarm(["m0"]) { farm in
            var config = Harness.config(Harness.reals(farm))
            config.adminToken = nil
            try await Harness.withDirector(config) { director in
                let response = try await TestHTTPClient.get(director.url + "/-/admin/real", headers: Self.auth)
                #expect(response.status == 403)
            }
        }
    }

    @Test func reloadAppliesTheFileAndRefusesABadOne() async throws {
        try await Harness.withFarm(["m0", "m1"]) { farm in
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("director.toml").path
            try Self.configText(farm, ids: ["m0"]).write(toFile: path, atomically: true, encoding: .utf8)

            try await Harness.withDirector(try ConfigParser.load(path: path), configPath: path) { director in
                try Self.configText(farm, ids: ["m0", "m1"]).write(toFile: path, atomically: true, encoding: .utf8)
                try await director.reload()
                #expect(await director.realServers().map(\.id) == ["m0", "m1"])
                #expect(try await TestHTTPClient.get(director.url + "/~m1/").status == 302)

                try "secret = 1".write(toFile: path, atomically: true, encoding: .utf8)
                await #expect(throws: ConfigError.self) { try await director.reload() }
                #expect(await director.realServers().map(\.id) == ["m0", "m1"])
            }
        }
    }
}
