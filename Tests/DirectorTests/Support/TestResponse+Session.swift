import TestSupport

extension TestResponse {
    /// The session token the response sets, if any (`mirrorscope_session=TOKEN`).
    var sessionCookie: String? { cookie(named: "mirrorscope_session") }
}
