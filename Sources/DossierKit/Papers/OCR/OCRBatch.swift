import Foundation

/// Reads many scans at once: the pages of one or many documents are spread over
/// ``OCROptions/threads`` threads, each with its own ``OCREngine``, so that a single 50-page
/// scan uses every core as well as fifty one-page ones. For the index step, which must not
/// make filing slow.
///
/// ```swift
/// let batch = try OCRBatch()
/// let results = batch.read(filesAt: paths) { progress in
///     status("OCR \(progress.pagesRead)/\(progress.pagesToRead) pages")
/// }
/// ```
public struct OCRBatch: Sendable {
    /// The options every engine and page uses.
    public let options: OCROptions

    /// Checks that the language data is installed, so that a missing package is reported once,
    /// before any work.
    /// - Throws: ``OCRError/missingLanguageData(language:directory:package:)``.
    public init(options: OCROptions = OCROptions()) throws(OCRError) {
        try OCREngine.checkLanguageData(options)
        self.options = options
    }

    /// The OCR text of each file, in the order given.
    ///
    /// Workers first look at the documents (format, pages, text layers), then read the pages
    /// that need OCR, the next free page going to the next free engine. `progress` is called
    /// on the calling thread, which only waits: when a document has been looked at, when a page
    /// is done, and once at the end.
    /// - Returns: for each path, its ``OCRText``, or the error that kept the whole document from
    ///   being read (see ``OCRReader/read(fileAt:using:)``).
    public func read(filesAt paths: [String], progress: (OCRProgress) -> Void = { _ in }) -> [Result<OCRText, OCRError>] {
        let work = BatchWork(paths: paths)
        let threads = max(1, options.threads)
        let options = self.options
        for _ in 0..<threads {
            let thread = Thread { work.run(options: options) }
            // Tesseract's layout analysis recurses; the main thread's 8 MiB is what it is tested with.
            thread.stackSize = 8 << 20
            thread.start()
        }
        work.wait(workers: threads, progress: progress)
        return work.results()
    }
}

/// How far an ``OCRBatch`` has got.
public struct OCRProgress: Sendable, Equatable {
    /// Documents whose pages have been counted and checked for a text layer.
    public var documentsExamined: Int
    /// Documents in the batch.
    public var documents: Int
    /// Pages read by OCR so far (or failed).
    public var pagesRead: Int
    /// Pages that need OCR in the documents examined so far: final once
    /// `documentsExamined == documents`.
    public var pagesToRead: Int

    /// Creates a progress report.
    public init(documentsExamined: Int, documents: Int, pagesRead: Int, pagesToRead: Int) {
        self.documentsExamined = documentsExamined
        self.documents = documents
        self.pagesRead = pagesRead
        self.pagesToRead = pagesToRead
    }
}

/// The shared state of one ``OCRBatch/read(filesAt:progress:)`` call.
///
/// `@unchecked Sendable`: every stored `var` is read and written only while `condition` is
/// locked; `paths` is immutable. Engines and open PDFs stay inside their worker thread.
private final class BatchWork: @unchecked Sendable {
    private struct PageTask {
        var document: Int
        var slot: Int
        var page: Int
    }

    private let condition = NSCondition()
    private let paths: [String]
    private var nextToExamine = 0
    private var examining = 0
    private var plans: [Result<ScanPlan, OCRError>?]
    private var pageResults: [[Result<OCRPage, OCRError>?]]
    private var tasks: [PageTask] = []
    private var nextTask = 0
    private var pagesRead = 0
    private var pagesToRead = 0
    private var finishedWorkers = 0
    private var engineFailure: OCRError?

    init(paths: [String]) {
        self.paths = paths
        plans = Array(repeating: nil, count: paths.count)
        pageResults = Array(repeating: [], count: paths.count)
    }

    private enum Job {
        case examine(Int)
        case page(PageTask)
    }

    /// The next job: documents are examined first (cheap, and it makes the page total known
    /// early), then pages in document order. `nil` when nothing is left.
    private func take() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if nextToExamine < paths.count {
                nextToExamine += 1
                examining += 1
                return .examine(nextToExamine - 1)
            }
            if nextTask < tasks.count {
                nextTask += 1
                return .page(tasks[nextTask - 1])
            }
            // Another worker may still add pages from the document it is examining.
            if examining == 0 { return nil }
            condition.wait()
        }
    }

    /// A worker's loop, on its own thread: its engine is created when it gets its first page.
    func run(options: OCROptions) {
        var reader: PageReader?
        defer {
            // The engine and its open PDF are let go before the worker says it is done: the
            // caller may return and the process exit, and poppler torn down by exit while a
            // worker still closes its document crashed `dossier index` (SIGSEGV, seen once in CI).
            reader = nil
            condition.lock()
            finishedWorkers += 1
            condition.broadcast()
            condition.unlock()
        }
        while let job = take() {
            switch job {
            case .examine(let document):
                let plan = Result { () throws(OCRError) in try ScanPlan.make(path: paths[document], limits: options.limits) }
                condition.lock()
                plans[document] = plan
                if case .success(let plan) = plan {
                    pageResults[document] = Array(repeating: nil, count: plan.pagesToRead.count)
                    tasks += plan.pagesToRead.enumerated().map { PageTask(document: document, slot: $0.offset, page: $0.element) }
                    pagesToRead += plan.pagesToRead.count
                }
                examining -= 1
                condition.broadcast()
                condition.unlock()
            case .page(let task):
                if reader == nil {
                    do {
                        reader = PageReader(engine: try OCREngine(options: options))
                    } catch {
                        // This worker stops; the others read the pages. If every engine
                        // failed, the pages left get this error.
                        condition.lock()
                        engineFailure = error
                        tasks.append(task)
                        condition.unlock()
                        return
                    }
                }
                // Under the lock: another worker may be storing its own document's plan in `plans`
                // (ThreadSanitizer saw the unguarded read race with that write).
                condition.lock()
                let planned = plans[task.document]
                condition.unlock()
                guard let reader, case .success(let plan)? = planned else { continue }
                let result = reader.read(page: task.page, of: plan)
                condition.lock()
                pageResults[task.document][task.slot] = result
                pagesRead += 1
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Waits for `workers` workers to finish, calling `progress` whenever it changed.
    func wait(workers: Int, progress: (OCRProgress) -> Void) {
        var last: OCRProgress?
        while true {
            condition.lock()
            let snapshot = OCRProgress(documentsExamined: plans.count { $0 != nil }, documents: paths.count, pagesRead: pagesRead, pagesToRead: pagesToRead)
            let finished = finishedWorkers == workers
            if snapshot == last && !finished { _ = condition.wait(until: Date().addingTimeInterval(1)) }
            condition.unlock()
            if snapshot != last {
                progress(snapshot)
                last = snapshot
            }
            if finished { return }
        }
    }

    /// Each document's result, once every worker has finished.
    func results() -> [Result<OCRText, OCRError>] {
        condition.lock()
        defer { condition.unlock() }
        return paths.indices.map { document in
            switch plans[document] {
            case .success(let plan)?:
                let pages = pageResults[document].enumerated().map { slot, result in
                    result ?? .failure(engineFailure ?? .recognitionFailed(path: plan.path, page: plan.pagesToRead[slot]))
                }
                return plan.assemble(pages)
            case .failure(let error)?:
                return .failure(error)
            case nil:
                return .failure(engineFailure ?? .unreadableFile(path: paths[document], reason: "not examined"))
            }
        }
    }
}
