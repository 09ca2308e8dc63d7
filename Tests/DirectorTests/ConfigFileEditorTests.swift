import Foundation
import Testing
@testable import MirrorscopeDirector

@Suite struct ConfigFileEditorTests {
    static let text = """
        # Our director.
        listen = "127.0.0.1:8080"
        secret = "0123456789abcdef"

        # Frankfurt, the big one.
        [[real]]
        id = "de1"
        url = "http://de.example.org/pub/"
        weight = 3 # busy

        # Paris.
        [[real]]
        id = "fr1"
        url = "http://fr.example.org/pub/"
        backup = "de1"

        [health]
        interval = "2s"

        """

    func edit(_ change: AdminChange) throws -> (String, DirectorConfig) {
        let expected = try change.applied(to: ConfigParser.parse(Self.text))
        let edited = try ConfigFileEditor.edited(Self.text, change: change, expected: expected)
        #expect(try ConfigParser.parse(edited) == expected)
        return (edited, expected)
    }

    @Test func addingKeepsCommentsAndPutsTheTableAfterTheOthers() throws {
        let (edited, expected) = try edit(.add(RealServerConfig(id: "us1", url: "http://us.example.org/pub/", weight: 2,
                                                                backup: .server("fr1"), location: "us")))
        #expect(expected.reals.map(\.id) == ["de1", "fr1", "us1"])
        #expect(edited.contains("# Frankfurt, the big one.") && edited.contains("weight = 3 # busy") && edited.contains("# Paris."))
        let us = try #require(edited.range(of: "id = \"us1\""))
        #expect(us.lowerBound < edited.range(of: "[health]")!.lowerBound)
        #expect(edited.contains("[[real]]\nid = \"us1\"\nurl = \"http://us.example.org/pub/\"\nweight = 2\nbackup = \"fr1\"\nlocation = \"us\"\n"))
    }

    @Test func patchingReplacesOrAddsTheKeyLine() throws {
        let (edited, _) = try edit(.patch(id: "de1", RealPatch(weight: 5, drain: true)))
        #expect(edited.contains("weight = 5\n"))
        #expect(!edited.contains("weight = 3"))
        #expect(edited.contains("drain = true"))
        #expect(edited.contains("# Paris."))
    }

    @Test func namesAndLocationsAreWrittenAndClearedByRemovingTheLine() throws {
        let (added, _) = try edit(.add(RealServerConfig(id: "us1", url: "http://us.example.org/pub/", name: "Ohio")))
        #expect(added.contains("id = \"us1\"\nurl = \"http://us.example.org/pub/\"\nweight = 1\nname = \"Ohio\"\n"))
        let (named, _) = try edit(.patch(id: "de1", RealPatch(location: "de", name: "Frankfurt")))
        #expect(named.contains("location = \"de\"\n") && named.contains("name = \"Frankfurt\"\n"))

        // Clearing: the running director has no name or location; the file must say the same.
        let change = AdminChange.patch(id: "de1", RealPatch(location: "", name: ""))
        let expected = try change.applied(to: ConfigParser.parse(named))
        let cleared = try ConfigFileEditor.edited(named, change: change, expected: expected)
        #expect(try ConfigParser.parse(cleared) == expected)
        #expect(expected.real("de1")?.name == nil && expected.real("de1")?.location == nil)
        #expect(!cleared.contains("name =") && !cleared.contains("location ="))
        #expect(cleared.contains("weight = 3 # busy"))
    }

    @Test func deletingRemovesOnlyThatTable() throws {
        var text = Self.text
        text = text.replacingOccurrences(of: "backup = \"de1\"\n", with: "")
        let change = AdminChange.delete(id: "de1")
        let expected = try change.applied(to: ConfigParser.parse(text))
        let edited = try ConfigFileEditor.edited(text, change: change, expected: expected)
        #expect(try ConfigParser.parse(edited) == expected)
        #expect(!edited.contains("de1"))
        #expect(edited.contains("# Paris.") && edited.contains("# Our director."))
    }

    @Test func inlineTablesFallBackToReserialising() throws {
        let text = """
            listen = "127.0.0.1:8080"
            secret = "0123456789abcdef"
            real = [{ id = "de1", url = "http://de.example.org/pub/" }]
            """
        let change = AdminChange.add(RealServerConfig(id: "fr1", url: "http://fr.example.org/pub/"))
        let expected = try change.applied(to: ConfigParser.parse(text))
        let edited = try ConfigFileEditor.edited(text, change: change, expected: expected)
        #expect(try ConfigParser.parse(edited) == expected)
    }

    @Test func changesThatBreakRulesAreRefusedBeforeWriting() throws {
        let config = try ConfigParser.parse(Self.text)
        #expect(throws: AdminError(status: 409, "real server \"de1\" exists already")) {
            try AdminChange.add(RealServerConfig(id: "de1", url: "http://x.example/")).applied(to: config)
        }
        #expect(throws: AdminError(status: 409, "real server \"de1\" is the backup of \"fr1\"; change that first")) {
            try AdminChange.delete(id: "de1").applied(to: config)
        }
        #expect(throws: AdminError(status: 404, "no real server has id \"zz\"")) {
            try AdminChange.patch(id: "zz", RealPatch(weight: 1)).applied(to: config)
        }
    }

    @Test func writingIsAtomicAndKeepsPermissions() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("editor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("director.toml").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try ConfigFileEditor.writeAtomically("new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["director.toml"])
    }

    @Test func tomlStringsAreEscaped() {
        #expect(ConfigFileEditor.quoted("a\"b\\c\nd") == "\"a\\\"b\\\\c\\nd\"")
    }
}
