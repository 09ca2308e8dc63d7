import Foundation
import MirrorscopeCore

/// Decoding the JSON formats (the probe script, the Arch mirror status) with `JSONDecoder`, and
/// wording what goes wrong as users read it: the size limit, a top level that is not an object,
/// and a syntax error with its line and column.
enum JSONReading {
    /// `explain` words the format's own refusals (a missing key, a list that is not one); nil
    /// leaves the error to the general wording.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, format: PageFormat,
                                     explain: (any Error) -> String? = { _ in nil }) throws(ManifestError) -> T {
        guard data.count <= ManifestLimits.maxDocumentBytes else {
            throw ManifestError("\(format.title): larger than \(ManifestLimits.maxDocumentBytes / 1024 / 1024) MiB")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            if let reason = explain(error) { throw ManifestError("\(format.title): \(reason)") }
            if case DecodingError.typeMismatch(_, let context) = error, context.codingPath.isEmpty {
                throw ManifestError("\(format.title): the top level must be a JSON object")
            }
            // JSONDecoder says only that the data is not JSON; JSONSerialization says where.
            if let syntax = syntaxProblem(in: data) {
                throw ManifestError("\(format.title): not valid JSON (\(syntax))")
            }
            throw ManifestError("\(format.title): \(TerminalText.sanitize(String(describing: error), maxCharacters: 120))")
        }
    }

    /// Why `data` is not JSON ("line 3, column 13: ..."), or nil when it is.
    static func syntaxProblem(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let ns = error as NSError
            let text = ns.userInfo[NSDebugDescriptionErrorKey] as? String ?? ns.localizedDescription
            // Foundation gives the offset as an index (Darwin) or in the text, "around character 42" (Linux).
            var index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int
            if index == nil, let range = text.range(of: "character ") {
                index = Int(text[range.upperBound...].prefix(while: \.isNumber))
            }
            let reason = TerminalText.sanitize(text.replacingOccurrences(of: #" around (line \d+, column \d+|character \d+)\.?"#, with: "", options: .regularExpression), maxCharacters: 100)
            guard let index else { return reason }
            let (line, column) = TextPosition.lineAndColumn(of: index, in: data)
            return "line \(line), column \(column): \(reason)"
        }
    }
}

/// Where a byte offset falls in a document, as editors count (from 1).
enum TextPosition {
    static func lineAndColumn(of index: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for (i, byte) in data.enumerated() {
            if i >= index { break }
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
