import Foundation

/// The real-world files in `../shared/fixtures` (beside the repository), read in place: they are
/// never copied into the project. Tests that need them are disabled, with the reason shown, when
/// the folder is absent.
enum Fixtures {
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // ManifestTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // the package
        .deletingLastPathComponent() // its parent
        .appendingPathComponent("shared/fixtures")

    static var available: Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("SOURCES.md").path)
    }

    static let absent = "../shared/fixtures is absent: the conformance tests read the real files there"

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
}
