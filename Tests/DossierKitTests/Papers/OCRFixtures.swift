import DossierKit
import Foundation
import Testing

/// The OCR fixtures (Tests/Fixtures/ocr, made by its make-fixtures.py) and helpers shared by
/// the OCR tests.
enum OCRFixtures {
    /// The ten words of the scanned agreement.
    static let agreementWords = ["技术转让", "收益分配", "合同专用章", "甲方", "乙方", "保密义务", "违约责任", "专利权", "许可使用", "争议解决"]
    /// Words only on the annex page (page 2 of the TIFF, page 2 of mixed.pdf).
    static let annexWords = ["验收标准", "附件清单"]

    static let folder: String = {
        var path = #filePath
        for _ in 0..<3 { path = (path as NSString).deletingLastPathComponent }
        return path + "/Fixtures/ocr"
    }()

    /// Runs `body` with a fresh temporary folder holding copies of the named fixtures; the
    /// fixtures themselves are never read by the code under test.
    static func withCopies<R>(_ names: [String], _ body: (String) throws -> R) throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-ocr-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in names {
            try FileManager.default.copyItem(atPath: "\(folder)/\(name)", toPath: "\(directory)/\(name)")
        }
        return try body(directory)
    }

    /// The words of `words` found in `text`.
    static func found(_ words: [String], in text: String) -> [String] {
        words.filter { text.contains($0) }
    }

    /// The file's bytes and modification time, to show that reading changed neither.
    static func snapshot(_ path: String) throws -> (Data, Date?) {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        return (bytes, modified)
    }

    /// Runs a command-line tool (an independent oracle) and returns its standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments) exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}
