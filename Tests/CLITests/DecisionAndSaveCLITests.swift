import Foundation
import MirrorscopeFarm
import TestSupport
import Testing

/// `probe` names the fastest before the hanging mirrors time out, stops there when asked, and
/// `--save` writes a list that `list` reads back, safely. One at a time: each runs a farm and the
/// binary, and on two shared cores more at once would distort the timings the others measure.
@Suite("command line: decision and --save", .serialized)
struct DecisionAndSaveCLITests {
    func mirrorscope(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.run(try BuiltBinary.path(), arguments, timeout: .seconds(60))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ms-save-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A fast mirror, two slow ones, three that hang until the timeout and one that refuses.
    /// Delays 80 ms and more apart, so the ranking holds on a busy machine.
    static let hanging = FarmConfig(mirrors: [
        FarmMirrorSpec(id: "slow", name: "Slow", location: "fr", delayMs: 200),
        FarmMirrorSpec(id: "fast", name: "Fast", location: "de", delayMs: 5),
        FarmMirrorSpec(id: "middle", name: "Middle", location: "nl", delayMs: 100),
        FarmMirrorSpec(id: "h1", name: "Hang 1", location: "jp", delayMs: 0, fault: .hang),
        FarmMirrorSpec(id: "h2", name: "Hang 2", location: "jp", delayMs: 0, fault: .hang),
        FarmMirrorSpec(id: "h3", name: "Hang 3", location: "jp", delayMs: 0, fault: .hang),
        FarmMirrorSpec(id: "refuse", name: "Refuse", location: "it", delayMs: 0, fault: .refuse),
    ], probeSamples: 3)

    @Test func theDecisionComesBeforeTheHangingMirrorsTimeOut() async throws {
        try await Farm.with(Self.hanging) { farm in
            let r = try await mirrorscope(["probe", farm.pageURL, "--format", "json", "--timeout", "6000"])
            #expect(r.status == 0, "\(r.stderr)")
            let doc = try json(r.stdout)
            let decided = try #require(doc["decided_ms"] as? Double)
            let wall = try #require(doc["wall_ms"] as? Double)
            // The fast mirror is done after three samples of ~5 ms, while every other one has been
            // waiting longer than that on its first: decided then, not after the 6 s timeouts
            // (the bound leaves room for a machine busy with other builds).
            #expect(wall >= 5900, "the round waited for the hanging mirrors: \(wall) ms")
            #expect(decided < 3000, "decided at \(decided) ms: \(r.stdout)")
            let mirrors = try #require(doc["mirrors"] as? [[String: Any]])
            #expect(mirrors.first?["id"] as? String == "fast")
            #expect(r.stderr.isEmpty, "no progress line when stderr is not a terminal: \(r.stderr)")
        }
    }

    @Test func untilDecidedStopsTheRoundThereAndListsTheRestUnfinished() async throws {
        try await Farm.with(Self.hanging) { farm in
            let clock = ContinuousClock()
            let start = clock.now
            let r = try await mirrorscope(["probe", farm.pageURL, "--format", "json", "--timeout", "20000", "--until-decided"])
            let elapsed = clock.now - start
            #expect(r.status == 0, "\(r.stderr)")
            #expect(elapsed < .seconds(12), "returned after \(elapsed), the hanging mirrors would take 20 s")
            let doc = try json(r.stdout)
            let decided = try #require(doc["decided_ms"] as? Double)
            #expect(decided < 10_000)
            #expect(doc["wall_ms"] as? Double == decided, "the round ended at the decision")
            let mirrors = try #require(doc["mirrors"] as? [[String: Any]])
            #expect(mirrors.first?["id"] as? String == "fast")
            #expect(mirrors.first?["rank"] as? Int == 1)
            let unfinished = mirrors.filter { $0["error_kind"] as? String == "unfinished" }.compactMap { $0["id"] as? String }
            #expect(Set(unfinished).isSuperset(of: ["h1", "h2", "h3"]), "\(mirrors)")
            #expect(mirrors.contains { $0["id"] as? String == "refuse" && $0["error_kind"] as? String == "refused" })
        }
    }

    /// Three answering mirrors (80 ms and more apart) and one that refuses.
    static let ranked = FarmConfig(mirrors: [
        FarmMirrorSpec(id: "c", name: "C", location: "fr", delayMs: 190),
        FarmMirrorSpec(id: "a", name: "A", location: "de", delayMs: 10),
        FarmMirrorSpec(id: "x", name: "X", location: "it", delayMs: 0, fault: .refuse),
        FarmMirrorSpec(id: "b", name: "B", location: "nl", delayMs: 100),
    ], probeSamples: 1)

    @Test(arguments: ["pacman", "apt-sources", "apt-mirrorlist", "yum", "plain", "metalink4"])
    func savedListsReadBackInRankOrder(format: String) async throws {
        try await Farm.with(Self.ranked) { farm in
            let dir = try folder()
            let file = dir + "/saved"
            var args = ["probe", farm.pageURL, "--format", "json", "--save", file, "--save-format", format]
            if format == "apt-sources" { args += ["--keep", "3"] }
            let r = try await mirrorscope(args)
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(r.stderr.contains("saved 3 mirrors to \(file)"), "\(r.stderr)")
            // The file holds the ranking the round printed (whatever a busy machine measured).
            let probed = try #require(try json(r.stdout)["mirrors"] as? [[String: Any]])
            let expected = probed.filter { $0["ok"] as? Bool == true }.compactMap { $0["url"] as? String }
            #expect(Set(expected) == Set(["a", "b", "c"].map { farm.url(ofMirror: $0)! }), "the answered ones, the refused one left out")

            let listed = try await mirrorscope(["list", file, "--format", "json"])
            #expect(listed.status == 0, "\(format): \(listed.stderr)")
            let urls = try #require(try json(listed.stdout)["mirrors"] as? [[String: Any]]).compactMap { $0["url"] as? String }
            #expect(urls == expected, "\(format): \((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")")
        }
    }

    @Test func aSecondSaveKeepsTheFirstAsBak() async throws {
        try await Farm.with(Self.ranked) { farm in
            let file = try folder() + "/mirrorlist"
            try "Server = http://old.example/$repo/os/$arch\n".write(toFile: file, atomically: false, encoding: .utf8)
            chmod(file, 0o640)
            let r = try await mirrorscope(["probe", farm.pageURL, "--format", "json", "--save", file, "--save-format", "pacman", "--keep", "2"])
            #expect(r.status == 0, "\(r.stderr)")
            let probed = try #require(try json(r.stdout)["mirrors"] as? [[String: Any]])
            let fastest = probed.filter { $0["ok"] as? Bool == true }.compactMap { $0["url"] as? String }.prefix(2)
            #expect(r.stderr.contains("the previous file is kept as \(file).bak"))
            #expect(try String(contentsOfFile: file + ".bak", encoding: .utf8) == "Server = http://old.example/$repo/os/$arch\n")
            let saved = try String(contentsOfFile: file, encoding: .utf8)
            #expect(saved.contains(fastest.map { "Server = \($0)\n" }.joined()), "the two fastest, in order:\n\(saved)")
            #expect(saved.contains("left out: 1 failed, 1 beyond --keep 2"))
            var info = stat()
            stat(file, &info)
            #expect(info.st_mode & 0o777 == 0o640, "the mode is kept")
        }
    }

    @Test func anEmptyListIsNeverWrittenAndTheOldFileIsLeft() async throws {
        let config = FarmConfig(mirrors: [FarmMirrorSpec(id: "x", name: "X", location: "it", delayMs: 0, fault: .refuse),
                                          FarmMirrorSpec(id: "y", name: "Y", location: "it", delayMs: 0, fault: .status(503))],
                                probeSamples: 1)
        try await Farm.with(config) { farm in
            let file = try folder() + "/mirrors.txt"
            try "http://old.example/\n".write(toFile: file, atomically: false, encoding: .utf8)
            let r = try await mirrorscope(["probe", farm.pageURL, "--save", file])
            #expect(r.status == 1)
            #expect(r.stderr.contains("nothing saved: no mirror answered, so \(file) is left as it was"), "\(r.stderr)")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == "http://old.example/\n")
            #expect(!FileManager.default.fileExists(atPath: file + ".bak"))
        }
    }

    @Test func aTargetThatCannotBeWrittenIsExitTwoAndTheOldFileIsLeft() async throws {
        try await Farm.with(Self.ranked) { farm in
            let dir = try folder()
            // A folder as the target is refused before the round.
            let r1 = try await mirrorscope(["probe", farm.pageURL, "--save", dir])
            #expect(r1.status == 2)
            #expect(r1.stderr.contains("--save \(dir): is a folder, not a file"), "\(r1.stderr)")
            #expect(r1.stdout.isEmpty)
            // A .bak that cannot be made (a folder holds its name): refused at the write, the old file kept.
            let file = dir + "/mirrors.txt"
            try "http://old.example/\n".write(toFile: file, atomically: false, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: file + ".bak", withIntermediateDirectories: false)
            try "x".write(toFile: file + ".bak/keep", atomically: false, encoding: .utf8)
            let r2 = try await mirrorscope(["probe", farm.pageURL, "--save", file])
            #expect(r2.status == 2)
            #expect(r2.stderr.contains("--save: cannot keep the previous file"), "\(r2.stderr)")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == "http://old.example/\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["mirrors.txt", "mirrors.txt.bak"])
            // A folder that is not there.
            let r3 = try await mirrorscope(["probe", farm.pageURL, "--save", dir + "/no/such/file"])
            #expect(r3.status == 2)
            #expect(r3.stderr.contains("no such folder"), "\(r3.stderr)")
        }
    }

    @Test(arguments: [
        (["probe", "x.txt", "--save-format", "pacman"], "--save-format and --keep need --save FILE"),
        (["probe", "x.txt", "--save", "f", "--keep", "0"], "--keep must be at least 1"),
        (["probe", "x.txt", "--save", "f", "--save-format", "rpm"], "--save-format"),
    ])
    func badSaveFlagsExitTwo(arguments: [String], message: String) async throws {
        let r = try await mirrorscope(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}
