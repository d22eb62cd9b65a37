import DossierModel
#if canImport(Glibc)
import Glibc
#endif

/// What an audit line records.
public enum AuditAction: String, Sendable, CaseIterable {
    /// A filing: one new version.
    case filing
    /// A bag exported for an auditor.
    case export
    /// A confidentiality review filed (the officer's confidentiality-review document).
    case review
    /// The index rebuilt from the store.
    case rebuild
    /// An attempt the vault refused (a bad bundle, an export without clearance …).
    case refused
    /// A classified paper read (decrypted) by a cleared reader: who, which, why.
    case read
    /// A reader cleared or their clearance removed (vault.json changed).
    case clearance
    /// A dossier classified: every version's papers encrypted, the object rewritten.
    case classify
    /// A dossier declassified: a new version with its papers in the clear.
    case declassify
    /// A dossier's papers encrypted anew for the readers cleared now.
    case rekey
    /// The vault's seal key created: its algorithm and fingerprint.
    case seal
    /// Trust anchors for signatures added or removed (`trust/`).
    case trust
    /// A periodic four-properties check of the whole vault in storage (`dossier check --all
    /// --stage storage`): how many dossiers, and which items failed where.
    case check
}

/// One event to append to the audit log.
public struct AuditEvent: Sendable {
    public var action: AuditAction
    public var by: Agent?
    public var dossier: DossierID?
    public var version: VersionNumber?
    /// Action-specific fields, written after the common ones in this order.
    public var details: JSONObject

    public init(action: AuditAction, by: Agent?, dossier: DossierID? = nil, version: VersionNumber? = nil, details: JSONObject = JSONObject()) {
        self.action = action
        self.by = by
        self.dossier = dossier
        self.version = version
        self.details = details
    }
}

/// One line of the audit log as read back.
public struct AuditRecord: Sendable {
    /// The line number in the file (1-based).
    public var line: Int
    public var fields: JSONObject
    /// The line's bytes, without its line feed: what the next line's `prev` hashes.
    public var bytes: [UInt8]

    public var number: Int? { fields["n"]?.numberValue.map { Int($0) } }
    public var at: String? { fields["at"]?.stringValue }
    /// The line's action; `nil` for a line without one, or with one this dossier does not know.
    public var action: AuditAction? { fields["action"]?.stringValue.flatMap(AuditAction.init(rawValue:)) }
}

/// A problem `audit verify` found, naming the line.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var problem: String

    public init(line: Int, problem: String) {
        self.line = line
        self.problem = problem
    }
    public var description: String { "audit.log line \(line): \(problem)" }
}

/// A line of the audit log as someone outside the vault kept it: its number and sha256
/// (`50:3fa2…`). The chain and `audit.log.head` show that no line was changed *unless the whole
/// log was rewritten consistently*; an anchor kept by an auditor shows it was not rewritten up
/// to that line.
public struct AuditAnchor: Sendable, Equatable, CustomStringConvertible {
    public var number: Int
    public var sha256: String

    public init(number: Int, sha256: String) {
        self.number = number
        self.sha256 = sha256
    }

    /// Parses `N:SHA256` (64 hex digits, any case).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[0]), number > 0,
            let digest = Digest(algorithm: .sha256, hex: String(parts[1]))
        else { return nil }
        self.init(number: number, sha256: digest.hex)
    }

    public var description: String { "\(number):\(sha256)" }
}

/// Why the audit log could not be read or written.
public struct AuditError: Error, Sendable, CustomStringConvertible {
    public var problem: String
    /// Whether the line itself was written and synced before the failure (only
    /// `audit.log.head` could not be replaced): the event is recorded, and the next append
    /// writes the head anew.
    public var lineWritten: Bool

    public init(problem: String, lineWritten: Bool = false) {
        self.problem = problem
        self.lineWritten = lineWritten
    }

    public var description: String { "audit log: \(problem)" }
}

