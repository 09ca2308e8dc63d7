/// Per virtual server: what the director says about each file besides where to get it (docs/
/// director.md, "Metalink and Link headers per file"): how many other mirrors a redirect names in
/// `Link: rel=duplicate` headers, and where sizes and hashes may be believed from one source alone.
public struct FileLinkSettings: Sendable, Hashable {
    /// `Link: rel=duplicate` headers on a redirect besides the chosen mirror's own (0: none).
    public var duplicates: Int
    /// The master copy (`file_origin`): its `SHA256SUMS`/`SHA512SUMS` and sizes are believed
    /// alone. Without it a hash needs two mirrors that agree on it.
    public var origin: String?

    public static let maxDuplicates = 20

    public init(duplicates: Int = 5, origin: String? = nil) {
        self.duplicates = duplicates
        self.origin = origin
    }
}
