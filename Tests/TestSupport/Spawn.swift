import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process with posix_spawn and reaps it with waitpid. Foundation's `Process` on
/// Linux can miss the exit of a child that ends very quickly (seen here with `tmux new-session -d`:
/// the child stays a zombie and `waitUntilExit` never returns), so the tests do not use it.
/// The child gets only its three standard streams and a clean signal state.
/// Blocking: call it from a thread of its own, or for commands that end at once.
public enum Spawn {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `path arguments`, feeds `stdin`, collects stdout and stderr (or discards them), and
    /// kills the child with SIGKILL when `deadline` passes (then `timedOut` is true).
    public static func run(_ path: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                           capture: Bool = true, deadline: Duration? = nil) throws -> (status: Int32, stdout: Data, stderr: Data, timedOut: Bool) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw Failure(description: "pipe failed") }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        // Nothing else of ours reaches the child: a child holding a copy of a test's listening
        // socket (a farm mirror the test has just stopped) would keep the port accepting.
        closeInheritedDescriptors(&actions)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let env = TestEnvironment.isolated(environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; env.forEach { free($0) } }
        // The child starts with no signal blocked and default dispositions: the test runs on
        // threads that block most signals, and a child inheriting that (tmux's server, blind to
        // SIGCHLD, never reaped its panes nor exited) misbehaves.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, env)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw Failure(description: "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        if let stdin { _ = stdin.utf8CString.withUnsafeBufferPointer { write(inPipe[1], $0.baseAddress, $0.count - 1) } }
        close(inPipe[1])

        let start = ContinuousClock.now
        var out = Data(), err = Data(), timedOut = false
        var open = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 100)
            for f in fds where f.revents != 0 {
                let n = read(f.fd, &buffer, buffer.count)
                if n > 0 {
                    if f.fd == outPipe[0] { out.append(buffer, count: n) } else { err.append(buffer, count: n) }
                } else {
                    close(f.fd)
                    open.removeAll { $0 == f.fd }
                }
            }
            if let deadline, !timedOut, ContinuousClock.now - start > deadline {
                timedOut = true
                kill(pid, SIGKILL)
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exitCode, out, err, timedOut)
    }

    /// Starts `path arguments` in the background with stdout and stderr appended to `output`, and
    /// returns its pid (the caller stops and reaps it). Same clean start as `run`.
    public static func background(_ path: String, _ arguments: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let env = TestEnvironment.isolated().map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; env.forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, env)
        guard spawned == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+) closes every descriptor from 3;
    /// Swift's Glibc module does not declare it (it needs _GNU_SOURCE), so it is looked up.
    /// Without it, each descriptor open now is closed one by one.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }
}
