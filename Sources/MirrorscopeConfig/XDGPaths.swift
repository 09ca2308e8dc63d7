/// Where user files live (XDG base directories), from the environment.
public struct XDGPaths: Sendable {
    public var environment: [String: String]
    public init(environment: [String: String]) { self.environment = environment }

    private var home: String { environment["HOME"] ?? "/" }

    /// `$XDG_CONFIG_HOME/mirrorscope`, default `~/.config/mirrorscope`.
    public var configFolder: String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return base + "/mirrorscope"
    }

    /// User themes: `$XDG_CONFIG_HOME/mirrorscope/themes`.
    public var userThemesFolder: String { configFolder + "/themes" }
}
