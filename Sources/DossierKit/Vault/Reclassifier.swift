import DossierModel
import Foundation

/// What classifying, declassifying or rekeying a dossier did.
public struct ReclassifyResult: Sendable {
    public var id: DossierID
    /// The version filed with the new classification (`nil` for a rekey, which files none).
    public var version: VersionNumber?
    /// Stored papers written anew (encrypted, or encrypted for other readers).
    public var filesRewritten: Int
    public var oldInventory: String
    public var newInventory: String
    /// Why the audit line could not be written (the change stands; the next change to the
    /// dossier writes the line, marked as written by recovery), or `nil`.
    public var auditWarning: String?
}

extension Vault {
    /// Classifies a dossier: every paper of every version is stored encrypted to the readers
    /// cleared for `level` (OCFL versions are immutable, so the object is rewritten whole with
    /// its history kept and swapped in atomically: no older version keeps a paper in the
    /// clear), then a version is filed with the new classification and secrecy period. Papers
    /// already encrypted for other readers are encrypted anew, which takes `access`.
    ///
    /// - Parameters:
    ///   - id: the dossier.
    ///   - level: secret, confidential or top-secret.
    ///   - until: the end of the secrecy period (R24), or `condition` instead.
    ///   - condition: the event that ends the secrecy, when there is no date.
    ///   - access: a cleared identity; needed only when papers are stored encrypted already.
    ///   - agent: who classifies, for the version and the audit log.
    /// - Throws: ``VaultError``; the store is unchanged unless the rewrite completed.
    public func classify(
        _ id: DossierID, level: Classification, until: LocalDate?, condition: String?, access: ReadAccess?, by agent: Agent
    ) throws(VaultError) -> ReclassifyResult {
        guard level != .none else { throw .invalid("classify to secret, confidential or top-secret; to make a dossier public, declassify it") }
        let readers = settings.readers(for: level)
        guard !readers.isEmpty else {
            throw .invalid("nobody is cleared for \(level.rawValue) (\(level.chineseName)); clear a reader first: dossier clearance add \(level.rawValue) NAME age1…")
        }
        let filer = self.filer
        do {
            let lock = try filer.lock(id)
            defer { withExtendedLifetime(lock) {} }
            return try filer.withStaging { staging in
                try filer.settle(id)
                let rewrite = try rewriteEncrypted(id, readers: readers, access: access, staging: staging, journal: (.classify, level, agent))
                let head = try store.snapshot(of: id).record
                var secrecy = head.secrecy ?? Secrecy(level: level)
                secrecy.level = level
                if secrecy.classifiedOn == nil || head.classification == .none { secrecy.classifiedOn = clock.today }
                secrecy.until = until
                secrecy.condition = condition?.precomposedNFC
                if secrecy.readers.isEmpty { secrecy.readers = readers.map(\.name) }
                var update = JSONObject()
                update["classification"] = .string(level.rawValue)
                update["secrecy"] = RecordCodec.encode(secrecy)
                var change = DossierChange(
                    target: .existing(update: FieldReader(file: "classify", value: .object(update))),
                    message: "classify \(level.rawValue) (\(level.chineseName))" + (until.map { " until \($0)" } ?? condition.map { " until \($0)" } ?? ""),
                    user: agent, source: "classify")
                change.changesClassification = true
                let filed = try filer.applyHoldingLock(change, to: id, staging: try FileSystem.makeTemporaryDirectory(in: staging, prefix: "file-"))
                let warning = recordReclassification(.classify, id: id, rewrite: rewrite, level: level, access: access, by: agent, filed: filed.version)
                return ReclassifyResult(
                    id: id, version: filed.version, filesRewritten: rewrite.filesRewritten, oldInventory: rewrite.oldInventory, newInventory: rewrite.newInventory,
                    auditWarning: warning ?? filed.auditWarning)
            }
        } catch {
            throw .wrap(error)
        }
    }

    /// Encrypts a dossier's papers anew for the readers cleared now, every version (after a
    /// clearance was removed: a removed reader's key then opens nothing stored). Files no
    /// version; the object is rewritten with its history and swapped in atomically.
    /// - Returns: `nil` for a dossier with nothing encrypted.
    public func rekey(_ id: DossierID, access: ReadAccess, by agent: Agent) throws(VaultError) -> ReclassifyResult? {
        let filer = self.filer
        do {
            let lock = try filer.lock(id)
            defer { withExtendedLifetime(lock) {} }
            return try filer.withStaging { staging -> ReclassifyResult? in
                try filer.settle(id)
                let snapshot = try store.snapshot(of: id)
                let level = max(snapshot.record.classification, .secret)
                guard try encryptedDigests(snapshot).isEmpty == false else { return nil }
                let readers = settings.readers(for: level)
                guard !readers.isEmpty else { throw VaultError.invalid("nobody is cleared for \(level.rawValue) any more; clear a reader before rekeying \(id)") }
                let rewrite = try rewriteEncrypted(id, readers: readers, access: access, staging: staging, always: true, journal: (.rekey, level, agent))
                let warning = recordReclassification(.rekey, id: id, rewrite: rewrite, level: level, access: access, by: agent, filed: nil)
                return ReclassifyResult(
                    id: id, version: nil, filesRewritten: rewrite.filesRewritten, oldInventory: rewrite.oldInventory, newInventory: rewrite.newInventory,
                    auditWarning: warning)
            }
        } catch {
            throw .wrap(error)
        }
    }

