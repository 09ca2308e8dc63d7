import PostgresNIO

/// A store operation that did not happen: the store could not be reached, did not answer in
/// time, or answered with an error. Told in one line an operator can act on.
struct StoreFailure: Error, Sendable, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }

    /// One line for any error postgres-nio or the network gives. `PSQLError`'s own description is
    /// deliberately generic; its code, the server's message and the underlying error say more,
    /// and none of them carries the password.
    static func reason(_ error: any Error) -> String {
        if let failure = error as? StoreFailure { return failure.description }
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return reason(inner)
            }
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + state
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}

/// What the store holds does not fit (a row someone wrote by hand, a table grown past its
/// bound): the store answers, but this is not a state to run. Told once, and the director keeps
/// what it runs until the table is fixed.
struct StoreContentError: Error, Sendable, Hashable, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

/// Runs `operation`, or fails with a `StoreFailure` when it takes longer than `limit` (and
/// cancels it): a store that stopped answering must not hold an admin request or a start.
func withStoreDeadline<T: Sendable>(_ limit: Duration, _ what: String,
                                    _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw StoreFailure("\(what) took longer than \(limit)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
