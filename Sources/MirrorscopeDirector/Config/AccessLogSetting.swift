/// The `access_log` key: where the access log goes (see `AccessLog`).
public enum AccessLogSetting: Sendable, Hashable {
    /// Lines go to the `mirrorscope.access` logger at info level.
    case logger
    /// Lines go to the logger and are appended to this file.
    case file(String)
    case off
}
