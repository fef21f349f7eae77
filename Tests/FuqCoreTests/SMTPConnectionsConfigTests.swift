import Foundation
import Testing
@testable import FuqCore

@Suite("smtp.connections in the config")
struct SMTPConnectionsConfigTests {
    static func config(_ connections: String?) -> String {
        "smtp:\n  url: smtps://smtp.example.com:465\n" + (connections.map { "  connections: \($0)\n" } ?? "")
    }

    @Test("absent: two connections")
    func absentIsTwo() throws {
        #expect(try FuqConfig.parse(Self.config(nil), file: "c.yaml").smtp.connections == 2)
        #expect(try FuqConfig.parse("sender:\n  name: A\n", file: "c.yaml").smtp.connections == 2, "no smtp section at all")
    }

    @Test("1 to 16 are taken as written", arguments: ["1", "4", "16", "\"3\""])
    func accepted(_ value: String) throws {
        let expected = Int(value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        #expect(try FuqConfig.parse(Self.config(value), file: "c.yaml").smtp.connections == expected)
    }

    @Test("anything else is refused, naming the file, line, key, the range and what to write", arguments: [
        ("0", "got 0"), ("17", "got 17"), ("two", "got two"), ("-1", "got -1"), ("2.5", "got 2.5"),
    ])
    func refused(_ value: String, _ got: String) {
        let error = #expect(throws: YAMLProblem.self) { try FuqConfig.parse(Self.config(value), file: "c.yaml") }
        #expect(error?.description == "c.yaml:3: smtp.connections: expected a number of connections from 1 to 16, \(got); "
            + "2 (the default) suits most providers, 1 sends one note at a time")
        // What the user reads when the file is loaded (`fuq flush`, `fuq daemon`).
        if let error {
            #expect(ConfigError.invalid(error).errorDescription == error.description)
        }
    }
}