    /// Declassifies a dossier: a new version with its papers stored in the clear and its
    /// classification `none`. Earlier versions stay encrypted (reading them still takes a
    /// cleared identity).
    public func declassify(_ id: DossierID, access: ReadAccess, by agent: Agent) throws(VaultError) -> ReclassifyResult {
        let filer = self.filer
        do {
            let lock = try filer.lock(id)
            defer { withExtendedLifetime(lock) {} }
            return try filer.withStaging { staging in
                try filer.settle(id)
                let snapshot = try store.snapshot(of: id)
                guard snapshot.record.classification != .none else { throw VaultError.invalid("\(id) is not classified") }
                try authorize(access, level: snapshot.record.classification, id: id, version: snapshot.version, attempt: "declassify", by: agent)
                var documents: [IncomingDocument] = []
                for entry in snapshot.record.documents where entry.encryption != nil {
                    let content = try snapshot.content(entry.path)
                    let target = try FileSystem.makeTemporaryDirectory(in: staging, prefix: "clear-") + "/content"
                    let output = try SequentialFileWriter(creating: target)
                    let digester = try PushDigester()
                    try content.decrypt(with: access.identities, authenticateFirst: false) { bytes in
                        digester.update(bytes)
                        try output.write(bytes)
                    }
                    try output.sync()
                    guard let digests = digester.finish() else { throw CryptoError(operation: "digest", detail: "finished twice") }
                    documents.append(IncomingDocument(
                        kind: entry.kind, fileName: entry.fileName, facts: entry.facts, content: StagedFile(path: target, digests: digests), origin: entry.path))
                }
                let old = snapshot.inventoryDigest
                var change = DossierChange(
                    target: .existing(update: FieldReader(file: "declassify", value: ["classification": "none", "secrecy": .null])),
                    documents: documents, message: "declassify: papers stored in the clear from this version on", user: agent, source: "declassify")
                change.changesClassification = true
                let filed = try filer.applyHoldingLock(change, to: id, staging: try FileSystem.makeTemporaryDirectory(in: staging, prefix: "file-"))
                let now = try store.snapshot(of: id).inventoryDigest
                var details = JSONObject()
                details["readers"] = .array(access.readers.map { .string($0) })
                details["reason"] = .string(access.reason)
                details["documents"] = .array(documents.map { .string($0.origin) })
                details["oldInventory"] = .string(old)
                details["newInventory"] = .string(now)
                // The new version is committed and has its filing line: this one adds who and
                // why, and its failure is a warning, never a refusal.
                var warning = filed.auditWarning
                do { try audit.record(AuditEvent(action: .declassify, by: agent, dossier: id, version: filed.version, details: details)) } catch {
                    warning = warning ?? "\(id) \(filed.version) is declassified, but its declassify line could not be written: \(error)"
                }
                return ReclassifyResult(
                    id: id, version: filed.version, filesRewritten: documents.count, oldInventory: old, newInventory: now, auditWarning: warning)
            }
        } catch {
            throw .wrap(error)
        }
    }

    /// The dossiers whose papers are stored encrypted at any version (what `rekey` works on).
    public func encryptedDossiers() throws(VaultError) -> [DossierID] {
        do {
            return try dossierIDs().filter { id in
                let snapshot = try store.snapshot(of: id)
                let encrypted = try encryptedDigests(snapshot)
                return snapshot.record.classification != .none || !encrypted.isEmpty
            }
        } catch {
            throw .wrap(error)
        }
    }

    // MARK: The rewrite

    /// sha512 of the stored files that are age files, with the paper's own size, from every
    /// version's record.
    private func encryptedDigests(_ snapshot: DossierSnapshot) throws -> [String: DocumentEncryption] {
        var result: [String: DocumentEncryption] = [:]
        for number in snapshot.inventory.versions.keys {
            for entry in try snapshot.record(at: number).documents {
                if let encryption = entry.encryption { result[entry.sha512.hex] = encryption }
            }
        }
        return result
    }

