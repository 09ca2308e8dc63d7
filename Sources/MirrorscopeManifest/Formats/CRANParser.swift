import MirrorscopeCore

/// CRAN's mirror list (`CRAN_mirrors.csv`): a header `Name,Country,City,URL,Host,Maintainer,OK,
/// CountryCode,Comment`, one row per mirror. Columns are found by name, so reordered or added
/// columns still read. `CountryCode` is lower case and not always ISO (`uk`, which becomes `gb`;
/// `asia`, kept as the location). A row with `OK` = 0 is a mirror CRAN marks as not working: it
/// is skipped with a warning, as R's `chooseCRANmirror()` leaves it out.
public enum CRANParser {
    public static func parse(_ text: String) throws(ManifestError) -> ParsedMirrors {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(text)
        } catch {
            throw ManifestError("\(PageFormat.cran.title): line \(error.line): \(error.message)")
        }
        guard let header = records.first else { throw ManifestError("\(PageFormat.cran.title): the document is empty") }
        let columns = header.fields.map { $0.trimmed().lowercased() }
        func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
        guard let urlColumn = column("url") else {
            throw ManifestError("\(PageFormat.cran.title): line \(header.line): the header has no URL column (it has \(TerminalText.sanitize(header.fields.joined(separator: ","), maxCharacters: 80)))")
        }
        var builder = MirrorListBuilder(format: .cran)
        for record in records.dropFirst() {
            builder.countEntry()
            let entry = "line \(record.line)"
            func value(_ index: Int?) -> String? {
                guard let index, index < record.fields.count else { return nil }
                let v = record.fields[index].trimmed()
                return v.isEmpty ? nil : v
            }
            guard record.fields.count == header.fields.count else {
                builder.skip(entry, "\(record.fields.count) fields where the header has \(header.fields.count)")
                continue
            }
            if value(column("ok")) == "0" {
                builder.skip(entry, "\(TerminalText.sanitize(value(column("name")) ?? value(urlColumn) ?? "", maxCharacters: 60)) is marked not OK by CRAN")
                continue
            }
            var mirror = Mirror(id: "", url: value(urlColumn) ?? "")
            mirror.name = value(column("name")).map { TerminalText.sanitize($0, maxCharacters: 80) }
            mirror.countryName = value(column("country")).map { TerminalText.sanitize($0, maxCharacters: 40) }
            mirror.city = value(column("city")).map { TerminalText.sanitize($0, maxCharacters: 60) }
            if let code = value(column("countrycode")) {
                let clean = TerminalText.sanitize(code, maxCharacters: 20)
                if CountryNames.isCode(clean) { mirror.country = CountryNames.normalised(clean) }
                mirror.location = mirror.country ?? clean.lowercased()
            }
            builder.add(mirror, entry: entry)
        }
        return builder.finish()
    }
}

extension CRANParser: TextDocumentFormat {
    static let format = PageFormat.cran
    static let mediaTypes = ["text/csv"]

    static func claims(fileName: String) -> Bool { fileName.hasSuffix(".csv") }

    /// A CSV header naming a URL column (`"Name","Country",...,"URL",...`).
    static func sniff(_ head: DocumentHead) -> Sniff? {
        guard let line = head.firstContentLine, line.contains(",") else { return nil }
        let names = line.split(separator: ",").map { $0.trimmed().trimmingCharacters(in: ["\""]).lowercased() }
        return names.contains("url") ? .certain : nil
    }
}

extension PageFormat {
    public static let cran = PageFormat("cran", title: "CRAN mirror CSV", aliases: ["csv"])
}
