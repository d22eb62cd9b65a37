import DossierModel

#if canImport(Glibc)
import Glibc
#endif

extension Vault {
    /// The vault's seal key, read from ``sealKeyPath``.
    /// - Throws: ``VaultError/invalid(_:)`` when there is none (saying how to make one), when
    ///   the file is readable by others, or when it is not an Ed25519 or SM2 private key.
    public func sealKey() throws(VaultError) -> SealKey {
        do { return try SealKey.load(fromFile: sealKeyPath) } catch { throw .invalid(error.description) }
    }

    /// Creates the vault's seal key at ``sealKeyPath`` (its folder 0700, the key 0600), records
    /// its fingerprint in the audit log, and seals the log's head with it.
    ///
    /// A vault has one seal: the unit publishes its public key (``SealKey/publicKey``), and
    /// auditors check every export and the audit log against it. An existing key is never
    /// replaced.
    /// - Throws: ``VaultError/invalid(_:)`` when a key is already there.
    public func createSealKey(_ algorithm: SealAlgorithm = .ed25519, by agent: Agent) throws(VaultError) -> SealKey {
        if FileSystem.exists(sealKeyPath) {
            throw .invalid("\(sealKeyPath): the vault already has a seal key; a vault keeps one seal, whose public key its unit publishes (dossier seal show)")
        }
        let key: SealKey
        do { key = try SealKey.generate(algorithm) } catch { throw .crypto(error) }
        let folder = FileSystem.parent(of: sealKeyPath)
        do {
            if !FileSystem.exists(folder) {
                try FileSystem.makeDirectory(folder)
                chmod(folder, 0o700)
            }
            let file = try FileDescriptor.open(sealKeyPath, .createNew, permissions: 0o600)
            do {
                try file.write(Array(key.pem.utf8))
                try file.sync()
                try file.close()
            } catch {
                file.closeQuietly()
                try? FileSystem.removeFile(sealKeyPath)
                throw error
            }
            try FileSystem.syncDirectory(folder)
        } catch {
            throw .wrap(error)
        }
        var details = JSONObject()
        details["algorithm"] = .string(algorithm.rawValue)
        details["key"] = .string(key.publicKey.fingerprint)
        try recordAudit(AuditEvent(action: .seal, by: agent, details: details))
        return key
    }
}
