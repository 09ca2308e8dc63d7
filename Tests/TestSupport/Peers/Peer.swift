import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real peer program (a proxy, a server from Debian's packages) that a test starts on a free
/// loopback port and stops at the end. Its output goes to a log file the test can read (tinyproxy
/// logs each CONNECT, microsocks each tunnel).
public final class Peer: @unchecked Sendable {
    public let name: String
    public let port: Int
    public let folder: URL
    public let logFile: URL
    private let pid: pid_t

    /// Why a peer test cannot run: the program is not installed. Outside CI such tests skip with
    /// this reason; `.ci/run` installs every peer, so in CI they always run.
    public static func missing(_ program: String) -> String? {
        installedPath(program) == nil ? "\(program) is not installed (apt-get install \(program)); .ci/run installs it" : nil
    }

    public static func installedPath(_ program: String) -> String? {
        for folder in ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"] {
            let path = folder + "/" + program
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Starts `program` with the arguments `arguments(port, folder)` make, and waits until the
    /// port accepts connections.
    public init(_ program: String, arguments: (_ port: Int, _ folder: URL) throws -> [String]) async throws {
        guard let path = Self.installedPath(program) else { throw Spawn.Failure(description: Self.missing(program)!) }
        name = program
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-peer-\(program)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        logFile = folder.appendingPathComponent("output.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        port = try Self.freePort()
        pid = try Spawn.background(path, try arguments(port, folder), output: logFile.path)
        let port = port, pid = pid
        try await waitUntil("\(program) to listen on 127.0.0.1:\(port)", timeout: .seconds(10)) {
            guard kill(pid, 0) == 0 else {
                throw Spawn.Failure(description: "\(program) exited at start: \((try? String(contentsOf: self.logFile, encoding: .utf8)) ?? "")")
            }
            return Self.accepts(port: port)
        }
    }

    /// Stops the peer (SIGTERM, then SIGKILL) and reaps it.
    public func stop() {
        kill(pid, SIGTERM)
        for _ in 0..<100 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// What the peer has written so far.
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit { stop() }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Spawn.Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

extension Peer {
    /// tinyproxy (HTTP CONNECT) on a free port, logging each tunnel (`LogLevel Connect`); no
    /// `ConnectPort` line, so tunnels to every port are allowed (the farm's are not 443).
    /// `basicAuth` makes it ask for `Proxy-Authorization` (407 without).
    /// `connectPorts` limits the ports tunnels may go to (tinyproxy answers others with 403).
    public static func tinyproxy(basicAuth: (user: String, password: String)? = nil, connectPorts: [Int] = []) async throws -> Peer {
        try await Peer("tinyproxy") { port, folder in
            var config = """
                Port \(port)
                Listen 127.0.0.1
                Timeout 30
                MaxClients 200
                LogLevel Connect
                Allow 127.0.0.1
                DisableViaHeader Yes

                """
            if let basicAuth { config += "BasicAuth \(basicAuth.user) \(basicAuth.password)\n" }
            for port in connectPorts { config += "ConnectPort \(port)\n" }
            let file = folder.appendingPathComponent("tinyproxy.conf")
            try config.write(to: file, atomically: true, encoding: .utf8)
            return ["-d", "-c", file.path]
        }
    }

    /// microsocks (SOCKS5) on a free port; with credentials it requires them (RFC 1929).
    public static func microsocks(user: String? = nil, password: String? = nil) async throws -> Peer {
        try await Peer("microsocks") { port, _ in
            var arguments = ["-i", "127.0.0.1", "-p", String(port)]
            if let user, let password { arguments += ["-u", user, "-P", password] }
            return arguments
        }
    }
}

extension Peer {
    /// stunnel: TLS on a free port, forwarding the plain bytes to 127.0.0.1:`forwardTo` (in front
    /// of tinyproxy it makes an https:// proxy). The certificate and key are PEM text.
    public static func stunnel(forwardTo port: Int, certificatePEM: String, keyPEM: String) async throws -> Peer {
        try await Peer("stunnel4") { listen, folder in
            let pem = folder.appendingPathComponent("server.pem")
            try (certificatePEM + "\n" + keyPEM).write(to: pem, atomically: true, encoding: .utf8)
            let config = """
                foreground = yes
                pid =
                debug = notice
                [proxy]
                accept = 127.0.0.1:\(listen)
                connect = 127.0.0.1:\(port)
                cert = \(pem.path)

                """
            let file = folder.appendingPathComponent("stunnel.conf")
            try config.write(to: file, atomically: true, encoding: .utf8)
            return [file.path]
        }
    }
}

extension Peer {
    /// A loopback port that nothing listens on (at the moment of asking).
    public static func freePortForTests() throws -> Int { try freePort() }
}
