import Foundation
import MirrorscopeDownload
import Testing

/// `w` saves a file under a name that comes from the network: it must stay inside the download
/// folder whatever the link says.
@Suite("saving: the download file name")
struct DownloadTargetTests {
    /// A fresh, empty download folder, removed afterwards.
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-download-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    /// Where `path` would be saved, or the refusal's message in brackets.
    static func chosen(_ path: String, folder: String) -> String {
        do {
            return try DownloadTarget.choose(path: path, folder: folder).path
        } catch {
            return "[\(error.message)]"
        }
    }

    static func refusal(_ path: String, folder: String) -> String? {
        do {
            _ = try DownloadTarget.choose(path: path, folder: folder)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func aPlainNameIsSavedInTheFolder() throws {
        try Self.withFolder { folder in
            #expect(Self.chosen("files/example-1.0.tar.gz", folder: folder) == folder + "/example-1.0.tar.gz")
            // Percent-encoded characters are decoded for the name.
            #expect(Self.chosen("files/read%20me.txt", folder: folder) == folder + "/read me.txt")
        }
    }

    @Test(arguments: ["..", "files/..", "files/%2E%2E", "%2e%2e", ".", "files/."])
    func dotDotAndDotAreRefused(path: String) throws {
        try Self.withFolder { folder in
            let message = try #require(Self.refusal(path, folder: folder), "\(path) was accepted")
            #expect(message.contains("not a plain file name"))
        }
    }

    /// Only the last segment names the file: a path that climbs or starts at the root still
    /// saves inside the folder, and a separator hidden by percent-encoding is refused.
    @Test func absolutePathsAndClimbingPathsStayInTheFolder() throws {
        try Self.withFolder { folder in
            #expect(Self.chosen("/etc/passwd", folder: folder) == folder + "/passwd")
            #expect(Self.chosen("../../../etc/passwd", folder: folder) == folder + "/passwd")
            #expect(Self.refusal("%2Fetc%2Fpasswd", folder: folder) != nil, "an encoded absolute path is not a name")
            #expect(Self.refusal("files/..%2F..%2Fevil", folder: folder) != nil)
        }
    }

    @Test(arguments: ["..\\..\\evil.exe", "files/a\\b", "files/..%5C..%5Cevil", "C:\\Windows\\evil"])
    func backslashesAreRefused(path: String) throws {
        try Self.withFolder { folder in
            #expect(Self.refusal(path, folder: folder) != nil, "\(path) was accepted")
        }
    }

    @Test(arguments: ["", "/", "%00", "a%00b", "a\u{0}b", "bad%0Aname", "bad%1Bname", ".hidden", "files/.bashrc"])
    func emptyControlAndHiddenNamesAreRefused(path: String) throws {
        try Self.withFolder { folder in
            #expect(Self.refusal(path, folder: folder) != nil, "\(path.debugDescription) was accepted")
        }
    }

    @Test func aTooLongNameIsRefused() throws {
        try Self.withFolder { folder in
            #expect(Self.refusal(String(repeating: "a", count: 256), folder: folder) != nil)
            #expect(Self.refusal(String(repeating: "a", count: 255), folder: folder) == nil)
        }
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        try Self.withFolder { folder in
            _ = FileManager.default.createFile(atPath: folder + "/a.iso", contents: Data("old".utf8))
            _ = FileManager.default.createFile(atPath: folder + "/a.iso.1", contents: Data("older".utf8))
            #expect(Self.chosen("a.iso", folder: folder) == folder + "/a.iso.2")
        }
    }

    @Test func aMissingFolderIsSaid() throws {
        let message = Self.refusal("a.iso", folder: "/nonexistent-\(UUID().uuidString)")
        #expect(message?.contains("does not exist") == true)
    }
}
