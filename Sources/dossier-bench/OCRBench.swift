import DossierKit
import Foundation

/// `dossier-bench ocr`: the OCR side of scripts/bench-ocr.sh. Reads files with OCRBatch and prints,
/// as one JSON object, the seconds taken, pages read, mean confidence, and each page's text for
/// the index (to count the words found).
///
///     dossier-bench ocr [--threads N] [--openmp] [--keep-dust] [--dpi N] [--languages L] FILE...
///     dossier-bench ocr --normalize TEXTFILE...   (a JSON array of the files' texts normalised
///                                                  as OCRText.textForIndex does)
enum OCRCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.first == "--normalize" {
            let texts = arguments.dropFirst().map { path in
                OCRText.normalizedForIndex((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
            }
            FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: texts))
            return 0
        }
        var options = OCROptions()
        var paths: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--threads": options.threads = Int(rest.popFirst() ?? "") ?? 2
            case "--openmp": options.tesseractOpenMP = true
            case "--keep-dust": options.removesDust = false
            case "--dpi": options.dpi = Int(rest.popFirst() ?? "") ?? 300
            case "--languages": options.languages = rest.popFirst() ?? options.languages
            default: paths.append(argument)
            }
        }
        let batch = try OCRBatch(options: options)
        let start = Date()
        nonisolated(unsafe) var lastReport = Date.distantPast
        let results = batch.read(filesAt: paths) { progress in
            if Date().timeIntervalSince(lastReport) > 5 || progress.pagesRead == progress.pagesToRead {
                lastReport = Date()
                FileHandle.standardError.write(Data("ocr: \(progress.pagesRead)/\(progress.pagesToRead) pages, \(progress.documentsExamined)/\(progress.documents) documents\n".utf8))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        var documents: [[String: Any]] = []
        var pagesRead = 0
        for (path, result) in zip(paths, results) {
            switch result {
            case .success(let text):
                pagesRead += text.pagesRead
                documents.append([
                    "path": path, "pagesRead": text.pagesRead, "pagesWithTextLayer": text.pagesWithTextLayer,
                    "meanConfidence": text.meanConfidence ?? -1, "failures": text.failures.map(\.description),
                    "pages": text.pages.map { ["number": $0.number, "confidence": $0.confidence, "text": OCRText.normalizedForIndex($0.text)] as [String: Any] },
                ])
            case .failure(let error):
                documents.append(["path": path, "error": error.description])
            }
        }
        let report: [String: Any] = ["seconds": seconds, "pagesRead": pagesRead, "threads": options.threads, "openMP": options.tesseractOpenMP, "removesDust": options.removesDust, "dpi": options.dpi, "documents": documents]
        FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]))
        FileHandle.standardOutput.write(Data("\n".utf8))
        return 0
    }
}
