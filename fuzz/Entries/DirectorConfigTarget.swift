import MirrorscopeDirector

extension FuzzTarget {
    /// The director's TOML configuration (`serve --config`, and every reload): a config is either
    /// refused with an error that names a line within the text, or accepted.
    public static let directorConfig = FuzzTarget(name: "director-config") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            _ = try ConfigParser.parse(text)
            return []
        } catch let error as ConfigError {
            // Line feeds, as the parser counts them (a Character split would take "\r\n" for one
            // character that is not "\n" and undercount: fuzz finding, a CRLF config).
            let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            if let line = error.line, line < 1 || line > lines + 1 { return ["error at line \(line) of a \(lines)-line file: \(error)"] }
            return []
        } catch {
            return ["an error that is not a ConfigError: \(error)"]
        }
    }
}
