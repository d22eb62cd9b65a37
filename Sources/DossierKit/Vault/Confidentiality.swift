import DossierModel
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The right to read classified papers in one command: the reader's age identities (the
/// secret keys whose public keys vault.json clears), the level they are cleared for, and why
/// they read — every read is in the audit log with it.
public struct ReadAccess: Sendable {
    public let identities: [AgeIdentity]
    /// The cleared readers the identities belong to, by name.
    public let readers: [String]
    /// The highest level those readers are cleared for.
    public let level: Classification
    /// Why the papers are read (recorded with every read).
    public let reason: String
    /// The identity file, for messages.
    public let source: String

    /// Loads an identity file (as `age-keygen` writes it) and matches its keys with the vault's
    /// clearances.
    ///
    /// - Throws: ``VaultError`` when the file is readable by its group or others (as ssh refuses
    ///   such keys), is not an identity file, holds no key the vault clears, or `reason` is blank.
    public static func load(identityFile path: String, reason: String?, settings: VaultSettings) throws(VaultError) -> ReadAccess {
        var status = stat()
        guard stat(path, &status) == 0 else { throw .io(FileSystemError(operation: "open", path: path, code: errno)) }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw .invalid("\(path): the identity file is readable or writable by others (mode \(String(mode, radix: 8))); keep it to yourself: chmod 600 \(path)")
        }
        guard let reason, !reason.allSatisfy(\.isWhitespace) else {
            throw .invalid("give --reason: the audit log records why a classified paper is read")
        }
        let text: String
        do {
            text = String(decoding: try FileSystem.readFile(path, limit: AgeIdentity.fileSizeLimit), as: UTF8.self)
        } catch {
            throw .io(error)
        }
        let identities: [AgeIdentity]
        do { identities = try AgeIdentity.parseFile(text) } catch { throw .invalid("\(path): \(error)") }
        let recipients = Set(identities.map(\.recipient.encoded))
        let cleared = settings.clearances.filter { recipients.contains($0.recipient) }
        guard let level = cleared.map(\.level).max() else {
            throw .invalid("\(path): no key in it is cleared in this vault (dossier clearance list shows who is)")
        }
        return ReadAccess(identities: identities, readers: cleared.map(\.name), level: level, reason: reason.precomposedNFC, source: path)
    }
}

extension Vault {
    // MARK: Clearances

    /// Clears a reader for `level` (and every level below it): their age public key joins
    /// vault.json, and papers filed from now on at those levels are encrypted to it too.
    /// Papers already stored are not; `dossier rekey` re-encrypts them for the readers now cleared.
    /// - Returns: the vault with its new settings.
    public func addClearance(_ clearance: Clearance, by agent: Agent) throws(VaultError) -> Vault {
        do { _ = try AgeRecipient(clearance.recipient) } catch {
            throw .invalid("\(clearance.recipient): \(error)")
        }
        guard clearance.level != .none else { throw .invalid("a clearance is for secret, confidential or top-secret, not none") }
        return try changeClearances(by: agent, action: "add", name: clearance.name) { clearances throws(VaultError) in
            guard !clearances.contains(where: { $0.name == clearance.name }) else {
                throw .invalid("\(clearance.name) is already cleared; remove the clearance first to change it")
            }
            clearances.append(clearance)
        }
    }

    /// Takes a reader's clearance away. What is stored stays encrypted to their key until
    /// `dossier rekey` encrypts it anew for the readers still cleared.
    public func removeClearance(named name: String, by agent: Agent) throws(VaultError) -> Vault {
        try changeClearances(by: agent, action: "remove", name: name) { clearances throws(VaultError) in
            guard clearances.contains(where: { $0.name == name.precomposedNFC }) else {
                throw .invalid("\(name) is not cleared in this vault (dossier clearance list shows who is)")
            }
            clearances.removeAll { $0.name == name.precomposedNFC }
        }
    }

