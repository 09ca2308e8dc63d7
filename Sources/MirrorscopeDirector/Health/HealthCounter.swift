/// `rise`/`fall` counting for one real server. A server starts up (a director that just started
/// serves at once); `fall` failures in a row take it down, `rise` successes in a row bring it back.
public struct HealthCounter: Sendable, Hashable {
    public private(set) var up = true
    private var successes = 0
    private var failures = 0

    public init() {}

    /// Returns true when the state changed.
    public mutating func record(success: Bool, rise: Int, fall: Int) -> Bool {
        if success {
            failures = 0
            successes += 1
            if !up && successes >= rise {
                up = true
                return true
            }
        } else {
            successes = 0
            failures += 1
            if up && failures >= fall {
                up = false
                return true
            }
        }
        return false
    }

    /// A proxied exchange failed on this server: down at once, back after `rise` successes.
    public mutating func markDown() -> Bool {
        successes = 0
        failures = 0
        defer { up = false }
        return up
    }
}
