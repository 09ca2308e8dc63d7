import Foundation
import Testing
@testable import MirrorscopeDirector

@Suite struct ConfigParserTests {
    static let minimal = """
        listen = "127.0.0.1:8080"
        secret = "0123456789abcdef"

        [[real]]
        id = "de1"
        url = "http://de.example.org/pub/"

        [[real]]
        id = "fr1"
        url = "https://fr.example.org/mirror/"
        """

    func error(_ text: String) -> ConfigError? { configError(parsing: text) }

    @Test func aMinimalFileWorksWithDefaults() throws {
        let config = try ConfigParser.parse(Self.minimal)
        #expect(config.primary.listen == [ListenAddress(host: "127.0.0.1", port: 8080)])
        #expect(config.primary.policy == .weightedRoundRobin)
        #expect(config.primary.mode == .redirect)
        #expect(config.primary.redirectStatus == .found)
        #expect(config.sessionTTL == .seconds(1800))
        #expect(config.reals.map(\.id) == ["de1", "fr1"])
        #expect(config.reals.allSatisfy { $0.weight == 1 && $0.backup == .primary && !$0.drain })
        #expect(config.health == HealthSettings())
        #expect(config.adminToken == nil)
    }

    @Test func everyKeyIsRead() throws {
        let text = """
            listen = ["127.0.0.1:8080", "[::1]:8080"]
            tls_listen = "127.0.0.1:8443"
            tls_cert = "/etc/cert.pem"
            tls_key = "/etc/key.pem"
            secret = "0123456789abcdef"
            admin_token = "fedcba9876543210"
            policy = "consistent-hash"
            session_ttl = "1h30m"
            redirect_status = 307
            mode = "proxy"
            threads = 2
            access_log = "/var/log/director.log"
            idle_timeout = 30
            header_timeout = "500ms"

            [health]
            path = "probe.bin"
            interval = "2s"
            timeout = "250ms"
            rise = 3
            fall = 4

            [page]
            title = "Our mirrors"
            probe_path = "probe.bin"

            [[real]]
            id = "de1"
            url = "http://de.example.org/pub/"
            https_url = "https://de.example.org/pub/"
            weight = 3
            backup = "fr1"
            location = "de"
            drain = true

            [[real]]
            id = "fr1"
            url = "http://fr.example.org/pub/"

            [[virtual]]
            name = "eu"
            listen = "127.0.0.1:9090"
            mode = "redirect"
            real = ["de1"]
            """
        let config = try ConfigParser.parse(text)
        #expect(config.primary.listen.map(\.description) == ["127.0.0.1:8080", "[::1]:8080"])
        #expect(config.primary.tlsListen.map(\.description) == ["127.0.0.1:8443"])
        #expect(config.tls == TLSFiles(certificatePath: "/etc/cert.pem", keyPath: "/etc/key.pem"))
        #expect(config.adminToken == "fedcba9876543210")
        #expect(config.primary.policy == .consistentHash)
        #expect(config.sessionTTL == .seconds(5400))
        #expect(config.primary.redirectStatus == .temporaryRedirect)
        #expect(config.primary.mode == .proxy)
        #expect(config.threads == 2)
        #expect(config.accessLog == .file("/var/log/director.log"))
        #expect(config.idleTimeout == .seconds(30))
        #expect(config.headerTimeout == .milliseconds(500))
        #expect(config.health == HealthSettings(path: "probe.bin", interval: .seconds(2), timeout: .milliseconds(250), rise: 3, fall: 4))
        #expect(config.page == PageSettings(title: "Our mirrors", probePath: "probe.bin"))
        #expect(config.reals[0] == RealServerConfig(id: "de1", url: "http://de.example.org/pub/", httpsURL: "https://de.example.org/pub/",
                                                    weight: 3, backup: .server("fr1"), location: "de", drain: true))
        #expect(config.virtualServers.count == 2)
        // A [[virtual]] table inherits the policy it does not set.
        #expect(config.virtualServers[1] == VirtualServerConfig(name: "eu", listen: ["127.0.0.1:9090"], mode: .redirect,
                                                                policy: .consistentHash, redirectStatus: .temporaryRedirect, reals: ["de1"]))
    }

    @Test func displayNamesAndPageLinks() throws {
        let config = try ConfigParser.parse(Self.minimal.replacingOccurrences(of: "id = \"de1\"", with: "id = \"de1\"\nname = \"Frankfurt\"")
            + "\n[page]\nlinks = [\"files/README.txt\", \"files/\"]\n")
        #expect(config.reals.map(\.name) == ["Frankfurt", nil])
        #expect(config.page.links == ["files/README.txt", "files/"])
        #expect(error(Self.minimal + "\n[page]\nlinks = [\"../secret\"]\n")?.key == "page.links[0]")
    }

    @Test func syntaxErrorsGiveTheLine() {
        let error = error("listen = \"127.0.0.1:8080\"\nsecret = \"0123456789abcdef\n")
        #expect(error?.line == 2)
        #expect(error?.description.hasPrefix("director.toml:2: TOML syntax") == true)
    }

    @Test(arguments: [
        ("policy = \"fastest\"", "policy", 3),
        ("session_ttl = \"soon\"", "session_ttl", 3),
        ("redirect_status = 301", "redirect_status", 3),
        ("wieght = 3", "wieght", 3),
        ("mode = 1", "mode", 3),
    ])
    func badTopLevelValuesNameKeyAndLine(line: String, key: String, lineNumber: Int) {
        let text = "listen = \"127.0.0.1:8080\"\nsecret = \"0123456789abcdef\"\n\(line)\n"
        let error = error(text)
        #expect(error?.key == key)
        #expect(error?.line == lineNumber)
    }

    @Test func badRealServerValuesNameTheTableAndLine() {
        let text = Self.minimal + "\nweight = -2\n"
        let error = error(text)
        #expect(error?.key == "real[1].weight")
        #expect(error?.line == 11)
        #expect(error?.description == "director.toml:11: real[1].weight: must be between 0 and 10000")
    }

    @Test(arguments: [
        ("url = \"ftp://x.example/\"", "real[1].url"),
        ("url = \"http://x.example/no-slash\"", "real[1].url"),
        ("url = \"http://x.example/?q=1\"", "real[1].url"),
        ("url = \"http://user@x.example/\"", "real[1].url"),
        ("url = \"http://x.example/a b/\"", "real[1].url"),
        ("https_url = \"http://x.example/\"", "real[1].https_url"),
        ("backup = \"nobody\"", "real[1].backup"),
        ("backup = \"fr1\"", "real[1].backup"),
        ("id = \"de1\"", "real[1].id"),
        ("id = \"bad.id\"", "real[1].id"),
        ("id = \"primary\"", "real[1].id"),
        ("location = 7", "real[1].location"),
        ("colour = \"red\"", "real[1].colour"),
    ])
    func badRealServers(line: String, key: String) {
        var text = Self.minimal
        // Replace the second table's own line with the same key, or add the line.
        let keyName = String(line.prefix { $0 != " " })
        if keyName == "id" || keyName == "url" {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let last = lines.lastIndex { $0.hasPrefix(keyName + " =") }!
            text = (lines[..<last] + [line] + lines[(last + 1)...]).joined(separator: "\n")
        } else {
            text += "\n" + line
        }
        let error = error(text)
        #expect(error?.key == key, "\(String(describing: error))")
        #expect(error?.line != nil)
    }

    @Test func missingRequiredKeysAreNamed() {
        #expect(error("listen = \"127.0.0.1:1\"\n")?.key == "secret")
        #expect(error("secret = \"0123456789abcdef\"\n")?.key == "listen")
        let noURL = error("listen = \"127.0.0.1:1\"\nsecret = \"0123456789abcdef\"\n[[real]]\nid = \"x\"\n")
        #expect(noURL?.key == "real[0].url")
        #expect(noURL?.line == 3)
    }

    @Test func weakSecretsAreRefused() {
        let error = error("listen = \"127.0.0.1:1\"\nsecret = \"short\"\n")
        #expect(error?.key == "secret")
        #expect(error?.line == 2)
    }

    @Test func tlsNeedsCertificateAndKey() {
        let text = "listen = \"127.0.0.1:1\"\ntls_listen = \"127.0.0.1:2\"\nsecret = \"0123456789abcdef\"\n"
        #expect(error(text)?.key == "tls_cert")
        #expect(error(text + "tls_cert = \"c.pem\"\n")?.key == "tls_key")
    }

    @Test func listenAddressesAreChecked() {
        // Through a variable: a literal would pick ExpressibleByStringLiteral.
        func parse(_ text: String) -> ListenAddress? { ListenAddress(text) }
        #expect(parse("127.0.0.1:80") == ListenAddress(host: "127.0.0.1", port: 80))
        #expect(parse("[::1]:8080") == ListenAddress(host: "::1", port: 8080))
        #expect(parse("::1:8080") == nil)
        #expect(parse("host:99999") == nil)
        #expect(parse("host") == nil)
        #expect(error("listen = \"nowhere\"\nsecret = \"0123456789abcdef\"\n")?.key == "listen")
    }

    @Test func durations() {
        #expect(ConfigParser.duration("30m") == .seconds(1800))
        #expect(ConfigParser.duration("1h30m") == .seconds(5400))
        #expect(ConfigParser.duration("250ms") == .milliseconds(250))
        #expect(ConfigParser.duration("2d") == .seconds(172_800))
        #expect(ConfigParser.duration("5") == nil)
        #expect(ConfigParser.duration("m") == nil)
        #expect(ConfigParser.duration("") == nil)
    }

    @Test func unreadableFilesAreConfigErrors() {
        #expect(throws: ConfigError.self) { try ConfigParser.load(path: "/nonexistent/director.toml") }
    }
}

extension ConfigParserTests {
    @Test func errorsFoundAfterParsingAreLocatedInTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("locate-\(UUID().uuidString).toml").path
        try Self.minimal.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let located = ConfigParser.locating(ConfigError(key: "real[1].url", "cannot be reached"), inFile: path)
        #expect(located.description == "\(path):10: real[1].url: cannot be reached")
        #expect(ConfigParser.locating(ConfigError(key: "listen", "in use"), inFile: path).line == 1)
    }

    @Test func relativePathsAreTakenFromTheConfigFilesDirectory() throws {
        let text = Self.minimal.replacingOccurrences(of: "secret =", with: """
            tls_listen = "127.0.0.1:8443"
            tls_cert = "cert.pem"
            tls_key = "/abs/key.pem"
            access_log = "logs/access.log"
            secret =
            """)
        let config = try ConfigParser.parse(text, file: "/etc/mirrorscope/director.toml")
        #expect(config.tls == TLSFiles(certificatePath: "/etc/mirrorscope/cert.pem", keyPath: "/abs/key.pem"))
        #expect(config.accessLog == .file("/etc/mirrorscope/logs/access.log"))
        #expect(try ConfigParser.parse(text, file: "director.toml").tls?.certificatePath == "cert.pem")
    }
}
