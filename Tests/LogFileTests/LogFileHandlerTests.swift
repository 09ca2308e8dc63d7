import Foundation
import Logging
import MirrorscopeLogFile
import Testing

/// The one append-to-file log handler: the director's access log (`.message`) and the client's
/// `--log-file` (`.detailed`).
@Suite struct LogFileHandlerTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("logfile-\(UUID().uuidString).log").path
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func preformattedLinesAreWrittenAsTheyAreAndAppended() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "an earlier line\n".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try LogFile(path: path)
        var logger = Logger(label: "mirrorscope.access") { LogFileHandler(label: $0, file: file, format: .message) }
        logger[metadataKey: "ignored"] = "yes"
        logger.info("127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] \"GET / HTTP/1.1\" 302 0 \"-\" real=m0")
        logger.debug("below the level")
        #expect(try Self.lines(path) == ["an earlier line", "127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] \"GET / HTTP/1.1\" 302 0 \"-\" real=m0", ""])
    }

    @Test func detailedLinesCarryTimeLevelLabelAndSortedMetadata() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try LogFile(path: path)
        var logger = Logger(label: "mirrorscope.director") { LogFileHandler(label: $0, file: file) }
        logger[metadataKey: "zone"] = "eu"
        logger[metadataKey: "real"] = "m0"
        logger.warning("real server down", metadata: ["real": "m1"])
        let line = try #require(try Self.lines(path).first)
        let time = try #require(line.split(separator: " ").first)
        #expect(try Date.ISO8601FormatStyle().parse(String(time)).timeIntervalSinceNow.magnitude < 600, "\(line)")
        #expect(line.hasSuffix(" warning mirrorscope.director: real server down real=m1 zone=eu"), "\(line)")
    }

    @Test func linesFromManyThreadsNeverInterleave() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try LogFile(path: path)
        let line = String(repeating: "x", count: 500)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask { for n in 0..<200 { file.append("\(writer) \(n) \(line)") } }
            }
        }
        let lines = try Self.lines(path).dropLast()
        #expect(lines.count == 1600)
        #expect(lines.allSatisfy { $0.hasSuffix(" " + line) && $0.split(separator: " ").count == 3 })
    }

    @Test func aFileThatCannotBeOpenedSaysWhy() {
        #expect(throws: LogFileError(path: "/nonexistent/dir/x.log", reason: "No such file or directory")) {
            try LogFile(path: "/nonexistent/dir/x.log")
        }
    }
}
