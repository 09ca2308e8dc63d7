import Foundation
import TestSupport
import Testing
@testable import MirrorscopeDirector

/// The file-check and freshness keys: read per virtual server (a `[[virtual]]` inherits the top
/// level's), refused with their key and line when wrong.
@Suite struct HoldingsConfigTests {
    static let text = """
        listen = "127.0.0.1:0"
        secret = "0123456789abcdef"
        check_files = true
        check_timeout = "800ms"
        check_ttl = "5m"
        check_ttl_absent = "30s"
        check_cache_entries = 5000
        freshness_path = "project/trace"
        freshness_format = "unix-time"
        freshness_reference = "http://origin.example.org/pub/project/trace"
        max_behind = "6h"
        freshness_interval = "2m"

        [[virtual]]
        name = "other"
        listen = "127.0.0.1:0"
        check_ttl = "1m"
        max_behind = "1d"

        [[virtual]]
        name = "plain"
        listen = "127.0.0.1:0"
        check_files = false

        [[real]]
        id = "a"
        url = "http://a.example.org/pub/"
        """

    @Test func everyKeyIsReadAndVirtualServersInheritThem() throws {
        let config = try ConfigParser.parse(Self.text)
        let primary = config.virtualServers[0]
        #expect(primary.fileChecks == FileCheckSettings(enabled: true, timeout: .milliseconds(800), ttl: .seconds(300),
                                                        ttlAbsent: .seconds(30), cacheEntries: 5000))
        #expect(primary.freshness == FreshnessWatchSettings(path: "project/trace", format: "unix-time",
                                                       reference: "http://origin.example.org/pub/project/trace",
                                                       maxBehind: .seconds(6 * 3600), interval: .seconds(120)))
        let other = config.virtualServers[1]
        #expect(other.fileChecks.enabled && other.fileChecks.ttl == .seconds(60) && other.fileChecks.timeout == .milliseconds(800))
        #expect(other.freshness?.maxBehind == .seconds(86400) && other.freshness?.path == "project/trace")
        #expect(!config.virtualServers[2].fileChecks.enabled)
    }

    @Test func theDefaultsAreOff() throws {
        let config = try ConfigParser.parse("listen = \"127.0.0.1:0\"\nsecret = \"0123456789abcdef\"\n")
        #expect(config.primary.fileChecks == FileCheckSettings())
        #expect(!config.primary.fileChecks.enabled && config.primary.fileChecks.timeout == .milliseconds(1500))
        #expect(config.primary.fileChecks.ttl == .seconds(600) && config.primary.fileChecks.ttlAbsent == .seconds(60))
        #expect(config.primary.fileChecks.cacheEntries == 100_000)
        #expect(config.primary.freshness == nil)
    }

    func error(_ text: String) -> ConfigError? { configError(parsing: text) }

    @Test(arguments: [
        ("check_files = \"yes\"", "check_files", "must be true or false"),
        ("check_timeout = \"0s\"", "check_timeout", "must be positive"),
        ("check_timeout = \"2m\"", "check_timeout", "at most 60s"),
        ("check_ttl = \"soon\"", "check_ttl", "must be a duration"),
        ("check_ttl_absent = 0", "check_ttl_absent", "must be positive"),
        ("check_cache_entries = 0", "check_cache_entries", "between 1 and 10000000"),
        ("freshness_path = \"http://x.example/lastsync\"", "freshness_path", "relative to each server's URL"),
        ("freshness_path = \"../lastsync\"", "freshness_path", "is not acceptable"),
        ("freshness_path = \"lastsync\"\nfreshness_format = \"iso\"", "freshness_format", "must be one of"),
        ("freshness_path = \"lastsync\"\nfreshness_reference = \"origin/lastsync\"", "freshness_reference", "not an absolute"),
        ("freshness_path = \"lastsync\"\nmax_behind = \"0s\"", "max_behind", "must be positive"),
        ("freshness_path = \"lastsync\"\nfreshness_interval = \"10ms\"", "freshness_interval", "at least 1s"),
        ("max_behind = \"6h\"", "max_behind", "needs freshness_path"),
    ])
    func badKeysNameTheirKeyAndLine(line: String, key: String, message: String) throws {
        let text = "listen = \"127.0.0.1:0\"\nsecret = \"0123456789abcdef\"\n\(line)\n"
        let problem = try #require(self.error(text))
        #expect(problem.key == key && problem.line != nil && problem.message.contains(message), "\(problem)")
    }

    @Test func aVirtualServersKeyIsNamedWithItsTable() throws {
        let text = "listen = \"127.0.0.1:0\"\nsecret = \"0123456789abcdef\"\n[[virtual]]\nname = \"v\"\nlisten = \"127.0.0.1:0\"\ncheck_ttl = \"-\"\n"
        let problem = try #require(self.error(text))
        #expect(problem.key == "virtual[0].check_ttl" && problem.line == 6, "\(problem)")
    }

    @Test func theKeyListNamesTheNewKeys() throws {
        let problem = try #require(self.error("listen = \"127.0.0.1:0\"\nsecret = \"0123456789abcdef\"\ncheck_file = true\n"))
        for key in ["check_files", "check_timeout", "check_ttl", "check_ttl_absent", "check_cache_entries", "freshness_path",
                    "freshness_format", "freshness_reference", "max_behind", "freshness_interval", "geoip_db", "trusted_proxies"] {
            #expect(problem.message.contains(key), "\(key) missing from: \(problem.message)")
        }
        let virtual = try #require(self.error("listen = \"127.0.0.1:0\"\nsecret = \"0123456789abcdef\"\n[[virtual]]\nname = \"v\"\nlisten = \"127.0.0.1:0\"\nmax_behnd = 1\n"))
        #expect(virtual.key == "virtual[0].max_behnd" && virtual.message.contains("max_behind") && virtual.message.contains("check_files"))
    }
}
