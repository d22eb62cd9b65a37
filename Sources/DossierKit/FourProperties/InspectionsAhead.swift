import DossierModel
import Foundation

/// The papers of a large filing inspected on the core the filing leaves idle, ahead of its
/// four-properties check.
///
/// After its version is committed, a filing of many papers spends its time on one core (the
/// audit line, the index, the check's reading of the new inventory), and the check then
/// inspects every new paper (libmagic, above all: 0.4 ms a plain-text paper, 40 of the 70
/// seconds of 100,000) on every core. Started at the commit, this inspects the new stored papers
/// from the last one backwards meanwhile. The check, which goes from the first one forwards,
/// takes each inspection done, waits for the one in progress, and inspects the rest itself: no
/// paper is inspected twice, and the check is never slower than without it.
///
/// What is handed over is the inspection of the stored file of that logical path and sha512 —
/// the file the check would open itself; A1 checks that its bytes are still those.
final class InspectionsAhead: @unchecked Sendable {
    // `@unchecked Sendable`: `states`, `cancelled` and `running` are read and written only while
    // `condition` is locked; the other properties are immutable.
    private let condition = NSCondition()
    private var states: [String: State] = [:]
    private var cancelled = false
    private var running = false
    private var handed = 0

    /// One paper: where the check will find it, and the bytes it must be.
    struct Paper: Sendable {
        var logicalPath: String
        var fileName: String
        var sha512: String
    }

    private enum State {
        case pending
        case working
        case done(Result<DocumentInspection, PaperInspectionError>)
        /// Handed to the check, or left to it.
        case taken
    }

    private let papers: [Paper]
    /// The sha512 of each paper's bytes, by logical path.
    private let digests: [String: String]
    private let store: StorageRoot
    private let id: DossierID
    private let inventory: Inventory
    private let version: VersionNumber

    /// Below this many papers the check's own workers are done before a thread would help.
    static let worthwhile = 64

    /// Starts inspecting `papers` of `version` (plaintext papers only: a classified one is
    /// decrypted by the check, with its reader's key) on a thread of its own.
    init(papers: [Paper], store: StorageRoot, id: DossierID, inventory: Inventory, version: VersionNumber) {
        self.papers = papers
        digests = Dictionary(papers.map { ($0.logicalPath, $0.sha512) }, uniquingKeysWith: { first, _ in first })
        self.store = store
        self.id = id
        self.inventory = inventory
        self.version = version
        for paper in papers { states[paper.logicalPath] = .pending }
        running = true
        // The thread holds this object only while it inspects a paper: a filing whose result
        // nobody checks lets it go, and the thread ends after that paper.
        let count = papers.count
        let work = WorkMeter.carried { [weak self] in
            var index = count - 1
            while index >= 0, let ahead = self, ahead.inspect(at: index) { index -= 1 }
            self?.ended()
        }
        Thread.detachNewThread(work)
    }

    /// Inspects the paper at `index` unless the check took it; false once stopped.
    private func inspect(at index: Int) -> Bool {
        let paper = papers[index]
        condition.lock()
        guard !cancelled else { condition.unlock(); return false }
        guard case .pending = states[paper.logicalPath] else { condition.unlock(); return true }
        states[paper.logicalPath] = .working
        condition.unlock()
        let result = inspect(paper)
        condition.lock()
        states[paper.logicalPath] = .done(result)
        condition.broadcast()
        condition.unlock()
        return true
    }

    private func ended() {
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
    }

    private func inspect(_ paper: Paper) -> Result<DocumentInspection, PaperInspectionError> {
        let content: StoredContent
        do {
            content = try store.content(of: id, inventory: inventory, logicalPath: paper.logicalPath, version: version)
        } catch {
            return .failure(.io("\(paper.logicalPath): \(error)"))
        }
        guard content.sha512.hex == paper.sha512 else {
            return .failure(.io("\(paper.logicalPath): the inventory names other bytes than those filed"))
        }
        return content.withFilePath { path in
            do throws(PaperInspectionError) { return .success(try DocumentInspection.inspect(fileAt: path, fileName: paper.fileName)) } catch { return .failure(error) }
        }
    }

    /// The inspection of the paper at `logicalPath` with these bytes, once done (waiting for it
    /// while it is in progress); nil when it was not inspected ahead, which leaves it to the caller.
    func take(_ logicalPath: String, sha512: String?) -> Result<DocumentInspection, PaperInspectionError>? {
        guard let sha512, digests[logicalPath] == sha512 else { return nil }
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch states[logicalPath] {
            case .pending?:
                states[logicalPath] = .taken
                return nil
            case .working?:
                condition.wait()
            case .done(let result)?:
                states[logicalPath] = .taken
                handed += 1
                return result
            case .taken?, nil:
                return nil
            }
        }
    }

    /// How many inspections the check took from here.
    var handedOver: Int {
        condition.lock()
        defer { condition.unlock() }
        return handed
    }

    /// Waits until every paper is inspected (or the inspecting stopped).
    func waitUntilDone() {
        condition.lock()
        while running { condition.wait() }
        condition.unlock()
    }

    /// Stops after the paper in progress and waits for it: nothing is left running when the
    /// check is done (or the process about to end).
    func stop() {
        condition.lock()
        cancelled = true
        while running { condition.wait() }
        condition.unlock()
    }
}
