import MirrorscopeDirector

extension FuzzTarget {
    static let fuzzSecret = "fuzz-secret-fuzz-secret-fuzz-secret"
    static let fuzzNow: Int64 = 1_764_590_000

    /// Session-token verification on a cookie value. A token the director accepts must be exactly
    /// the one it would sign for that content: nothing made up, truncated, padded or re-cased
    /// passes (the seeds are real tokens signed with `fuzzSecret`, so mutations start near them).
    public static let sessionToken = FuzzTarget(name: "session-token") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let signer = SessionSigner(secret: fuzzSecret)
        guard let token = signer.verify(Substring(text), now: fuzzNow) else { return [] }
        var problems: [String] = []
        if signer.sign(token) != text { problems.append("accepted \(text.debugDescription), which is not the signed form of its content") }
        if token.expiry <= fuzzNow { problems.append("accepted an expired token") }
        if SessionSigner(secret: fuzzSecret + "x").verify(Substring(text), now: fuzzNow) != nil {
            problems.append("another secret accepts \(text.debugDescription)")
        }
        return problems
    }
}