    /// Rewrites vault.json with changed clearances, under `locks/vault.lock`, and records it.
    private func changeClearances(by agent: Agent, action: String, name: String, _ change: (inout [Clearance]) throws(VaultError) -> Void) throws(VaultError) -> Vault {
        let lock: FileLock
        do { lock = try FileLock(path: "\(locksPath)/vault.lock", mode: .exclusive, timeout: lockTimeout) } catch {
            throw .invalid("vault.json is being changed by another process: \(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        var current = try Vault.open(at: home)
        var settings = current.settings
        try change(&settings.clearances)
        do {
            try FileSystem.replaceFile("\(home)/\(VaultSettings.fileName)", Array(settings.json().serialized().utf8))
        } catch {
            throw .io(error)
        }
        var details = JSONObject()
        details["change"] = .string(action)
        details["reader"] = .string(name.precomposedNFC)
        details["clearances"] = .array(settings.clearances.map { .string("\($0.name) \($0.level.rawValue)") })
        try recordAudit(AuditEvent(action: .clearance, by: agent, details: details))
        current = Vault(home: home, settings: settings, store: store)
        current.clock = clock
        current.sealKeyPath = sealKeyPath
        current.lockTimeout = lockTimeout
        current.onLockWait = onLockWait
        return current
    }

    // MARK: Reading classified papers

    /// The level a read of `snapshot` must be cleared for: the dossier's level now, or the
    /// level its papers at that version were stored under (an earlier version of a dossier
    /// declassified since is still encrypted). `.none` when anyone may read it.
    func guardLevel(of snapshot: DossierSnapshot, head: DossierRecord) -> Classification {
        let stored = snapshot.record.documents.contains { $0.encryption != nil }
        return max(head.classification, snapshot.record.classification, stored ? .secret : .none)
    }

    /// Checks that `access` may read a dossier at `level`, recording a refusal in the audit log.
    func authorize(
        _ access: ReadAccess?, level: Classification, id: DossierID, version: VersionNumber, attempt: String, by agent: Agent
    ) throws(VaultError) {
        guard level != .none else { return }
        let problem: String?
        if let access {
            problem = access.level >= level ? nil
                : "\(access.source) belongs to \(access.readers.joined(separator: ", ")), cleared for \(access.level.rawValue) only"
        } else {
            problem = "give --identity FILE (or DOSSIER_IDENTITY) of a reader cleared for \(level.rawValue), and --reason"
        }
        guard let problem else { return }
        let message = "\(id) \(version) is classified \(level.rawValue) (\(level.chineseName)): \(problem)"
        var details = JSONObject()
        details["attempt"] = .string(attempt)
        details["refusal"] = .string(message)
        if let access { details["reason"] = .string(access.reason) }
        _ = try? recordAudit(AuditEvent(action: .refused, by: agent, dossier: id, version: version, details: details))
        throw .accessDenied(message)
    }

    /// Records one read of classified content: who, when, which document, why.
    func recordRead(_ access: ReadAccess, id: DossierID, version: VersionNumber, path: String, attempt: String, by agent: Agent) throws(VaultError) {
        var details = JSONObject()
        details["read"] = .string(attempt)
        details["document"] = .string(path)
        details["readers"] = .array(access.readers.map { .string($0) })
        details["reason"] = .string(access.reason)
        try recordAudit(AuditEvent(action: .read, by: agent, dossier: id, version: version, details: details))
    }
}

extension StoredContent {
    /// Streams the paper's own bytes to `write`: decrypted with `identities` when the stored
    /// file is an age file (`encrypted`), else as stored. The stored file is mapped, not read:
    /// it is decrypted from the page cache while another core checks the same pages against the
    /// inventory's sha256 fixity (any public key can make a valid age file, so the decryption
    /// alone does not prove these are the filed bytes).
    ///
    /// - Parameter authenticateFirst: go through the stored file twice, the first time writing
    ///   nothing, so that a damaged or forged file gives no output at all (for pipes).
    /// - Throws: ``StoreError/digestMismatch(_:_:path:expected:actual:)`` when the stored bytes
    ///   are not the filed ones; ``AgeError`` when they do not decrypt.
    func decrypt(with identities: [AgeIdentity], authenticateFirst: Bool, write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let input = try open()
        defer { input.closeQuietly() }
        guard let expected = sha256 else {
            throw StoreError.corruptObject(dossier, path: logicalPath, reason: "the inventory has no sha256 fixity for the stored file")
        }
        let mapped = try MappedFile(input, path: logicalPath)
        // The mapping must outlive the hasher's reading of it, whichever way this ends.
        try withExtendedLifetime(mapped) {
            var pass = try MappedDecryption(mapped, hashing: true)
            func check() throws {
                guard let actual = pass.finishHashing() else {
                    throw StoreError.corruptObject(dossier, path: logicalPath, reason: "the stored file was not hashed")
                }
                guard actual == expected else {
                    throw StoreError.digestMismatch(dossier, version, path: logicalPath, expected: expected, actual: actual)
                }
            }
            do {
                if authenticateFirst {
                    try AgeFile.decrypt(with: identities, contents: mapped.bytes) { plaintext in pass.advance(by: plaintext.count) }
                    try check()
                    var again = try MappedDecryption(mapped, hashing: false)
                    try AgeFile.decrypt(with: identities, contents: mapped.bytes) { plaintext in
                        try write(plaintext)
                        again.advance(by: plaintext.count)
                    }
                } else {
                    try AgeFile.decrypt(with: identities, contents: mapped.bytes) { plaintext in
                        try write(plaintext)
                        pass.advance(by: plaintext.count)
                    }
                    try check()
                }
            } catch {
                pass.stop()
                throw error
            }
        }
    }
}

/// One pass of decryption over a mapped age file, with its sha256 computed on another core a
/// window ahead of the decryption, and the pages both are done with given back — so that memory
/// stays flat whatever the file's size.
private struct MappedDecryption {
    private let mapped: MappedFile
    private let hasher: BackgroundHasher?
    /// Where the hashing stands: everything below `hashed` is hashed, `[hashed, hashing)` is in
    /// flight on the worker.
    private var hashed = 0
    private var hashing = 0
    private var dropped = 0
    private var prefetched = 0
    private var plaintextSeen = 0
    /// 32 MiB: large enough that handing windows to the worker costs nothing, small enough to
    /// keep memory flat.
    static let window = 32 << 20

    init(_ mapped: MappedFile, hashing: Bool) throws(CryptoError) {
        self.mapped = mapped
        hasher = hashing ? try BackgroundHasher(.sha256) : nil
        if hasher == nil { hashed = mapped.bytes.count }
        prefetchAhead(of: 0)
        startNextWindow()
    }

    /// Has the kernel read the window after `position` from disk while the current one is worked on.
    private mutating func prefetchAhead(of position: Int) {
        let target = min(position + 2 * Self.window, mapped.bytes.count)
        if target > prefetched {
            mapped.prefetch(prefetched..<target)
            prefetched = target
        }
    }

    /// Hands the next window to the hasher.
    private mutating func startNextWindow() {
        guard let hasher, hashing < mapped.bytes.count else { return }
        let end = min(hashing + Self.window, mapped.bytes.count)
        prefetchAhead(of: hashing)
        hasher.start(UnsafeRawBufferPointer(rebasing: mapped.bytes[hashing..<end]))
        hashing = end
    }

    /// `count` more plaintext bytes were released. The ciphertext read so far is longer than the
    /// plaintext (header, tags), so the plaintext's length is a safe lower bound of it.
    mutating func advance(by count: Int) {
        plaintextSeen += count
        prefetchAhead(of: plaintextSeen)
        if let hasher, plaintextSeen >= hashing, hashing < mapped.bytes.count {
            hasher.wait()
            hashed = hashing
            startNextWindow()
        }
        let done = min(plaintextSeen, hashed) / Self.window * Self.window
        if done > dropped {
            mapped.drop(dropped..<done)
            dropped = done
        }
    }

    /// The digest of the whole file (its end hashed now if the decryption stopped early);
    /// `nil` for a pass made without hashing.
    mutating func finishHashing() -> Digest? {
        guard let hasher else { return nil }
        hasher.wait()
        if hashing < mapped.bytes.count {
            hasher.start(UnsafeRawBufferPointer(rebasing: mapped.bytes[hashing...]))
            hashing = mapped.bytes.count
        }
        hashed = hashing
        return hasher.finalize()
    }

    /// Waits for the worker, so that the mapping can go.
    func stop() { hasher?.wait() }
}
