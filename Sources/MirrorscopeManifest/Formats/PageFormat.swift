/// The name of a format the analyser reads: what `--input-format NAME` takes and the `format` that
/// `mirrorscope list` reports. Each format declares its own (next to its parser); the registry
/// (`FormatRegistry`) and the analyser's HTML and `Link` header readers list them all.
public struct PageFormat: Sendable, Hashable, CustomStringConvertible {
    /// The name, e.g. "metalink4".
    public let rawValue: String
    /// What a user calls it, for messages ("Metalink 4").
    public let title: String
    /// Other names users know it by ("meta4").
    public let aliases: [String]

    public init(_ name: String, title: String, aliases: [String] = []) {
        rawValue = name
        self.title = title
        self.aliases = aliases
    }

    public var description: String { rawValue }

    public static func == (a: PageFormat, b: PageFormat) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// Every format, in the order help texts list them.
    public static var allCases: [PageFormat] { PageAnalyzer.ownFormats + FormatRegistry.formats.map { $0.format } }

    /// The format of this exact name (as `Page.format` records it).
    public init?(rawValue: String) {
        guard let format = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = format
    }

    /// The format a `--input-format` value names, by name or alias, in any case.
    public static func named(_ name: String) -> PageFormat? {
        let key = name.trimmed().lowercased()
        return allCases.first { $0.rawValue == key } ?? allCases.first { $0.aliases.contains(key) }
    }
}