    /// Rewrites the object with every paper encrypted to `readers`: papers in the clear are
    /// encrypted (no key needed), papers encrypted for other readers (or all, with `always`)
    /// are decrypted with `access` and encrypted anew.
    private func rewriteEncrypted(
        _ id: DossierID, readers: [Clearance], access: ReadAccess?, staging: String, always: Bool = false,
        journal: (action: AuditAction, level: Classification, agent: Agent)
    ) throws -> RewriteResult {
        let snapshot = try store.snapshot(of: id)
        let encrypted = try encryptedDigests(snapshot)
        let names = readers.map(\.name)
        var recipients: [AgeRecipient] = []
        for reader in readers { recipients.append(try AgeRecipient(reader.recipient)) }
        if !encrypted.isEmpty, always || encrypted.values.contains(where: { Set($0.readers) != Set(names) }) {
            guard let access else {
                throw VaultError.invalid("\(id)'s papers are stored encrypted for other readers; give --identity of a cleared reader (and --reason) to encrypt them anew")
            }
            try authorize(access, level: max(snapshot.record.classification, .secret), id: id, version: snapshot.version, attempt: "rekey", by: Agent(name: access.readers.joined(separator: ", "), address: nil))
        }
        var plaintextSizes: [String: Int64] = [:]
        let rewrite = try store.rewrite(id, staging: "\(staging)/rewrite") { stored, target in
            let encryption = encrypted[stored.sha512.hex]
            if let encryption {
                // Already encrypted for exactly these readers (or no key to open it): left as it is.
                guard always || Set(encryption.readers) != Set(names), access != nil else { return nil }
            }
            let output = try SequentialFileWriter(creating: target)
            let digests: ContentDigests
            if let encryption, let access {
                let digester = try PushDigester()
                var encryptor = try AgeEncryptor(to: recipients)
                try stored.decrypt(with: access.identities, authenticateFirst: false) { bytes in
                    try encryptor.update(bytes) { out in
                        digester.update(out)
                        try output.write(out)
                    }
                }
                _ = try encryptor.finish { out in
                    digester.update(out)
                    try output.write(out)
                }
                guard let done = digester.finish() else { throw CryptoError(operation: "digest", detail: "finished twice") }
                digests = done
                plaintextSizes[stored.sha512.hex] = encryption.size
            } else {
                let input = try stored.open()
                defer { input.closeQuietly() }
                // The paper is checked against its stored sha512 as it is encrypted.
                let hasher = try BackgroundHasher(.sha512)
                let source = try AgeEncryptingReader(to: recipients) { buffer in
                    let count = try input.read(into: buffer)
                    hasher.startCopy(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                    return count
                }
                digests = try StreamDigester.digest(read: source.read, write: { try output.write($0) })
                let actual = hasher.finalize()
                guard actual == stored.sha512 else {
                    throw StoreError.digestMismatch(id, stored.version, path: stored.logicalPath, expected: stored.sha512, actual: actual)
                }
                plaintextSizes[stored.sha512.hex] = source.plaintextSize
            }
            try output.sync()
            return digests
        } record: { record, changed in
            var record = record
            for index in record.documents.indices {
                let old = record.documents[index].sha512.hex
                guard let digests = changed[old] else { continue }
                record.documents[index].sha512 = digests.sha512
                record.documents[index].size = digests.size
                record.documents[index].encryption = DocumentEncryption(readers: names, size: plaintextSizes[old] ?? record.documents[index].size)
            }
            return record
        } prepared: { result in
            // Before the exchange: the line the rewrite will have, so that a crash after it
            // leaves the next writer able to write it (Filer.settle).
            let event = reclassificationEvent(journal.action, id: id, rewrite: result, level: journal.level, access: access, by: journal.agent, filed: nil)
            var expected: [VersionNumber: String] = [:]
            for version in result.versions { expected[version.version] = version.new }
            try filer.journal.write(CommitJournal.Entry(event: event, at: clock.timestamp(), expected: expected), for: id, kind: .rewrite)
        }
        return rewrite
    }

    /// Writes the rewrite's audit line and removes its journal.
    /// - Returns: a warning when the line could not be written (the journal stays, and the
    ///   next change to the dossier writes it).
    private func recordReclassification(
        _ action: AuditAction, id: DossierID, rewrite: RewriteResult, level: Classification, access: ReadAccess?, by agent: Agent, filed: VersionNumber?
    ) -> String? {
        do {
            try audit.record(reclassificationEvent(action, id: id, rewrite: rewrite, level: level, access: access, by: agent, filed: filed))
        } catch let error where !error.lineWritten {
            return FilerMessages.auditLinePending(id, filed ?? rewrite.versions.last?.version ?? VersionNumber(1), error)
        } catch {
            filer.journal.remove(id, .rewrite)
            return "\(id): the audit line is written, but \(error)"
        }
        filer.journal.remove(id, .rewrite)
        return nil
    }

    private func reclassificationEvent(
        _ action: AuditAction, id: DossierID, rewrite: RewriteResult, level: Classification, access: ReadAccess?, by agent: Agent, filed: VersionNumber?
    ) -> AuditEvent {
        var details = JSONObject()
        details["level"] = .string(level.rawValue)
        details["filesRewritten"] = .number(Double(rewrite.filesRewritten))
        details["oldInventory"] = .string(rewrite.oldInventory)
        details["newInventory"] = .string(rewrite.newInventory)
        details["versions"] = .array(rewrite.versions.map { ["version": .string($0.version.description), "old": .string($0.old), "new": .string($0.new)] })
        if let access {
            details["readers"] = .array(access.readers.map { .string($0) })
            details["reason"] = .string(access.reason)
        }
        return AuditEvent(action: action, by: agent, dossier: id, version: filed, details: details)
    }
}
