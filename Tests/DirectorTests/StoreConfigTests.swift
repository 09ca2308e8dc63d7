import Foundation
import TestSupport
import Testing
@testable import MirrorscopeDirector

/// The keys `store`, `store_poll` and `instance`: a bad store URL is a mistake of the file, named
/// with its key and line (so `mirrorscope serve` exits 2), never a store that is merely down.
@Suite struct StoreConfigTests {
    static func text(_ lines: String) -> String {
        """
        listen = "127.0.0.1:8080"
        secret = "0123456789abcdef"
        \(lines)

        [[real]]
        id = "de1"
        url = "http://de.example.org/pub/"
        """
    }

    func error(_ lines: String) -> ConfigError? { configError(parsing: Self.text(lines)) }

    @Test func aStoreURLIsRead() throws {
        let config = try ConfigParser.parse(Self.text("""
            store = "postgres://director:s%40cret@db.example.org:6543/mirrors?sslmode=require"
            store_poll = "2s"
            instance = "eu-1.example.org:80"
            """))
        let store = try #require(config.store)
        #expect(store.url.user == "director")
        #expect(store.url.password == "s@cret")
        #expect(store.url.host == "db.example.org")
        #expect(store.url.port == 6543)
        #expect(store.url.database == "mirrors")
        #expect(store.url.tls == .require)
        #expect(store.poll == .seconds(2))
        #expect(config.instance == "eu-1.example.org:80")
        // The password never reaches a log line or an answer.
        #expect(store.url.description == "postgres://director@db.example.org:6543/mirrors")
    }

    @Test func defaults() throws {
        let url = try StoreURL(parsing: "postgresql://me@[::1]/db")
        #expect(url.host == "::1" && url.port == 5432 && url.tls == .prefer && url.password == nil)
        #expect(url.description == "postgres://me@[::1]:5432/db")
        let config = try ConfigParser.parse(Self.text("store = \"postgres://me@127.0.0.1/db\""))
        #expect(config.store?.poll == StoreSettings.defaultPoll)
        #expect(try ConfigParser.parse(Self.text("")).store == nil)
    }

    @Test(arguments: [
        ("store = \"mysql://me@db/x\"", "scheme"),
        ("store = \"postgres://db.example.org/x\"", "no user"),
        ("store = \"postgres://me@/x\"", "no host"),
        ("store = \"postgres://me@db:99999/x\"", ""),
        ("store = \"postgres://me@db/x/y\"", "one database name"),
        ("store = \"postgres://me@db/x?sslmode=verify-full\"", "sslmode must be one of disable, prefer, require"),
        ("store = \"postgres://me@db/x?timeout=3\"", "unknown parameter \"timeout\""),
        ("store = \"not a url at all\"", ""),
        ("store = 5432", "must be a string"),
    ])
    func badStoreURLsAreConfigErrors(line: String, message: String) {
        let error = error(line)
        #expect(error?.key == "store", "\(String(describing: error))")
        #expect(error?.line == 3)
        #expect(message.isEmpty || error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func pollAndInstanceAreChecked() {
        #expect(error("store_poll = \"5s\"")?.message == "needs store")
        #expect(error("store = \"postgres://me@db/x\"\nstore_poll = \"10ms\"")?.key == "store_poll")
        #expect(error("store = \"postgres://me@db/x\"\nstore_poll = \"2h\"")?.key == "store_poll")
        #expect(error("instance = \"\"")?.key == "instance")
        #expect(error("instance = \"eu 1\"")?.key == "instance")
        #expect(error("instance = \"\(String(repeating: "a", count: 129))\"")?.key == "instance")
    }

    @Test func theDefaultInstanceIsTheHostAndTheBoundPort() {
        let name = InstanceName(configured: nil, port: 0)
        #expect(name.value.hasSuffix(":0") && name.value.count > 2)
        name.bound(port: 8080, configured: nil)
        #expect(name.value.hasSuffix(":8080"))
        let named = InstanceName(configured: "eu-1", port: 0)
        named.bound(port: 8080, configured: "eu-1")
        #expect(named.value == "eu-1")
    }

    @Test func serveExitsWithStatus2OnABadStoreURL() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("director.toml").path
        try Self.text("store = \"postgres://me@db/x?sslmode=verify-full\"").write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(try BuiltBinary.path(), ["serve", "--config", path], timeout: .seconds(30))
        #expect(result.status == 2)
        #expect(result.stderr == "mirrorscope serve: \(path):3: store: sslmode must be one of disable, prefer, require\n", "\(result.stderr)")
    }
}
