import MirrorscopeConfig

extension FuzzTarget {
    /// A theme file (TOML), as `--theme PATH` or a user theme reads it.
    public static let theme = FuzzTarget(name: "theme") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        guard let (theme, warnings) = try? ThemeFile.parse(text, name: "fuzz") else { return [] }
        return ([ScreenText.problem(theme.name, "the theme's name")] + warnings.map { ScreenText.problem($0, "a warning") }).compactMap { $0 }
    }
}
