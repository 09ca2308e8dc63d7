import Foundation

/// Tests wait for a condition with a deadline, never for a fixed time (see GUIDE.md, "Testing").
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public var description: String
}

/// Polls `condition` every `interval` until it is true or `timeout` passes; throws with `what`
/// (and the last observed value, if `observed` is given) when the deadline passes.
public func waitUntil(_ what: String, timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20),
                      observed: (() async -> String)? = nil,
                      _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try await condition() { return }
        if clock.now >= deadline {
            let last = await observed?() ?? ""
            throw DeadlineExceeded(description: "timed out after \(timeout) waiting for \(what)" + (last.isEmpty ? "" : "; last seen:\n\(last)"))
        }
        try await Task.sleep(for: interval)
    }
}

/// Like `waitUntil`, for a value that appears: returns it as soon as `produce` gives non-nil.
public func waitFor<T>(_ what: String, timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20),
                       _ produce: () async throws -> T?) async throws -> T {
    var result: T?
    try await waitUntil(what, timeout: timeout, interval: interval) {
        result = try await produce()
        return result != nil
    }
    return result!
}
