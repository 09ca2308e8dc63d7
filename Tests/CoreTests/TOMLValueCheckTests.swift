import MirrorscopeCore
import Testing

/// What is refused before toml++ sees it (it would abort), and what valid TOML passes.
@Suite("TOML value check")
struct TOMLValueCheckTests {
    @Test(arguments: [
        ("a = [}", 1),
        ("a = [1,\n\n}", 3),
        ("a = [ # a comment\n}]", 2),
        ("x = {a = [}]}", 1),
        ("id = 1979-05-27Tñ07:", 1),
        ("a = 1\nredirect_status = 1979-05-27T-07T0ZxX07:32:00Z", 2),
        ("a = [1979-05-27TZ]", 1),
        ("ls = \"fr1\"\n\nln = [1 # a comment\u{0}\u{0}\n]", 3),
        ("s = \"bell\u{07}\"", 1),
        ("# ok\nname = \"x\"\nbé = 1", 3),
        ("[tablé]\na = 1", 1),
        ("s = \"\"\"\nline\n\"\"\"\nv = é", 4),
    ])
    func brokenValuesAreRefusedWithTheirLine(text: String, line: Int) {
        #expect(TOMLValueCheck.badValueLine(in: text) == line, "\(text.debugDescription)")
    }

    @Test(arguments: [
        "title = \"Téléchargements ✓\"  # commentaire: é }",
        "a = [1, 2,]\nb = [[1, 2], [3]]\nc = {x = 1, y = [\"}\"]}",
        "s = '''\n[ ] } é\n'''\nt = \"\"\"a\\\n  b \"\"\"\"",
        "[\"clé\"]\nv = 1\n[[real]]\nid = \"ñ\"\nat = 1979-05-27T07:32:00Z",
        "lit = 'C:\\path\\}'\nesc = \"quote \\\" } é\"",
    ])
    func validTOMLPasses(text: String) {
        #expect(TOMLValueCheck.badValueLine(in: text) == nil, "\(text.debugDescription)")
    }
}
