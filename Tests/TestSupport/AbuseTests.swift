import Foundation

/// The long abuse tests (thousands of sockets, both cores for tens of seconds) run only when
/// MIRRORSCOPE_ABUSE_TESTS=1: beside the others they would disturb the timing tests. `.ci/run`
/// sets it for a pass of its own after the whole suite.
public let abuseTestsEnabled = ProcessInfo.processInfo.environment["MIRRORSCOPE_ABUSE_TESTS"] == "1"
