/// Why a page could not be used. The message is what the user reads on stderr (exit code 2).
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Bounds every parser keeps, so a hostile or broken document cannot exhaust memory or time.
public enum ManifestLimits {
    /// Largest page or list read (apt refuses mirror lists over 1 MB; pages can be larger).
    public static let maxDocumentBytes = 8 * 1024 * 1024
    /// Mirrors kept from one document; more are dropped with a warning.
    public static let maxMirrors = 10_000
    /// Links kept from one HTML page.
    public static let maxLinks = 10_000
    /// Longest URL accepted in a mirror list.
    public static let maxURLLength = 2048
}
