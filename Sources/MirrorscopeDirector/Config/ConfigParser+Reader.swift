import MirrorscopeGeo
import TOMLKit

/// Typed access to one table of the config file, naming keys by their path for errors.
struct ConfigReader {
    let table: TOMLTable
    /// "" for the top level, "health", "real[2]".
    let section: String

    func path(_ key: String) -> String { section.isEmpty ? key : "\(section).\(key)" }

    func error(_ key: String, _ message: String) -> ConfigError { ConfigError(key: path(key), message) }

    func has(_ key: String) -> Bool { table[key] != nil }

    func rejectUnknownKeys(allowed: Set<String>) throws {
        for key in table.keys.sorted() where !allowed.contains(key) {
            throw error(key, "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// The table decoded as `T` (a schema such as `RealServerConfig`), its mistakes told like those
    /// of the rest of the file: the key path, and what the value must be.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try TOMLDecoder().decode(T.self, from: table)
        } catch RealServerSchemaError.unknownKey(let key, let expected) {
            throw error(key, "unknown key (expected one of: \(expected.sorted().joined(separator: ", ")))")
        } catch DecodingError.keyNotFound(let key, _) {
            throw error(key.stringValue, "required")
        } catch DecodingError.typeMismatch(let expected, let context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            let found = table[key].map { ", not \($0.type)" } ?? ""
            throw error(key, "must be \(Self.describe(expected))\(found)")
        } catch {
            throw ConfigError(key: section.isEmpty ? nil : section, "cannot be read: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        case is Double.Type: return "a number"
        case is [Int].Type: return "a list of integers"
        case is [String].Type: return "a list of strings"
        default: return "a \(type)"
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else { throw error(key, "must be a string, not \(value.type)") }
        return string
    }

    func required(_ key: String) throws -> String {
        guard let value = try string(key) else { throw error(key, "required") }
        return value
    }

    func int(_ key: String) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard let int = value.int else { throw error(key, "must be an integer, not \(value.type)") }
        return int
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else { throw error(key, "must be true or false, not \(value.type)") }
        return bool
    }

    func duration(_ key: String) throws -> Duration? {
        guard let value = table[key] else { return nil }
        if let seconds = value.int { return .seconds(seconds) }
        guard let text = value.string, let duration = ConfigParser.duration(text) else {
            throw error(key, "must be a duration such as \"30m\", \"5s\" or \"250ms\" (or a number of seconds)")
        }
        return duration
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws -> E? where E.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = E(rawValue: text) else {
            throw error(key, "\"\(text)\" is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func redirectStatus(_ key: String) throws -> RedirectStatus? {
        guard let code = try int(key) else { return nil }
        guard let status = RedirectStatus(rawValue: code) else { throw error(key, "must be 302 or 307") }
        return status
    }

    /// A string or a list of strings.
    func strings(_ key: String) throws -> [String]? {
        guard let value = table[key] else { return nil }
        if let string = value.string { return [string] }
        guard let array = value.array else { throw error(key, "must be a string or a list of strings") }
        return try array.map { element in
            guard let string = element.string else { throw error(key, "must be a string or a list of strings") }
            return string
        }
    }

    func addresses(_ key: String) throws -> [ListenAddress] {
        try (strings(key) ?? []).map { text in
            guard let address = ListenAddress(text) else {
                throw error(key, "\"\(text)\" is not HOST:PORT (an IPv6 host in brackets: \"[::1]:8080\")")
            }
            return address
        }
    }

    /// A CIDR or a list of them (`"10.0.0.0/8"`, `"::1"`).
    func networks(_ key: String) throws -> [IPNetwork] {
        try (strings(key) ?? []).map { text in
            guard let network = IPNetwork(text) else {
                throw error(key, "\"\(text)\" is not an address or CIDR block (\"10.0.0.0/8\", \"2001:db8::/32\")")
            }
            return network
        }
    }

    func table(_ key: String) throws -> ConfigReader? {
        guard let value = table[key] else { return nil }
        guard let table = value.table else { throw error(key, "must be a table ([\(key)])") }
        return ConfigReader(table: table, section: path(key))
    }

    /// An array of tables (`[[real]]`); each reader's section is `real[i]`.
    func tables(_ key: String) throws -> [ConfigReader] {
        guard let value = table[key] else { return [] }
        guard let array = value.array else { throw error(key, "must be tables ([[\(key)]])") }
        return try array.enumerated().map { index, element in
            guard let table = element.table else { throw error(key, "must be tables ([[\(key)]])") }
            return ConfigReader(table: table, section: "\(path(key))[\(index)]")
        }
    }
}
