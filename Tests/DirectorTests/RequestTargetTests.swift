import Testing
@testable import MirrorscopeDirector

@Suite struct RequestTargetTests {
    @Test func contentKeepsPathAndQuery() {
        #expect(RequestTarget.classify("/files/a.tar.gz?x=1&y=%20") == .content(rest: "files/a.tar.gz?x=1&y=%20"))
        #expect(RequestTarget.classify("/") == .content(rest: ""))
        #expect(RequestTarget.classify("/a//b") == .content(rest: "a//b"))
        #expect(RequestTarget.classify("/a/..b/c.") == .content(rest: "a/..b/c."))
        #expect(RequestTarget.classify("/q?p=../../x") == .content(rest: "q?p=../../x"))
    }

    @Test func directedIdentifiers() {
        #expect(RequestTarget.classify("/~de1/files/x") == .directed(id: "de1", rest: "files/x"))
        #expect(RequestTarget.classify("/~de1") == .directed(id: "de1", rest: ""))
        #expect(RequestTarget.classify("/~de1?x") == .directed(id: "de1", rest: "?x"))
        #expect(RequestTarget.classify("/~de1//evil.example/") == .rejected(.doubleSlash))
    }

    @Test func controlPaths() {
        #expect(RequestTarget.classify("/-/metrics") == .control(path: "/-/metrics", query: nil))
        #expect(RequestTarget.classify("/-/mirrors.meta4?path=a") == .control(path: "/-/mirrors.meta4", query: "path=a"))
        #expect(RequestTarget.classify("/-x") == .content(rest: "-x"))
    }

    @Test(arguments: [
        ("//evil.example/x", TargetRejection.doubleSlash),
        ("/\\evil.example/x", .doubleSlash),
        ("http://evil.example/x", .notOriginForm),
        ("evil.example:443", .notOriginForm),
        ("*", .notOriginForm),
        ("/a%0d%0aSet-Cookie:%20x=1", .encodedControl),
        ("/a%0A", .encodedControl),
        ("/a%00", .encodedControl),
        ("/a%7f", .encodedControl),
        ("/a%zz", .badPercent),
        ("/a%4", .badPercent),
        ("/../etc/passwd", .dotSegment),
        ("/a/../../b", .dotSegment),
        ("/a/%2e%2e/b", .dotSegment),
        ("/a/.%2E", .dotSegment),
        ("/a/./b", .dotSegment),
        ("/a/..", .dotSegment),
        ("/a/..?q", .dotSegment),
        ("/a b", .badCharacter),
        ("/a\"b", .badCharacter),
        ("/a<b>", .badCharacter),
        ("/a#frag", .badCharacter),
        ("/a\\b", .badCharacter),
        ("/é", .badCharacter),
        ("/a\r\nX: y", .badCharacter),
    ])
    func hostileTargetsAreRejected(target: String, rejection: TargetRejection) {
        #expect(RequestTarget.classify(target) == .rejected(rejection))
    }

    @Test func overLongTargetsAreRejected() {
        let long = "/" + String(repeating: "a", count: RequestTarget.maxLength)
        #expect(RequestTarget.classify(long) == .rejected(.tooLong))
        #expect(TargetRejection.tooLong.status == 414)
        #expect(RequestTarget.classify(String(long.dropLast())) == .content(rest: Substring(long.dropFirst().dropLast())))
    }

    @Test func relativePaths() {
        #expect(RequestTarget.relativePathProblem("files/README.txt") == nil)
        #expect(RequestTarget.relativePathProblem("") == nil)
        #expect(RequestTarget.relativePathProblem("/abs") != nil)
        #expect(RequestTarget.relativePathProblem("../up") != nil)
    }
}
