import Foundation
import MirrorscopeFarm
import TestSupport
import Testing

/// `mirrorscope get` as a user runs it: the saved path on stdout, exit codes, refused names,
/// a mismatch keeping NAME.part, and a download killed half way that the next run continues.
@Suite("command line: get", .serialized)
struct GetCLITests {
    static let name = FarmLargeFile.name

    func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-get-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    func sha256(_ path: String) throws -> String {
        let r = try Spawn.run("/usr/bin/sha256sum", [path])
        return String(decoding: r.stdout, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    func farm(_ mirrors: [FarmMirrorSpec], _ body: (Farm) async throws -> Void) async throws {
        try await Farm.with(FarmConfig(mirrors: mirrors, largeFileBytes: 6 << 20), body)
    }

    @Test func probesThenSavesTheVerifiedFileAndPrintsItsPath() async throws {
        try await farm([.init(id: "warsaw", name: "Warsaw", location: "pl", delayMs: 20),
                        .init(id: "madrid", name: "Madrid", location: "es", delayMs: 200)]) { farm in
            let dir = try folder()
            let r = try await ProcessRunner.run(try BuiltBinary.path(), ["get", farm.pageURL, "files/" + Self.name, "--dir", dir, "--samples", "1"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == dir + "/" + Self.name + "\n")
            #expect(r.stderr.isEmpty, "no progress line when stderr is not a terminal: \(r.stderr)")
            #expect(try sha256(dir + "/" + Self.name) == farm.largeFile!.sha256)
            #expect(farm.lastRequestHeaders(mirror: "warsaw").contains { $0.name == "User-Agent" && $0.value.hasPrefix("mirrorscope/") })
        }
    }

    @Test func aWrongSHA256KeepsThePartFileAndExitsOne() async throws {
        try await farm([.init(id: "warsaw", name: "Warsaw", location: "pl", delayMs: 5)]) { farm in
            let dir = try folder()
            let r = try await ProcessRunner.run(try BuiltBinary.path(), ["get", farm.pageURL, "files/" + Self.name, "--dir", dir,
                                                                         "--mirror", farm.mirrors[0].url, "--sha256", String(repeating: "0", count: 64)])
            #expect(r.status == 1)
            #expect(r.stderr.contains("hash mismatch, kept as \(dir)/\(Self.name).part"), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(FileManager.default.fileExists(atPath: dir + "/" + Self.name + ".part"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/" + Self.name))
        }
    }

    @Test(arguments: [
        (["files/../../etc/passwd"], "without .. or a scheme"),
        (["files/.hidden"], "refusing to save \".hidden\": not a plain file name"),
        (["files/x", "--segments", "0"], "--segments must be between 1 and 16"),
        (["files/x", "--sha256", "abc"], "--sha256 abc: give the 64 hex digits"),
        (["files/x", "--lowest-speed", "fast"], "--lowest-speed fast"),
        (["files/x", "--no-verify", "--sha256", String(repeating: "a", count: 64)], "--no-verify and --sha256 exclude each other"),
        (["files/x", "files/y", "-o", "/tmp/x"], "-o names one file"),
    ])
    func badInputExitsTwo(arguments: [String], message: String) async throws {
        let folder = arguments.contains("-o") ? [] : ["--dir", try folder()]
        let r = try await ProcessRunner.run(try BuiltBinary.path(), ["get", "http://127.0.0.1:9/"] + arguments + folder)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func aDownloadKilledHalfWayIsContinuedByTheNextRun() async throws {
        // 6 MiB at 1 MiB/s: the first run is killed once its sidecar records 1 MiB or more.
        try await farm([.init(id: "warsaw", name: "Warsaw", location: "pl", delayMs: 5, bytesPerSecond: Double(1 << 20))]) { farm in
            let dir = try folder()
            let part = dir + "/" + Self.name + ".part"
            let arguments = ["get", farm.pageURL, "files/" + Self.name, "--dir", dir, "--mirror", farm.mirrors[0].url]
            let first = try BackgroundProcess(try BuiltBinary.path(), arguments, directory: try folder())
            let saved = try await waitFor("a sidecar recording 1 MiB", timeout: .seconds(30)) { () -> Int? in
                guard let data = FileManager.default.contents(atPath: part + ".json"),
                      let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let done = json["done"] as? [[Int]] else { return nil }
                let bytes = done.reduce(0) { $0 + $1[1] - $1[0] }
                return bytes >= 1 << 20 ? bytes : nil
            }
            first.signal(SIGKILL)
            try await waitUntil("the killed run to end") { !first.isRunning }
            #expect(!FileManager.default.fileExists(atPath: dir + "/" + Self.name))

            // Given the hash, the second run looks for no SHA256SUMS, whose request (made beside
            // the download's) would otherwise be the mirror's last.
            let second = try await ProcessRunner.run(try BuiltBinary.path(), arguments + ["--sha256", farm.largeFile!.sha256])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout == dir + "/" + Self.name + "\n")
            let range = farm.lastRequestHeaders(mirror: "warsaw").first { $0.name == "Range" }?.value ?? ""
            let from = Int(range.dropFirst("bytes=".count).split(separator: "-").first ?? "") ?? 0
            #expect(from >= saved, "the second run asked for \(range)")
            #expect(farm.lastRequestHeaders(mirror: "warsaw").contains { $0.name == "If-Range" })
            #expect(try sha256(dir + "/" + Self.name) == farm.largeFile!.sha256)
            #expect(!FileManager.default.fileExists(atPath: part))
        }
    }
}
