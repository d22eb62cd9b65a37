import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the index (Vault/index.sqlite) up to date, or rebuild it from the store.",
            discussion: """
                The index is derived from store/ and never the truth. Every command that reads
                it first checks it against the store and repairs it: a missing, damaged or
                other-format index is rebuilt, dossiers that changed behind its back are
                re-read; a line on stderr says so. Filings update it as they commit. The check
                compares what stat says about every tuple folder and every inventory.json with
                what the index recorded (inode, size, mtime, ctime): an edited inventory, an
                object copied in or deleted all change one of them.

                Scans (images, PDF pages without a text layer) are read by OCR here, not when
                they are filed: Tesseract with Chinese and English, on two threads, with progress
                on stderr (about 1.3 CPU-seconds a page). Their text is the index's, marked as
                OCR with its confidence; the filed bytes are never changed. --no-ocr leaves them
                for a later run; `search` says how many are waiting.

                --rebuild recreates it from store/ alone, extracting text on two threads (text
                already read by OCR is kept, by the bytes' sha512).
                --check also runs SQLite's integrity check.

                \(ExitStatus.help)
                """)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var identity: IdentityOptions

        @Flag(help: "Rebuild the index from the store, whatever its state.")
        var rebuild = false

        @Flag(help: "Run SQLite's integrity check on the whole index (slow on a large index).")
        var check = false

        @Flag(name: .customLong("no-ocr"), help: "Do not read scans by OCR this time.")
        var noOCR = false

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let maintainer = vault.index
                let start = Date()
                if rebuild {
                    let summary = try maintainer.rebuild(by: identity.agent) { done, total in
                        guard Terminal.stderrIsTerminal, done % 100 == 0 || done == total else { return }
                        FileHandle.standardError.write(Data("\r\u{1B}[Kindexing: \(done) of \(total) dossiers".utf8))
                        if done == total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    }
                    for problem in summary.unreadable { Terminal.note("dossier: warning: left out of the index: \(problem)") }
                }
                let index = try maintainer.open(notice: IndexNotice.print)
                var ocr = OCRPass()
                if !noOCR {
                    ocr = try maintainer.readScans(in: index) { progress in
                        guard Terminal.stderrIsTerminal else { return }
                        FileHandle.standardError.write(Data("\r\u{1B}[KOCR: \(progress.pagesRead) pages read, \(progress.documentsExamined) of \(progress.documents) scans".utf8))
                    }
                    if Terminal.stderrIsTerminal, ocr.awaiting > 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    if ocr.busy { Terminal.note("dossier: note: another process is reading the \(ocr.awaiting) scans waiting for OCR") }
                }
                let awaiting = try index.awaitingScanCount()
                let statistics = try index.statistics()
                let bytes = DossierKit.FileSystem.size(ofRegularFile: maintainer.indexPath) ?? 0
                let problems = check ? try index.integrityProblems() : []
                if output.json {
                    Terminal.json([
                        "index": .string(maintainer.indexPath),
                        "dossiers": .number(Double(statistics.dossiers)),
                        "documents": .number(Double(statistics.documents)),
                        "textBytes": .number(Double(statistics.textBytes)),
                        "indexBytes": .number(Double(bytes)),
                        "seconds": .number((Date().timeIntervalSince(start) * 1000).rounded() / 1000),
                        "unreadableTexts": .array(statistics.textProblems.map { .string("\($0.dossier) \($0.path): \($0.problem)") }),
                        "ocr": ["scansRead": .number(Double(ocr.recorded)), "pagesRead": .number(Double(ocr.pagesRead)), "awaiting": .number(Double(awaiting))],
                        "integrityProblems": .array(problems.map { .string($0) }),
                    ])
                } else {
                    let verb = rebuild ? "rebuilt" : "up to date"
                    Terminal.out("index \(verb): \(statistics.dossiers) dossiers, \(statistics.documents) documents, \(ByteCount.format(statistics.textBytes)) of text, \(ByteCount.format(bytes)) on disk")
                    if ocr.recorded > 0 { Terminal.out("read \(ocr.recorded) scan\(ocr.recorded == 1 ? "" : "s") by OCR (\(ocr.pagesRead) page\(ocr.pagesRead == 1 ? "" : "s"))") }
                    if awaiting > 0 { Terminal.out("\(awaiting) scan\(awaiting == 1 ? "" : "s") waiting for OCR") }
                    for problem in statistics.textProblems {
                        Terminal.out("  no text from \(problem.dossier) \(problem.path): \(problem.problem)")
                    }
                    if check { Terminal.out(problems.isEmpty ? "integrity check: ok" : "integrity check found problems:") }
                    for problem in problems { Terminal.out("  \(problem)") }
                }
                if !problems.isEmpty { throw CheckFailure(message: "the index failed SQLite's integrity check; run `dossier index --rebuild`") }
            }
        }
    }
}