/// The vault's audit log (`audit.log`): append-only JSON lines, one per filing, export,
/// review, rebuild and refused attempt. Each line carries `n` (its line number) and `prev`,
/// the sha256 of the previous line's bytes (64 zeros on line 1), so an edited, dropped or
/// reordered line breaks the chain at a nameable place. `audit.log.head` records the last
/// line's number and sha256, which also catches an edited or removed last line.
///
/// Appends take an exclusive `flock` on the log itself, write the whole line in one
/// `write` (O_APPEND), `fsync`, then replace the head file.
///
/// When the vault has a seal key, every append also **seals the head**: `audit.log.head.sig`
/// is the key's detached signature of the head file's bytes (``SealKey``), so that a log
/// rewritten whole — chain, head and all — by someone without the key fails
/// `audit verify --key`. The head file itself is unchanged; the seal is a file beside it.
public struct AuditLog: Sendable {
    public let path: String
    var headPath: String { path + ".head" }
    /// The head's seal: the seal key's signature of `audit.log.head`'s bytes.
    var sealPath: String { path + ".head.sig" }
    /// The vault's seal key file; `nil` leaves the head's seal alone.
    public var sealKeyPath: String?

    static let genesis = String(repeating: "0", count: 64)

    /// - Parameters:
    ///   - path: the log file.
    ///   - sealKeyPath: the vault's seal key: each append seals the head with it when it
    ///     exists, and removes a seal it can no longer renew (so that a stale seal is reported
    ///     as missing, not as a forgery).
    public init(path: String, sealKeyPath: String? = nil) {
        self.path = path
        self.sealKeyPath = sealKeyPath
    }

    /// Appends one event as one line.
    /// - Parameters:
    ///   - event: what happened.
    ///   - timestamp: RFC 3339, from the vault's clock.
    /// - Returns: the line written.
    @discardableResult
    public func append(_ event: AuditEvent, at timestamp: String) throws(AuditError) -> AuditRecord {
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, FileDescriptor.filePermissions)
        guard descriptor >= 0 else { throw AuditError(problem: "cannot open \(path): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, FileDescriptor.filePermissions)
        defer { Glibc.close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw AuditError(problem: "cannot lock \(path): \(String(cString: strerror(errno)))") }
        }
        defer { flock(descriptor, LOCK_UN) }

        var (lastLine, lastNumber, endsWithNewline) = try AuditLog.tail(descriptor)
        if !endsWithNewline {
            // A line torn by a crash: end it, so the new line stands alone; verify reports it.
            try AuditLog.write(descriptor, [0x0A])
            endsWithNewline = true
        }
        if lastLine != nil, lastNumber == nil {
            lastNumber = try AuditLog.countLines(descriptor)
        }
        var fields = JSONObject()
        let number = (lastNumber ?? 0) + 1
        fields["n"] = .number(Double(number))
        fields["at"] = .string(timestamp)
        fields["action"] = .string(event.action.rawValue)
        if let by = event.by {
            var agent = JSONObject()
            agent["name"] = .string(by.name)
            if let address = by.address { agent["address"] = .string(address) }
            fields["by"] = .object(agent)
        }
        if let dossier = event.dossier { fields["dossier"] = .string(dossier.rawValue) }
        if let version = event.version { fields["version"] = .string(version.description) }
        for (key, value) in event.details where fields[key] == nil { fields[key] = value }
        fields["prev"] = .string(lastLine.map(AuditLog.sha256) ?? AuditLog.genesis)
        let bytes = Array(JSONValue.object(fields).serialized(.compact).utf8)
        CrashPoint.auditWriteBefore.hit()
        var before = stat()
        let sizeBefore = fstat(descriptor, &before) == 0 ? before.st_size : -1
        do {
            try AuditLog.write(descriptor, bytes + [0x0A])
        } catch {
            // A disk that filled mid-line leaves no torn line behind: the log ends as it did.
            if sizeBefore >= 0 { _ = ftruncate(descriptor, sizeBefore) }
            throw error
        }
        CrashPoint.auditWriteAfter.hit()
        guard fsync(descriptor) == 0 else { throw AuditError(problem: "cannot sync \(path): \(String(cString: strerror(errno)))") }
        CrashPoint.auditSynced.hit()
        let head: JSONValue = ["n": .number(Double(number)), "sha256": .string(AuditLog.sha256(bytes))]
        let headBytes = Array(head.serialized(.compact).utf8) + [0x0A]
        do {
            try FileSystem.replaceFile(headPath, headBytes)
        } catch {
            throw AuditError(problem: "line \(number) was written, but \(headPath) could not be replaced: \(error)", lineWritten: true)
        }
        CrashPoint.auditHeadWritten.hit()
        sealHead(headBytes)
        return AuditRecord(line: number, fields: fields, bytes: bytes)
    }

