import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Directors as a cluster on a real PostgreSQL server (`store`): what one instance's admin API
/// changes, every other runs within a second; an instance that stops loses nothing; a store that
/// is down leaves every director serving what it has, and admin changes answer 503.
@Suite(.serialized, .disabled(if: PostgresServer.missing != nil, "\(PostgresServer.missing ?? "")"))
struct StoreTests {
    static let auth = [("Authorization", "Bearer \(Harness.adminToken)")]

    /// A director on `store` whose config file holds the farm's mirrors `ids` (the seed). Polls
    /// once a minute unless told: a change seen sooner came by notification.
    static func config(_ farm: Farm, _ ids: [String], store: PostgresServer, instance: String,
                       poll: Duration = .seconds(60)) throws -> DirectorConfig {
        var config = Harness.config(Harness.reals(farm).filter { ids.contains($0.id) })
        config.store = StoreSettings(url: try StoreURL(parsing: store.url), poll: poll)
        config.instance = instance
        return config
    }

    static func ids(_ director: RunningDirector) async -> [String] { await director.realServers().map(\.id) }

    static func add(_ id: String, of farm: Farm, on director: RunningDirector) async throws -> TestResponse {
        try await TestHTTPClient.request(.POST, director.url + "/-/admin/real", headers: auth,
                                         body: #"{"id": "\#(id)", "url": "\#(farm.url(ofMirror: id)!)"}"#)
    }

    /// Waits at most `limit` for `director` to run exactly `ids`.
    static func waitForIDs(_ director: RunningDirector, _ ids: [String], within limit: Duration) async throws {
        try await waitUntil("real servers \(ids)", timeout: limit, interval: .milliseconds(5),
                            observed: { "\(await Self.ids(director))" }) { await Self.ids(director) == ids }
    }

    @Test func anAddOnOneDirectorRunsOnTheOtherWithinASecond() async throws {
        try await PostgresServer.with { store in
            try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
                // The first director fills the new table from its file; the second's file lists
                // less, and the table wins.
                try await Harness.withDirector(try Self.config(farm, ["m0", "m1"], store: store, instance: "a")) { a in
                    #expect(await Self.ids(a) == ["m0", "m1"])
                    try await Harness.withDirector(try Self.config(farm, ["m0"], store: store, instance: "b")) { b in
                        #expect(await Self.ids(b) == ["m0", "m1"])

                        let added = try await Self.add("m2", of: farm, on: a)
                        #expect(added.status == 201, "\(added.text)")
                        #expect(await Self.ids(a) == ["m0", "m1", "m2"])  // at once where it was made
                        try await Self.waitForIDs(b, ["m0", "m1", "m2"], within: .seconds(1))
                        let directed = try await TestHTTPClient.get(b.url + "/~m2/files/README.txt")
                        #expect(directed.location == farm.url(ofMirror: "m2")! + "files/README.txt")

                        // And the other way, for a patch and a delete.
                        let patched = try await TestHTTPClient.request(.PATCH, b.url + "/-/admin/real/m0", headers: Self.auth,
                                                                       body: #"{"weight": 7}"#)
                        #expect(patched.status == 200, "\(patched.text)")
                        try await waitUntil("m0's weight 7 on a", timeout: .seconds(1), interval: .milliseconds(5)) {
                            await a.realServers().first { $0.id == "m0" }?.server.weight == 7
                        }
                        let deleted = try await TestHTTPClient.request(.DELETE, a.url + "/-/admin/real/m1", headers: Self.auth)
                        #expect(deleted.status == 200, "\(deleted.text)")
                        try await Self.waitForIDs(b, ["m0", "m2"], within: .seconds(1))

                        // A change refused on one (a duplicate) changes nothing anywhere.
                        let duplicate = try await Self.add("m2", of: farm, on: b)
                        #expect(duplicate.status == 409, "\(duplicate.text)")
                        #expect(try await store.psql("SELECT string_agg(id, ',' ORDER BY position) FROM mirrorscope_reals") == "m0,m2")
                        #expect(try await store.psql("SELECT updated_by FROM mirrorscope_reals WHERE id = 'm0'") == "b")
                    }
                }
            }
        }
    }

    @Test func aStoppedInstanceLosesNothingAndARestartedOneReadsTheTable() async throws {
        try await PostgresServer.with { store in
            try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
                let a = try await Harness.start(try Self.config(farm, ["m0", "m1"], store: store, instance: "a"))
                try await Harness.withDirector(try Self.config(farm, ["m0", "m1"], store: store, instance: "b")) { b in
                    #expect(try await Self.add("m2", of: farm, on: a).status == 201)
                    let drained = try await TestHTTPClient.request(.PATCH, a.url + "/-/admin/real/m0", headers: Self.auth,
                                                                   body: #"{"drain": true}"#)
                    #expect(drained.status == 200, "\(drained.text)")
                    try await waitUntil("m0 drained on b", timeout: .seconds(2)) {
                        await b.realServers().first { $0.id == "m0" }?.server.drain == true
                    }
                    await a.shutdown(gracePeriod: .seconds(1))

                    // b still has every change, and goes on taking new ones.
                    #expect(await Self.ids(b) == ["m0", "m1", "m2"])
                    #expect(try await TestHTTPClient.request(.DELETE, b.url + "/-/admin/real/m1", headers: Self.auth).status == 200)

                    // A new a, from the same file (m0 and m1, not drained), runs what the table says.
                    try await Harness.withDirector(try Self.config(farm, ["m0", "m1"], store: store, instance: "a")) { again in
                        #expect(await Self.ids(again) == ["m0", "m2"])
                        #expect(await again.realServers().first { $0.id == "m0" }?.server.drain == true)
                    }
                }
            }
        }
    }

    @Test func aStoreDownAtStartLeavesTheFileServingUntilItAnswers() async throws {
        try await PostgresServer.with { store in
            try await store.stop()
            try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
                let started = ContinuousClock.now
                try await Harness.withDirector(try Self.config(farm, ["m0", "m1"], store: store, instance: "a")) { a in
                    #expect(ContinuousClock.now - started < .seconds(10))
                    #expect(await Self.ids(a) == ["m0", "m1"])
                    let redirect = try await TestHTTPClient.get(a.url + "/files/README.txt")
                    #expect(redirect.status == 302)
                    let refused = try await Self.add("m2", of: farm, on: a)
                    #expect(refused.status == 503, "\(refused.text)")
                    #expect(refused.text.contains("unreachable") && refused.text.contains("nothing was changed"), "\(refused.text)")
                    #expect(!refused.text.contains("password"))
                    #expect(await Self.ids(a) == ["m0", "m1"])

                    try await store.start()
                    // Reconnecting backs off up to 10 s; once connected, the new table is filled
                    // from the file and the change goes through.
                    try await waitUntil("the store to take an add", timeout: .seconds(20), interval: .milliseconds(100)) {
                        try await Self.add("m2", of: farm, on: a).status == 201
                    }
                    #expect(await Self.ids(a) == ["m0", "m1", "m2"])
                    #expect(try await store.psql("SELECT string_agg(id, ',' ORDER BY position) FROM mirrorscope_reals") == "m0,m1,m2")
                }
            }
        }
    }

