import Foundation
import Testing

/// The layering the README's Architecture section states, checked against the code: which
/// folder of DossierKit may use which other folder's types. The table is read from the README
/// itself, so the two cannot drift apart. (DossierModel is a target of its own: the compiler
/// keeps it below everything.)
@Suite("Architecture: the layering the README states holds in the code")
struct ArchitectureTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let library = repository.appendingPathComponent("Sources/DossierKit")

    /// The README's table: each line `Folder  may use: A, B, C` between the markers.
    static func allowedUses() throws -> [String: Set<String>] {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "<!-- layering -->"), let end = readme.range(of: "<!-- /layering -->") else {
            Issue.record("README.md has no <!-- layering --> table")
            return [:]
        }
        var allowed: [String: Set<String>] = [:]
        for line in readme[start.upperBound..<end.lowerBound].split(separator: "\n") {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "`"))) }
            guard parts.count >= 2, !parts[0].isEmpty, parts[0] != "folder", !parts[0].hasPrefix("-") else { continue }
            let uses = parts[1] == "—" ? [] : parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "`"))) }
            allowed[parts[0]] = Set(uses)
        }
        return allowed
    }

    /// Swift source of each folder of DossierKit, with comments and string literals blanked out.
    static func sources() throws -> [String: [(file: String, code: String)]] {
        var result: [String: [(String, String)]] = [:]
        let enumerator = FileManager.default.enumerator(at: library, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let relative = url.path.dropFirst(library.path.count + 1)
            let folder = relative.contains("/") ? String(relative.prefix { $0 != "/" }) : "DossierKit"
            result[folder, default: []].append((String(relative), stripped(try String(contentsOf: url, encoding: .utf8))))
        }
        return result
    }

    static func stripped(_ source: String) -> String {
        var out = ""
        var iterator = Array(source).makeIterator()
        var previous: Character = " "
        var inString = false
        while let character = iterator.next() {
            if inString {
                if character == "\\" { _ = iterator.next(); continue }
                if character == "\"" { inString = false; out.append("\"") }
                continue
            }
            if character == "/", previous == "/" {
                out.removeLast()
                while let next = iterator.next(), next != "\n" {}
                out.append("\n")
                previous = "\n"
                continue
            }
            if character == "\"" { inString = true }
            out.append(character)
            previous = character
        }
        return out
    }

    /// Top-level types (and type aliases) declared in a file.
    static func declarations(_ code: String) -> [String] {
        let pattern = try? NSRegularExpression(
            pattern: #"^(?:(?:public|package|internal|fileprivate|private|final|indirect)\s+)*(?:struct|enum|class|protocol|typealias|actor)\s+(\w+)"#,
            options: .anchorsMatchLines)
        let range = NSRange(code.startIndex..., in: code)
        return pattern?.matches(in: code, range: range).compactMap { Range($0.range(at: 1), in: code).map { String(code[$0]) } } ?? []
    }

    @Test("every folder uses only the folders the README allows it")
    func layering() throws {
        let allowed = try Self.allowedUses()
        let sources = try Self.sources()
        #expect(Set(allowed.keys) == Set(sources.keys), "the README's table and Sources/DossierKit name different folders")
        var owner: [String: String] = [:]
        for (folder, files) in sources {
            for file in files { for name in Self.declarations(file.code) { owner[name] = folder } }
        }
        var violations: [String] = []
        for (folder, files) in sources {
            for file in files {
                let words = Set(file.code.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init))
                for word in words {
                    guard let other = owner[word], other != folder, !(allowed[folder]?.contains(other) ?? false) else { continue }
                    violations.append("\(file.file) uses \(word) of \(other)/")
                }
            }
        }
        #expect(violations.sorted() == [], "uses the README's layering does not allow")
    }

    @Test("the layering has no loop")
    func noLoop() throws {
        let allowed = try Self.allowedUses()
        var visiting: Set<String> = []
        var done: Set<String> = []
        var loops: [String] = []
        func visit(_ folder: String, _ path: [String]) {
            if done.contains(folder) { return }
            if visiting.contains(folder) { loops.append((path + [folder]).joined(separator: " → ")); return }
            visiting.insert(folder)
            for next in allowed[folder] ?? [] { visit(next, path + [folder]) }
            visiting.remove(folder)
            done.insert(folder)
        }
        for folder in allowed.keys.sorted() { visit(folder, []) }
        #expect(loops == [])
    }

    @Test("only Crypto/ calls OpenSSL: no other folder imports CDossierCrypto")
    func openSSLOnlyInCrypto() throws {
        var offenders: [String] = []
        for (folder, files) in try Self.sources() where folder != "Crypto" {
            for file in files where file.code.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "import CDossierCrypto" }) {
                offenders.append(file.file)
            }
        }
        #expect(offenders.sorted() == [])
    }

    @Test("only Store/ (and Verify/, which validates any OCFL folder by path) opens files under store/")
    func storeFiles() throws {
        var offenders: [String] = []
        for (folder, files) in try Self.sources() where !["Store", "Verify"].contains(folder) {
            for file in files where file.code.contains("objectRoot(for:") || file.code.contains("contentFile(of:") || file.code.contains("storePath") {
                offenders.append(file.file)
            }
        }
        #expect(offenders.sorted() == [])
    }
}
