import DossierModel
#if canImport(Glibc)
import Glibc
#endif

/// What one OCR pass of the index step did.
public struct OCRPass: Sendable, Equatable {
    /// Scans that were waiting when the pass began.
    public var awaiting = 0
    /// Scans read (or found unreadable) and recorded.
    public var recorded = 0
    public var pagesRead = 0
    /// Scans that gave no text, even after OCR, and why.
    public var unreadable: [UnreadableScan] = []
    /// Another process was already reading the scans: this pass read none.
    public var busy = false

    public init() {}
}

/// A scan OCR could not read, or read no text from.
public struct UnreadableScan: Sendable, Equatable {
    public var dossier: DossierID
    public var path: String
    public var problem: String
}

extension IndexMaintainer {
    /// Documents given to OCR at a time: their results are recorded (and searchable) after each
    /// group, so an interrupted pass keeps what it read.
    static let scansPerGroup = 8

    /// The lock that keeps two processes from reading the same scans (`locks/ocr.lock`).
    var ocrLockPath: String { "\(locksPath)/ocr.lock" }

    /// Reads, by OCR, the scans the index holds no text of yet, on both cores (``OCRBatch``),
    /// and records their text as the index's (derived, never the record's; the stored bytes are
    /// only read). Filing leaves scans for this step so that it returns as fast as before.
    ///
    /// - Parameters:
    ///   - index: the index, opened and fresh (``open(notice:)``).
    ///   - options: OCR's languages, resolution, threads and limits.
    ///   - progress: called on this thread as pages are read.
    /// - Throws: ``OCRError/missingLanguageData(language:directory:package:)`` before any work when
    ///   Tesseract's Chinese or English data is not installed; ``IndexError``.
    public func readScans(in index: DossierIndex, options: OCROptions = OCROptions(), progress: (OCRProgress) -> Void = { _ in }) throws -> OCRPass {
        var pass = OCRPass()
        let scans = try index.awaitingScans()
        pass.awaiting = scans.count
        guard !scans.isEmpty else { return pass }
        let lock: FileLock
        do {
            lock = try FileLock(path: ocrLockPath, mode: .exclusive, timeout: 0)
        } catch {
            if case .busy = error {
                pass.busy = true
                return pass
            }
            throw error
        }
        defer { withExtendedLifetime(lock) {} }
        let batch = try OCRBatch(options: options)
        var snapshots: [DossierID: DossierSnapshot] = [:]
        var examined = 0
        var pagesToRead = 0
        for start in stride(from: 0, to: scans.count, by: Self.scansPerGroup) {
            var group: [(scan: AwaitingScan, file: String)] = []
            for scan in scans[start..<min(start + Self.scansPerGroup, scans.count)] {
                // A dossier that cannot be read now stays awaiting; `verify` names its damage.
                if snapshots[scan.dossier] == nil { snapshots[scan.dossier] = try? store.snapshot(of: scan.dossier) }
                guard let content = try? snapshots[scan.dossier]?.content(scan.path), content.sha512.hex == scan.sha512 else { continue }
                group.append((scan, content.withFilePath { $0 }))
            }
            let before = (examined: examined, pagesRead: pass.pagesRead, pagesToRead: pagesToRead)
            let results = batch.read(filesAt: group.map(\.file)) { step in
                progress(OCRProgress(
                    documentsExamined: before.examined + step.documentsExamined, documents: scans.count,
                    pagesRead: before.pagesRead + step.pagesRead, pagesToRead: before.pagesToRead + step.pagesToRead))
            }
            examined += scans[start..<min(start + Self.scansPerGroup, scans.count)].count
            for ((scan, file), result) in zip(group, results) {
                var problem: String?
                var read = ""
                var confidence: Double?
                switch result {
                case .success(let text):
                    pass.pagesRead += text.pagesRead
                    pagesToRead += text.pagesRead
                    read = text.textForIndex
                    confidence = text.meanConfidence
                    if read.allSatisfy(\.isWhitespace), let failure = text.failures.first {
                        problem = Self.named(failure, file: file, as: scan.fileName)
                    }
                case .failure(let error):
                    problem = Self.named(error, file: file, as: scan.fileName)
                }
                var whole = ""
                let recorded = try index.recordOCR(scan, problem: problem, confidence: confidence) { layer in
                    let joined = [layer, read].filter { !$0.allSatisfy(\.isWhitespace) }.joined(separator: "\u{0C}")
                    whole = joined.utf8.count > TextExtractor.maximumTextBytes ? PlainText.truncated(joined, toBytes: TextExtractor.maximumTextBytes) : joined
                    return whole
                } problemIfEmpty: {
                    "no text, even after OCR"
                }
                guard recorded else { continue }
                pass.recorded += 1
                if whole.allSatisfy(\.isWhitespace) {
                    pass.unreadable.append(UnreadableScan(dossier: scan.dossier, path: scan.path, problem: problem ?? "no text, even after OCR"))
                }
            }
        }
        return pass
    }

    /// An OCR error as the user knows the file: by its name in the dossier, not its place in the store.
    static func named(_ error: OCRError, file: String, as fileName: String) -> String {
        error.description.replacingOccurrences(of: file, with: fileName)
    }
}
