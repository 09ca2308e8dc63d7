import Foundation
import MirrorscopeFarm
import TestSupport
import Testing

/// Pages that never end or barely move (MirrorscopeFarm's `HostileMirrors`), read by the real
/// binary as a user would: refused at the document size limit or at the page timeout, with a
/// message and exit 2, never a hang and never memory filled.
@Suite("hostile pages")
struct HostilePageCLITests {
    @Test func aPageThatNeverEndsIsRefusedAtTheSizeLimit() async throws {
        let hostile = try await HostileMirrors.start([.endlessBody])
        defer { Task { await hostile.stop() } }
        let url = try #require(hostile.url(of: .endlessBody))
        let result = try await ProcessRunner.run("/usr/bin/time", ["-f", "maxrss=%M", try BuiltBinary.path(), "list", url],
                                                 timeout: .seconds(60))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("\(url) is larger than 8 MiB; not a page this program reads"), "\(result.stderr)")
        let peak = result.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss=") }.flatMap { Int($0.dropFirst(7)) }
        // The limit is 8 MiB of document; what is held beyond it is the program itself.
        #expect((peak ?? .max) < 80 * 1024, "peak RSS \(peak ?? -1) KiB")
    }

    /// A byte a second keeps the connection's read timeout from ever firing; the page timeout
    /// (20 s for the whole page) ends it.
    @Test func aPageServedAByteASecondIsRefusedAtThePageTimeout() async throws {
        let hostile = try await HostileMirrors.start([.slowBody])
        defer { Task { await hostile.stop() } }
        let url = try #require(hostile.url(of: .slowBody))
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await ProcessRunner.run(try BuiltBinary.path(), ["list", url], timeout: .seconds(60))
        let took = clock.now - start
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("\(url) did not arrive within 20 s"), "\(result.stderr)")
        #expect(took >= .seconds(19) && took < .seconds(30), "took \(took)")
    }
}