    @Test func aStoreDownMidRunKeepsEveryDirectorServing() async throws {
        try await PostgresServer.with { store in
            try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
                try await Harness.withDirector(try Self.config(farm, ["m0", "m1"], store: store, instance: "a")) { a in
                    try await Harness.withDirector(try Self.config(farm, ["m0", "m1"], store: store, instance: "b")) { b in
                        try await store.stop()
                        var refusal = ""
                        try await waitUntil("an add to be refused with 503", timeout: .seconds(10), interval: .milliseconds(50)) {
                            let answer = try await Self.add("m2", of: farm, on: a)
                            refusal = answer.text
                            return answer.status == 503
                        }
                        #expect(refusal.contains("the store postgres://mirrorscope@127.0.0.1:\(store.port)/postgres"), "\(refusal)")
                        let metrics = try await TestHTTPClient.get(a.url + "/-/metrics").text
                        #expect(metrics.contains("mirrorscope_director_store_up{instance=\"a\"} 0"), "\(metrics)")
                        for director in [a, b] {
                            #expect(await Self.ids(director) == ["m0", "m1"])
                            #expect(try await TestHTTPClient.get(director.url + "/files/README.txt").status == 302)
                            #expect(try await TestHTTPClient.get(director.url + "/~m1/").location == farm.url(ofMirror: "m1"))
                        }

                        try await store.start()
                        try await waitUntil("the store to take an add again", timeout: .seconds(20), interval: .milliseconds(100)) {
                            try await Self.add("m2", of: farm, on: a).status == 201
                        }
                        // b reconnects on its own backoff (at most 10 s) and reads what it missed.
                        try await Self.waitForIDs(b, ["m0", "m1", "m2"], within: .seconds(15))
                    }
                }
            }
        }
    }

    @Test func thePollFindsAChangeWhoseNotificationWasLost() async throws {
        try await PostgresServer.with { store in
            try await Harness.withFarm(["m0", "m1"]) { farm in
                let config = try Self.config(farm, ["m0", "m1"], store: store, instance: "a", poll: .milliseconds(200))
                try await Harness.withDirector(config) { a in
                    // Changed by hand, with no NOTIFY: only the periodic read can find it.
                    try await store.psql("""
                        UPDATE mirrorscope_reals SET config = jsonb_set(config, '{weight}', '5') WHERE id = 'm1';
                        UPDATE mirrorscope_reals_version SET version = version + 1;
                        """)
                    try await waitUntil("m1's weight 5", timeout: .seconds(3)) {
                        await a.realServers().first { $0.id == "m1" }?.server.weight == 5
                    }
                    // A row that does not fit the schema is not run, and writes are refused
                    // until the table is fixed; the listening goes on.
                    try await store.psql("""
                        UPDATE mirrorscope_reals SET config = jsonb_set(config, '{wieght}', '1') WHERE id = 'm0';
                        UPDATE mirrorscope_reals_version SET version = version + 1;
                        """)
                    let refused = try await TestHTTPClient.request(.PATCH, a.url + "/-/admin/real/m1", headers: Self.auth,
                                                                   body: #"{"weight": 2}"#)
                    #expect(refused.status == 409, "\(refused.text)")
                    #expect(refused.text.contains(#"\"m0\" in the store does not fit the schema"#), "\(refused.text)")
                    #expect(await Self.ids(a) == ["m0", "m1"])
                    try await store.psql("""
                        UPDATE mirrorscope_reals SET config = config - 'wieght' WHERE id = 'm0';
                        UPDATE mirrorscope_reals SET config = jsonb_set(config, '{weight}', '3') WHERE id = 'm1';
                        UPDATE mirrorscope_reals_version SET version = version + 1;
                        """)
                    try await waitUntil("m1's weight 3", timeout: .seconds(3)) {
                        await a.realServers().first { $0.id == "m1" }?.server.weight == 3
                    }
                }
            }
        }
    }

    /// The binary as an operator runs it: two `mirrorscope serve` processes on one store, one
    /// killed with SIGKILL.
    @Test func twoServedDirectorsShareTheStoreAndOneKilledLosesNothing() async throws {
        try await PostgresServer.with { store in
            try await Harness.withFarm(["m0", "m1"]) { farm in
                let extra = { (name: String) in
                    "admin_token = \"\(Harness.adminToken)\"\nstore = \"\(store.url)\"\ninstance = \"\(name)\"\n"
                }
                let a = try ServedDirector(farm: farm, extra: extra("a"))
                defer { a.stop() }
                let b = try ServedDirector(farm: farm, extra: extra("b"))
                defer { b.stop() }
                let aURL = "http://127.0.0.1:\(try await a.port())", bURL = "http://127.0.0.1:\(try await b.port())"

                let added = try await TestHTTPClient.request(.POST, aURL + "/-/admin/real", headers: Self.auth,
                                                             body: #"{"id": "extra", "url": "\#(farm.url(ofMirror: "m1")!)"}"#)
                #expect(added.status == 201, "\(added.text) \(a.process.stderr)")
                try await waitUntil("extra on b", timeout: .seconds(1), interval: .milliseconds(5)) {
                    try await TestHTTPClient.get(bURL + "/-/admin/real/extra", headers: Self.auth).status == 200
                }
                let metrics = try await TestHTTPClient.get(bURL + "/-/metrics").text
                #expect(metrics.contains("mirrorscope_director_real_up{instance=\"b\",real=\"extra\"} 1"), "\(metrics)")
                #expect(metrics.contains("mirrorscope_director_store_up{instance=\"b\"} 1"), "\(metrics)")
                #expect(metrics.contains("mirrorscope_director_store_version{instance=\"b\"} 2"), "\(metrics)")

                a.process.signal(SIGKILL)
                try await waitUntil("a to be gone", timeout: .seconds(5)) { !a.process.isRunning }
                let list = try await TestHTTPClient.get(bURL + "/-/admin/real", headers: Self.auth).text
                #expect(list.contains("\"id\" : \"extra\""), "\(list)")
                #expect(try await TestHTTPClient.request(.DELETE, bURL + "/-/admin/real/m0", headers: Self.auth).status == 200)
                #expect(try await store.psql("SELECT string_agg(id, ',' ORDER BY position) FROM mirrorscope_reals") == "m1,extra")
            }
        }
    }
}
