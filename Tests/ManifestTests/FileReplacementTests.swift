#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MirrorscopeManifest
import Testing

/// Replacing a list file: the old one kept as .bak, mode and owner kept, and a failure at any
/// step leaves the old file as it was and no temporary file behind.
@Suite("writers: replacing a file safely")
struct FileReplacementTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-replace-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    func info(_ path: String) -> stat {
        var s = stat()
        _ = stat(path, &s)
        return s
    }

    /// Everything in the folder: a failed write must leave no temporary file.
    var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }

    @Test func aNewFileIsWrittenWithTheUsualModeAndNoBackup() throws {
        let path = folder + "/mirrorlist"
        let outcome = try FileReplacement.replace(path, with: "Server = http://a/\n")
        #expect(outcome.path == path && outcome.backup == nil)
        #expect(read(path) == "Server = http://a/\n")
        // The umask, read (setting it, even back, would race with other tests creating files).
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        let mask = try #require(mode_t(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8))
        #expect(info(path).st_mode & 0o777 == 0o666 & ~mask)
        #expect(entries == ["mirrorlist"])
    }

    @Test func theOldFileIsKeptAsBakWithItsModeAndOwner() throws {
        let path = folder + "/mirrorlist"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        let owner: (uid_t, gid_t) = geteuid() == 0 ? (1234, 2345) : (geteuid(), getegid())
        if geteuid() == 0 { chown(path, owner.0, owner.1) }

        let outcome = try FileReplacement.replace(path, with: "new\n")
        #expect(outcome.backup == path + ".bak")
        #expect(read(path) == "new\n")
        #expect(read(path + ".bak") == "old\n")
        for file in [path, path + ".bak"] {
            #expect(info(file).st_mode & 0o7777 == 0o640, "\(file)")
            #expect(info(file).st_uid == owner.0 && info(file).st_gid == owner.1, "\(file)")
        }
        // Again: the .bak is now the previous file, not the first.
        _ = try FileReplacement.replace(path, with: "newer\n")
        #expect(read(path) == "newer\n")
        #expect(read(path + ".bak") == "new\n")
        #expect(entries == ["mirrorlist", "mirrorlist.bak"])
    }

    @Test func aTargetThatIsAFolderIsRefused() throws {
        let path = folder + "/taken"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(throws: ListFileError("\(path) is a folder, not a file")) { try FileReplacement.replace(path, with: "x\n") }
        #expect(entries == ["taken"])
    }

    @Test func aFailureAfterTheNewTextIsWrittenLeavesTheOldFileAsItWas() throws {
        // The .bak cannot be made (a folder holds its name): refused after the temporary file
        // was written, which must go again.
        let path = folder + "/mirrorlist"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: path + ".bak", withIntermediateDirectories: false)
        try "x".write(toFile: path + ".bak/keep", atomically: false, encoding: .utf8)
        #expect(throws: ListFileError.self) { try FileReplacement.replace(path, with: "new\n") }
        #expect(read(path) == "old\n")
        #expect(entries == ["mirrorlist", "mirrorlist.bak"])
    }

    @Test(.enabled(if: geteuid() != 0, "root writes into read-only folders"))
    func aReadOnlyFolderLeavesTheOldFileAsItWas() throws {
        let path = folder + "/mirrorlist"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(folder, 0o555)
        defer { chmod(folder, 0o755) }
        #expect(throws: ListFileError.self) { try FileReplacement.replace(path, with: "new\n") }
        #expect(read(path) == "old\n")
        #expect(entries == ["mirrorlist"])
    }

    @Test func aMissingFolderIsSaid() {
        let path = folder + "/no/such/mirrorlist"
        #expect(throws: ListFileError("cannot write \(path): no such folder \(folder)/no/such")) {
            try FileReplacement.replace(path, with: "x\n")
        }
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let real = folder + "/real-mirrorlist"
        try "old\n".write(toFile: real, atomically: false, encoding: .utf8)
        symlink("real-mirrorlist", folder + "/mirrorlist")
        let outcome = try FileReplacement.replace(folder + "/mirrorlist", with: "new\n")
        #expect(outcome.path == real)
        #expect(read(real) == "new\n")
        #expect(read(real + ".bak") == "old\n")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/mirrorlist")
        #expect(link == "real-mirrorlist")
    }
}
