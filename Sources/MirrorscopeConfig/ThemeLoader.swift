import Foundation
import MirrorscopeCore

/// Finds and reads the theme the user asked for (`--theme NAME|PATH`).
/// Search for a NAME: `$XDG_CONFIG_HOME/mirrorscope/themes/NAME.toml`, `$MIRRORSCOPE_THEMES/NAME.toml`,
/// then `themes/NAME.toml` beside the program or up to four folders above it (a checkout running
/// `swift run`), then `/usr/local/share/mirrorscope/themes` and `/usr/share/mirrorscope/themes`.
/// With no `--theme`, "default" is searched the same way and the built-in default is used when no
/// file is found.
public enum ThemeLoader {
    public static func load(_ spec: String?, environment: [String: String], executablePath: String) throws(ThemeFile.Failure) -> (theme: Theme, warnings: [String]) {
        let name = spec ?? "default"
        if name.contains("/") || name.hasSuffix(".toml") {
            return try read(path: name, name: name)
        }
        for folder in searchFolders(environment: environment, executablePath: executablePath) {
            let path = folder + "/" + name + ".toml"
            if FileManager.default.fileExists(atPath: path) { return try read(path: path, name: name) }
        }
        if spec == nil || name == "default" { return (Theme.builtinDefault, []) }
        let known = availableThemes(environment: environment, executablePath: executablePath)
        throw ThemeFile.Failure(description: "theme \"\(name)\" not found" + (known.isEmpty ? "" : "; available: " + known.joined(separator: ", ")))
    }

    public static func searchFolders(environment: [String: String], executablePath: String) -> [String] {
        var folders = [XDGPaths(environment: environment).userThemesFolder]
        if let extra = environment["MIRRORSCOPE_THEMES"], !extra.isEmpty { folders.append(extra) }
        var dir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(dir.appendingPathComponent("themes").path)
            dir = dir.deletingLastPathComponent()
        }
        folders += ["/usr/local/share/mirrorscope/themes", "/usr/share/mirrorscope/themes"]
        return folders
    }

    public static func availableThemes(environment: [String: String], executablePath: String) -> [String] {
        var names = Set<String>()
        for folder in searchFolders(environment: environment, executablePath: executablePath) {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".toml") {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }

    static func read(path: String, name: String) throws(ThemeFile.Failure) -> (theme: Theme, warnings: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeFile.Failure(description: "theme file \(path) cannot be read")
        }
        guard data.count <= 256 * 1024, let text = String(data: data, encoding: .utf8) else {
            throw ThemeFile.Failure(description: "theme file \(path) is not a UTF-8 text file of reasonable size")
        }
        return try ThemeFile.parse(text, name: name)
    }
}
