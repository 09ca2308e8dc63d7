import MirrorscopeDirector
import Testing

/// The configuration error a text makes (parsed as "director.toml"), or nil when it parses; any
/// other error is recorded as an issue, since the parser must only ever throw `ConfigError`.
func configError(parsing text: String) -> ConfigError? {
    do {
        _ = try ConfigParser.parse(text, file: "director.toml")
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        Issue.record("not a ConfigError: \(error)")
        return nil
    }
}
