import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Bring the index (Vault/index.sqlite) up to date, or rebuild it from the store."),
            discussion: L("""
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
                --check also runs SQLite's integrity check, and re-derives a sample of 32
                dossiers from the store and compares their rows (record, head, status, flags,
                findings, inventory digest) with the index's, naming those that differ (a row
                edited in index.sqlite is not a change in the store, so nothing else sees it);
                --deep compares every dossier, and names dossiers missing from either side.
                """) + "\n\n" + L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var identity: IdentityOptions

        @Flag(help: ArgumentHelp(L("Rebuild the index from the store, whatever its state.")))
        var rebuild = false

        @Flag(help: ArgumentHelp(L("Run SQLite's integrity check on the whole index (slow on a large index).")))
        var check = false

        @Flag(help: ArgumentHelp(L("With --check (implied): re-derive every dossier from the store, not a sample.")))
        var deep = false

        @Flag(name: .customLong("no-ocr"), help: ArgumentHelp(L("Do not read scans by OCR this time.")))
        var noOCR = false

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let maintainer = vault.index
                let start = Date()
                if rebuild {
                    let summary = try maintainer.rebuild(by: identity.agent) { done, total in
                        guard Terminal.stderrIsTerminal, done % 100 == 0 || done == total else { return }
                        FileHandle.standardError.write(Data(("\r\u{1B}[K" + L("indexing: {done} of {total} dossiers", ["done": String(done), "total": String(total)])).utf8))
                        if done == total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    }
                    for problem in summary.unreadable { Terminal.note(L("dossier: warning: left out of the index: {problem*}", ["problem*": translated(problem)])) }
                }
                let index = try maintainer.open(notice: IndexNotice.print)
                var ocr = OCRPass()
                if !noOCR {
                    ocr = try maintainer.readScans(in: index) { progress in
                        guard Terminal.stderrIsTerminal else { return }
                        FileHandle.standardError.write(Data(("\r\u{1B}[K" + L("OCR: {pages} pages read, {done} of {total} scans", ["pages": String(progress.pagesRead), "done": String(progress.documentsExamined), "total": String(progress.documents)])).utf8))
                    }
                    if Terminal.stderrIsTerminal, ocr.awaiting > 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    if ocr.busy { Terminal.note(L("dossier: note: another process is reading the {count} scans waiting for OCR", ["count": String(ocr.awaiting)])) }
                }
                let awaiting = try index.awaitingScanCount()
                let statistics = try index.statistics()
                let bytes = DossierKit.FileSystem.size(ofRegularFile: maintainer.indexPath) ?? 0
                let checking = check || deep
                let problems = checking ? try index.integrityProblems() : []
                let storeCheck = checking ? try maintainer.compareWithStore(index, deep: deep) : nil
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
                        "storeCheck": storeCheck.map { check -> JSONValue in
                            [
                                "compared": .number(Double(check.compared)), "deep": .bool(check.deep),
                                "differences": .array(check.differences.map { ["dossier": .string($0.dossier.rawValue), "fields": .array($0.fields.map { .string($0) })] }),
                            ]
                        } ?? .null,
                    ])
                } else {
                    let values = [
                        "dossiers": String(statistics.dossiers), "documents": String(statistics.documents),
                        "text": sizeText(Int64(statistics.textBytes)), "disk": sizeText(Int64(bytes)),
                    ]
                    Terminal.out(rebuild
                        ? L("index rebuilt: {dossiers} dossiers, {documents} documents, {text} of text, {disk} on disk", values)
                        : L("index up to date: {dossiers} dossiers, {documents} documents, {text} of text, {disk} on disk", values))
                    if ocr.recorded > 0 { Terminal.out(L("read {count} {count|scan|scans} by OCR ({pages} {pages|page|pages})", ["count": String(ocr.recorded), "pages": String(ocr.pagesRead)])) }
                    if awaiting > 0 { Terminal.out(L("{count} {count|scan|scans} waiting for OCR", ["count": String(awaiting)])) }
                    for problem in statistics.textProblems {
                        Terminal.out("  " + L("no text from {id} {path}: {problem*}", ["id": problem.dossier.description, "path": problem.path, "problem*": translated(problem.problem)]))
                    }
                    if checking { Terminal.out(problems.isEmpty ? L("integrity check: ok") : L("integrity check found problems:")) }
                    for problem in problems { Terminal.out("  \(problem)") }
                    if let storeCheck {
                        let compared = ["count": String(storeCheck.compared)]
                        let what = storeCheck.deep
                            ? L("{count} {count|dossier|dossiers} re-derived from the store (all)", compared)
                            : L("{count} {count|dossier|dossiers} re-derived from the store (a sample)", compared)
                        Terminal.out(storeCheck.differences.isEmpty ? L("store check: {what}: ok", ["what": what]) : L("store check: {what}; rows that differ:", ["what": what]))
                        for difference in storeCheck.differences {
                            // Field names are the --json keys; "missing from the index" and "not in the store" are said.
                            let fields = difference.fields.map { $0.contains(" ") ? translated($0) : $0 }
                            Terminal.out("  \(difference.dossier): \(fields.joined(separator: L(", ")))")
                        }
                    }
                }
                if let storeCheck, !storeCheck.differences.isEmpty {
                    throw CheckFailure(message: L("the index differs from the store in {count} {count|dossier|dossiers}; run `dossier index --rebuild`", ["count": String(storeCheck.differences.count)]))
                }
                if !problems.isEmpty { throw CheckFailure(message: L("the index failed SQLite's integrity check; run `dossier index --rebuild`")) }
            }
        }
    }
}
