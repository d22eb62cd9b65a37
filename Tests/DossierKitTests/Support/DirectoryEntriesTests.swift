@testable import DossierKit
import Testing
import _DossierTestSupport

/// `FileSystem.entries(of:)` reads each name where `readdir` left it, up to its NUL, never the
/// whole 256-byte `d_name` field (the last entry of a `getdents` buffer can end before it: the
/// copy of the whole field read past the buffer, found by AddressSanitizer).
@Suite("Listing a folder")
struct DirectoryEntriesTests {
    @Test("names of every length from 1 to 255 bytes, ASCII and Chinese, come back whole and sorted by their bytes")
    func namesOfEveryLength() throws {
        try withTemporaryDirectory { directory in
            // Given 2,000 files whose names run from 1 byte to 255 (the kernel's limit)
            var expected: [[UInt8]] = []
            for index in 0..<2_000 {
                let length = 1 + index % 255
                let stem = index % 2 == 0 ? "\(index)-" : "合同\(index)-"
                var name = Array(stem.utf8)
                while name.count < length { name.append(UInt8(ascii: "x")) }
                if name.count > length {
                    name = Array("\(index)".utf8)
                    if name.count > length { continue }
                    while name.count < length { name.append(UInt8(ascii: "y")) }
                }
                guard !expected.contains(name) else { continue }
                try writeFile("\(directory)/\(String(decoding: name, as: UTF8.self))", "")
                expected.append(name)
            }
            try FileSystem.makeDirectories("\(directory)/文件夹")
            // When the folder is listed
            let entries = try FileSystem.entries(of: directory)
            // Then every name is there, byte for byte, with its kind
            #expect(entries.map(\.rawName) == (expected + [Array("文件夹".utf8)]).sorted { $0.lexicographicallyPrecedes($1) })
            #expect(entries.first { $0.rawName == Array("文件夹".utf8) }?.kind == .directory)
            #expect(entries.filter { $0.kind == .regular }.count == expected.count)
            #expect(expected.contains { $0.count == 255 })
        }
    }
}
