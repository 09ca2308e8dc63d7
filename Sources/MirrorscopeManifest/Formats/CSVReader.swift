/// A small RFC 4180 reader: fields separated by commas, quoted with `"` when they hold commas,
/// quotes (doubled) or line breaks; CRLF or LF line ends. CRAN's list is the only CSV read, and
/// these forty lines cost less than a package. Each record keeps the line it starts on.
enum CSVReader {
    struct Record {
        var fields: [String]
        var line: Int
    }

    struct Failure: Error {
        var message: String
        var line: Int
    }

    static func records(_ text: String) throws(Failure) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(fields: fields, line: recordLine)) }
            fields = []
        }
        while let c = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = scalars.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty:
                quoted = true
                quoteLine = line
            case ",":
                fields.append(field)
                field = ""
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw Failure(message: "a quoted field opened here is never closed", line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