    /// Seals the head just written (under the log's lock). Without a usable key, a seal left
    /// from before is removed: it would no longer match, and a missing seal says what happened.
    /// A line already appended is never undone for want of a seal.
    func sealHead(_ headBytes: [UInt8]) {
        guard let sealKeyPath else { return }
        do {
            let key = try SealKey.load(fromFile: sealKeyPath)
            try FileSystem.replaceFile(sealPath, try key.sign(headBytes))
        } catch {
            if FileSystem.exists(sealPath) { try? FileSystem.removeFile(sealPath) }
        }
    }

    /// Every line, in order; lines that are not JSON objects come back with empty fields.
    public func records() throws(AuditError) -> [AuditRecord] {
        guard FileSystem.exists(path) else { return [] }
        let bytes: [UInt8]
        do { bytes = try FileSystem.readFile(path, limit: 1 << 30) } catch { throw AuditError(problem: error.description) }
        var records: [AuditRecord] = []
        var start = 0
        var number = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            number += 1
            let line = Array(bytes[start..<end])
            let fields = (try? JSONValue.parse(line))?.objectValue ?? JSONObject()
            records.append(AuditRecord(line: number, fields: fields, bytes: line))
            start = end + 1
        }
        return records
    }

    /// What ``check(anchors:key:)`` found.
    public struct Verification: Sendable {
        public var lines: Int
        /// Every problem, in line order; empty when the log is intact.
        public var problems: [AuditProblem]
        /// The anchor of the last line: what an auditor keeps, to check later that the log was
        /// not rewritten; `nil` for an empty log.
        public var head: AuditAnchor?
        /// Whether the head's seal was checked with a key and verified.
        public var sealVerified = false
    }

    /// Checks the whole chain, the last line against the head file, and each line an anchor
    /// names against the sha256 the anchor kept.
    /// - Returns: every problem found, in line order; empty when the log is intact.
    public func verify(anchors: [AuditAnchor] = []) throws(AuditError) -> (lines: Int, problems: [AuditProblem]) {
        let verification = try check(anchors: anchors)
        return (verification.lines, verification.problems)
    }

    /// ``verify(anchors:)``, with the head of the log read in the same pass.
    /// - Parameters:
    ///   - anchors: lines whose sha256 was kept outside the vault (`audit verify --anchor N:SHA256`).
    ///   - key: the vault's published seal key: the head must carry its seal
    ///     (`audit.log.head.sig` over `audit.log.head`), so that a log rewritten whole by someone
    ///     without the key is found.
    public func check(anchors: [AuditAnchor] = [], key: SealPublicKey? = nil) throws(AuditError) -> Verification {
        check(records: try records(), anchors: anchors, key: key)
    }

    /// ``check(anchors:key:)`` on lines already read with ``records()`` (a caller that needs the
    /// lines too reads and parses the log once).
    public func check(records: [AuditRecord], anchors: [AuditAnchor] = [], key: SealPublicKey? = nil) -> Verification {
        var problems: [AuditProblem] = []
        var previous: AuditRecord?
        let numbers = records.map(\.number)
        for (index, record) in records.enumerated() {
            defer { previous = record }
            guard !record.fields.isEmpty else {
                problems.append(AuditProblem(line: record.line, problem: "is not a JSON object (a torn or hand-edited line)"))
                continue
            }
            // A line without a number (torn by a crash) still holds its place: `append` numbers
            // the line after it by position.
            let expectedNumber = (previous.map { $0.number ?? $0.line } ?? 0) + 1
            let expectedPrev = previous.map { AuditLog.sha256($0.bytes) } ?? AuditLog.genesis
            guard let number = record.number else {
                problems.append(AuditProblem(line: record.line, problem: "has no number n"))
                continue
            }
            if number != expectedNumber {
                if numbers[(index + 1)...].contains(expectedNumber) {
                    problems.append(AuditProblem(line: record.line, problem: "carries number \(number) where \(expectedNumber) was expected, and \(expectedNumber) comes later: the lines are out of order"))
                } else if number > expectedNumber {
                    let dropped = number - expectedNumber == 1 ? "line \(expectedNumber) was" : "lines \(expectedNumber)–\(number - 1) were"
                    problems.append(AuditProblem(line: record.line, problem: "carries number \(number) where \(expectedNumber) was expected: \(dropped) dropped before it"))
                } else {
                    problems.append(AuditProblem(line: record.line, problem: "carries number \(number) where \(expectedNumber) was expected: the lines are out of order, or a line was copied"))
                }
            } else if record.fields["prev"]?.stringValue != expectedPrev {
                let prev = record.fields["prev"]?.stringValue ?? "none"
                guard previous != nil else {
                    problems.append(AuditProblem(line: record.line, problem: "is the first line, so its prev must be 64 zeros; it records \(prev.shortDigest)"))
                    continue
                }
                problems.append(AuditProblem(
                    line: record.line - 1,
                    problem: "was changed after it was written: line \(record.line) records sha256 \(prev.shortDigest) for it, it now hashes to \(expectedPrev.shortDigest)"))
            }
        }
        let headFile = FileSystem.exists(headPath) ? (try? FileSystem.readFile(headPath)).flatMap { try? JSONValue.parse($0) } : nil
        if let head = headFile {
            // The head names the last line by its number, so a gap elsewhere does not hide it.
            let count = head["n"]?.numberValue.map { Int($0) } ?? 0
            let digest = head["sha256"]?.stringValue ?? ""
            if let last = records.last(where: { $0.number == count }) {
                let actual = AuditLog.sha256(last.bytes)
                if actual != digest {
                    problems.append(AuditProblem(line: last.line, problem: "was changed after it was written: audit.log.head records sha256 \(digest.shortDigest) for it, it now hashes to \(actual.shortDigest)"))
                }
            } else if count > 0 {
                let highest = records.compactMap(\.number).max() ?? 0
                problems.append(AuditProblem(line: records.count + 1, problem: "missing: audit.log.head records \(count) lines, the log ends after \(highest)"))
            }
        } else if !records.isEmpty {
            problems.append(AuditProblem(line: records.count, problem: "cannot be checked: audit.log.head, which records the last line's sha256, is missing or unreadable"))
        }
        for anchor in anchors {
            guard let record = records.last(where: { $0.number == anchor.number }) else {
                let highest = records.compactMap(\.number).max() ?? 0
                problems.append(AuditProblem(line: anchor.number, problem: "missing: the anchor \(anchor.number):\(anchor.sha256.shortDigest) names it, and the log ends after line \(highest)"))
                continue
            }
            let actual = AuditLog.sha256(record.bytes)
            if actual != anchor.sha256 {
                problems.append(AuditProblem(
                    line: record.line,
                    problem: "is not the line the anchor was taken from: the anchor records sha256 \(anchor.sha256.shortDigest), it now hashes to \(actual.shortDigest); the log was rewritten up to here"))
            }
        }
        var sealVerified = false
        if let key {
            let problem = checkSeal(key: key, headFile: headFile != nil)
            if let problem { problems.append(AuditProblem(line: max(records.count, 1), problem: problem)) } else { sealVerified = true }
        }
        problems.sort { $0.line < $1.line }
        let last = records.last(where: { $0.number != nil })
        let head = last.flatMap { record in record.number.map { AuditAnchor(number: $0, sha256: AuditLog.sha256(record.bytes)) } }
        return Verification(lines: records.count, problems: problems, head: head, sealVerified: sealVerified)
    }

    /// Why the head's seal does not hold with `key`, or `nil` when it does.
    ///
    /// In Chinese: `没有加盖印章的日志头`; `日志头未加盖印章：缺少 audit.log.head.sig`;
    /// `audit.log.head.sig 不是密钥 KEY 对 audit.log.head 的印章：日志及其头被无印章密钥者重写，或由其他密钥加盖`.
    func checkSeal(key: SealPublicKey, headFile: Bool) -> String? {
        guard headFile, let head = try? FileSystem.readFile(headPath) else {
            return "no sealed head: audit.log.head is missing or unreadable, so nothing the seal key signed is left (an empty log with its head removed is a log deleted)"
        }
        guard let seal = try? FileSystem.readFile(sealPath, limit: 64 << 10) else {
            return "is the last line, but the head is not sealed: audit.log.head.sig is missing (every write seals the head when the vault's seal key is reachable)"
        }
        guard key.verifies(seal, of: head) else {
            return "is the last line, but audit.log.head.sig is not the seal of audit.log.head by the key \(key.fingerprint): the log and its head were written by someone without the vault's seal key, or sealed with another key"
        }
        return nil
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        // swift-format-ignore: NeverForceUnwrap
        // sha256 is always available in OpenSSL's default provider.
        try! NamedHasher.hex("sha256", of: bytes)
    }

    static func write(_ descriptor: Int32, _ bytes: [UInt8]) throws(AuditError) {
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw AuditError(problem: "cannot append to the log: \(String(cString: strerror(errno)))") }
    }

    /// The last line's bytes and number, and whether the file ends with a line feed.
    static func tail(_ descriptor: Int32) throws(AuditError) -> (line: [UInt8]?, number: Int?, endsWithNewline: Bool) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw AuditError(problem: "cannot stat the log: \(String(cString: strerror(errno)))") }
        let size = Int(info.st_size)
        guard size > 0 else { return (nil, nil, true) }
        var collected: [UInt8] = []
        var offset = size
        let chunk = 4096
        var endsWithNewline = false
        while offset > 0 {
            let start = max(0, offset - chunk)
            var buffer = [UInt8](repeating: 0, count: offset - start)
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(start)) }
            guard count == buffer.count else { throw AuditError(problem: "cannot read the log: \(String(cString: strerror(errno)))") }
            if offset == size { endsWithNewline = buffer.last == 0x0A }
            collected = buffer + collected
            offset = start
            let body = endsWithNewline ? collected.dropLast() : collected[...]
            if body.contains(0x0A) || offset == 0 { break }
        }
        var body = endsWithNewline ? Array(collected.dropLast()) : collected
        if let newline = body.lastIndex(of: 0x0A) { body = Array(body[(newline + 1)...]) }
        let number = (try? JSONValue.parse(body))?["n"]?.numberValue.map { Int($0) }
        return (body, number, endsWithNewline)
    }

    static func countLines(_ descriptor: Int32) throws(AuditError) -> Int {
        var count = 0
        var offset: off_t = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            guard got >= 0 else { throw AuditError(problem: "cannot read the log: \(String(cString: strerror(errno)))") }
            if got == 0 { break }
            count += buffer[0..<got].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            offset += off_t(got)
        }
        return count
    }
}
