import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@Suite("The audit log's hash chain")
struct AuditLogTests {
    /// A log of four lines, as the vault writes them.
    static func fourLines(_ directory: String) throws -> AuditLog {
        let log = AuditLog(path: "\(directory)/audit.log")
        let agent = Agent(name: "张律师", email: "legal@imut.edu.cn")
        let id = DossierID("IMUT-2021-0007")
        try log.append(AuditEvent(action: .filing, by: agent, dossier: id, version: VersionNumber(1)), at: "2021-04-21T09:30:00+08:00")
        try log.append(AuditEvent(action: .filing, by: agent, dossier: id, version: VersionNumber(2)), at: "2021-04-22T09:30:00+08:00")
        try log.append(AuditEvent(action: .export, by: agent, dossier: id, version: VersionNumber(2), details: ["reason": "审计"]), at: "2021-04-23T09:30:00+08:00")
        try log.append(AuditEvent(action: .refused, by: agent, dossier: id, details: ["attempt": "export"]), at: "2021-04-24T09:30:00+08:00")
        return log
    }

    static func lines(_ log: AuditLog) throws -> [String] {
        try readText(log.path).split(separator: "\n").map(String.init)
    }

    static func write(_ lines: [String], to log: AuditLog) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: log.path))
    }

    @Test("each line carries its number and the sha256 of the line before it")
    func chainIsWritten() throws {
        try withTemporaryDirectory { directory in
            // Given four appended events
            let log = try AuditLogTests.fourLines(directory)
            let lines = try AuditLogTests.lines(log)
            // Then line 1 points at 64 zeros and every other line at its predecessor's sha256
            #expect(lines.count == 4)
            let first = try #require(try JSONValue.parse(lines[0]).objectValue)
            #expect(first["n"] == 1)
            #expect(first["prev"] == .string(String(repeating: "0", count: 64)))
            #expect(first["action"] == "filing")
            #expect(first["by"]?["name"] == "张律师")
            for index in 1..<4 {
                let fields = try #require(try JSONValue.parse(lines[index]).objectValue)
                #expect(fields["n"] == .number(Double(index + 1)))
                #expect(fields["prev"] == .string(try Hasher.digest(.sha256, of: Array(lines[index - 1].utf8)).hex))
            }
            #expect(try JSONValue.parse(lines[2])["reason"] == "审计")
            // And verify finds it intact
            let (count, problems) = try log.verify()
            #expect(count == 4)
            #expect(problems.isEmpty)
        }
    }

    @Test("an edited line is named")
    func editedLine() throws {
        try withTemporaryDirectory { directory in
            // Given the log with line 2's version changed by hand
            let log = try AuditLogTests.fourLines(directory)
            var lines = try AuditLogTests.lines(log)
            lines[1] = lines[1].replacingOccurrences(of: "\"v2\"", with: "\"v9\"")
            try AuditLogTests.write(lines, to: log)
            // When it is verified
            let problems = try log.verify().problems
            // Then line 2 is named as changed, because line 3 records another hash for it
            #expect(problems.count == 1)
            #expect(problems.first?.line == 2)
            #expect(problems.first?.description.hasPrefix("audit.log line 2: was changed after it was written: line 3 records sha256 ") == true)
        }
    }

    @Test("a dropped line is named")
    func droppedLine() throws {
        try withTemporaryDirectory { directory in
            // Given the log without its second line
            let log = try AuditLogTests.fourLines(directory)
            var lines = try AuditLogTests.lines(log)
            lines.remove(at: 1)
            try AuditLogTests.write(lines, to: log)
            // Then the gap is named at the line that follows it, and nothing else
            let problems = try log.verify().problems
            #expect(problems == [AuditProblem(line: 2, problem: "carries number 3 where 2 was expected: line 2 was dropped before it")])
        }
    }

    @Test("reordered lines are named")
    func reorderedLines() throws {
        try withTemporaryDirectory { directory in
            // Given the log with lines 2 and 3 swapped
            let log = try AuditLogTests.fourLines(directory)
            var lines = try AuditLogTests.lines(log)
            lines.swapAt(1, 2)
            try AuditLogTests.write(lines, to: log)
            // Then the first problem names line 2 as out of order
            let problems = try log.verify().problems
            #expect(problems.first == AuditProblem(line: 2, problem: "carries number 3 where 2 was expected, and 2 comes later: the lines are out of order"))
        }
    }

    @Test("an edited or dropped last line is caught through audit.log.head")
    func lastLine() throws {
        try withTemporaryDirectory { directory in
            // Given the log with its last line edited
            let log = try AuditLogTests.fourLines(directory)
            let original = try AuditLogTests.lines(log)
            var edited = original
            edited[3] = edited[3].replacingOccurrences(of: "refused", with: "export")
            try AuditLogTests.write(edited, to: log)
            // Then line 4 is named
            #expect(try log.verify().problems.map(\.line) == [4])
            #expect(try log.verify().problems.first?.problem.hasPrefix("was changed after it was written: audit.log.head records sha256") == true)
            // And given the log without its last line, line 4 is named missing
            try AuditLogTests.write(Array(original.prefix(3)), to: log)
            #expect(try log.verify().problems == [AuditProblem(line: 4, problem: "missing: audit.log.head records 4 lines, the log ends after 3")])
        }
    }

    @Test("appending after a torn last line starts a new line and keeps counting")
    func tornLine() throws {
        try withTemporaryDirectory { directory in
            // Given a log whose last write was cut off
            let log = try AuditLogTests.fourLines(directory)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("{\"n\":5,\"at\":".utf8))
            try handle.close()
            // When another event is appended
            let record = try log.append(AuditEvent(action: .rebuild, by: nil), at: "2021-04-25T09:30:00+08:00")
            // Then it is line 6, and verify names the torn line 5 and nothing else: line 6
            // follows the torn line in number and in hash
            #expect(record.line == 6)
            let problems = try log.verify().problems
            #expect(problems == [AuditProblem(line: 5, problem: "is not a JSON object (a torn or hand-edited line)")])
        }
    }
}
