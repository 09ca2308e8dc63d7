import Foundation
import MirrorscopeConfig
import MirrorscopeCore
import Testing

@Suite("themes")
struct ThemeTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

    @Test(arguments: ["default", "light", "monochrome", "high-contrast"])
    func everyShippedThemeLoadsCleanly(name: String) throws {
        let text = try String(contentsOfFile: Self.themesFolder + "/\(name).toml", encoding: .utf8)
        let (theme, warnings) = try ThemeFile.parse(text, name: name)
        #expect(warnings.isEmpty)
        #expect(theme.name == name)
        #expect(Set(theme.looks.keys) == Set(Role.allCases))
    }

    @Test func theDefaultFileSaysWhatTheBuiltInDefaultSays() throws {
        let text = try String(contentsOfFile: Self.themesFolder + "/default.toml", encoding: .utf8)
        #expect(try ThemeFile.parse(text, name: "default").theme == Theme.builtinDefault)
    }

    @Test func missingRolesFallBackAndUnknownKeysAreIgnored() throws {
        let (theme, warnings) = try ThemeFile.parse("""
            name = "mine"
            [header]
            bg = "#ff0000"
            sparkle = true
            [bar-wobbly]
            fg = 1
            """, name: "mine")
        #expect(theme.look(.header).bg == .rgb(255, 0, 0))
        #expect(theme.look(.header).fg == Theme.builtinDefault.look(.header).fg)
        #expect(theme.look(.failed) == Theme.builtinDefault.look(.failed))
        #expect(warnings == ["theme mine: unknown key \"bar-wobbly\" ignored", "theme mine: unknown key \"header.sparkle\" ignored"]
                || warnings == ["theme mine: unknown key \"header.sparkle\" ignored", "theme mine: unknown key \"bar-wobbly\" ignored"])
    }

    @Test(arguments: [
        ("[header]\nfg = \"purple\"", "header.fg must be a colour"),
        ("[header]\nfg = 300", "header.fg = 300 is outside 0...255"),
        ("[failed]\nattributes = [\"blink\"]", "failed.attributes may hold only"),
        ("header = 3", "\"header\" must be a table"),
        ("[header\nfg = 1", "line 1"),
    ])
    func badThemesAreRefusedNamingTheKey(text: String, reason: String) {
        do {
            _ = try ThemeFile.parse(text, name: "t")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    @Test func userThemesComeFromTheXDGConfigFolderAndUnknownNamesAreRefused() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ms-theme-\(UUID().uuidString)")
        let folder = home.appendingPathComponent("mirrorscope/themes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "name = \"ocean\"\n[header]\nbg = 24\n".write(to: folder.appendingPathComponent("ocean.toml"), atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": home.path, "HOME": "/nonexistent"]
        let exe = "/nonexistent/bin/mirrorscope"
        #expect(try ThemeLoader.load("ocean", environment: env, executablePath: exe).theme.name == "ocean")
        #expect(try ThemeLoader.load(nil, environment: env, executablePath: exe).theme == Theme.builtinDefault,
                "no default.toml anywhere: the built-in default")
        do {
            _ = try ThemeLoader.load("nope", environment: env, executablePath: exe)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "theme \"nope\" not found; available: ocean")
        }
        let path = folder.appendingPathComponent("ocean.toml").path
        #expect(try ThemeLoader.load(path, environment: [:], executablePath: exe).theme.name == "ocean")
    }
}
