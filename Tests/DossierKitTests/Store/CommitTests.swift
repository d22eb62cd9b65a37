import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@Suite("filing commits")
struct CommitTests {
    let agreement: [UInt8] = Array("赋权协议 第一版".utf8)

    @Test("re-filing identical bytes under a new name stores no new content")
    func deduplication() throws {
        try withTemporaryDirectory { root in
            // Given a dossier with one filed document
            let builder = try VaultBuilder(root: root)
            try builder.create("IMUT-2021-0007", documents: [(.ownershipAgreement, "赋权协议.pdf", agreement)])
            let contentBefore = try builder.objectFiles("IMUT-2021-0007").filter { $0.contains("/content/documents/") }
            // When the same bytes are filed again under another name and kind
            let result = try builder.file("IMUT-2021-0007", [(.unitApproval, "同一文件.pdf", agreement)])
            // Then v2 records the new path but stores no document bytes: only the new dossier.json
            #expect(result.version == VersionNumber(2))
            #expect(result.storedFiles == 0)
            #expect(result.deduplicatedFiles == 1)
            let contentAfter = try builder.objectFiles("IMUT-2021-0007").filter { $0.contains("/content/documents/") }
            #expect(contentAfter == contentBefore)
            #expect(try builder.objectFiles("IMUT-2021-0007").filter { $0.hasPrefix("v2/content/") } == ["v2/content/dossier.json"])
            #expect(try builder.bytes("IMUT-2021-0007", "documents/unit-approval/同一文件.pdf") == agreement)
        }
    }

    @Test("a filing that changes nothing is refused and writes nothing")
    func nothingToFile() throws {
        try withTemporaryDirectory { root in
            let builder = try VaultBuilder(root: root)
            try builder.create("IMUT-2021-0007", documents: [(.ownershipAgreement, "赋权协议.pdf", agreement)])
            let before = try treeFingerprint(builder.store)
            #expect(throws: VaultError.self) {
                try builder.file("IMUT-2021-0007", [])
            }
            #expect(try treeFingerprint(builder.store) == before)
        }
    }

    @Test("a failure at any commit step leaves the store byte-for-byte as it was", arguments: CommitStep.allCases)
    func failureAtEveryStep(step: CommitStep) throws {
        try withTemporaryDirectory { root in
            // Given a dossier at v1
            let builder = try VaultBuilder(root: root)
            try builder.create("IMUT-2021-0007", documents: [(.ownershipAgreement, "赋权协议.pdf", agreement)])
            let before = try treeFingerprint(builder.store)
            // When the next filing fails at `step` (as a full disk would)
            let injected = FileSystemError(operation: "write", path: "injected", code: ENOSPC)
            #expect(throws: VaultError.self) {
                try builder.file("IMUT-2021-0007", [(.publicityRecord, "公示.pdf", Array("公示".utf8))], faults: { current in
                    if current == step { throw injected }
                })
            }
            // Then nothing of the failed version is visible, and the staging area is clean
            #expect(try treeFingerprint(builder.store) == before)
            #expect(try FileSystem.contents(of: builder.vault.stagingPath).isEmpty)
            // And the next filing succeeds as v2
            #expect(try builder.file("IMUT-2021-0007", [(.publicityRecord, "公示.pdf", Array("公示".utf8))]).version == VersionNumber(2))
        }
    }

    @Test("a crash after the version folder moved is completed by recovery", arguments: [CommitStep.versionMoved, .inventoryReplaced])
    func crashRecovery(step: CommitStep) throws {
        try withTemporaryDirectory { root in
            // Given a commit cut off after `step`, without any clean-up
            let builder = try VaultBuilder(root: root)
            try builder.create("IMUT-2021-0007", documents: [(.ownershipAgreement, "赋权协议.pdf", agreement)])
            #expect(throws: VaultError.self) {
                try builder.file("IMUT-2021-0007", [(.publicityRecord, "公示.pdf", Array("公示".utf8))], faults: { current in
                    if current == step { throw SimulatedCrash() }
                })
            }
            // When the next writer takes the lock, it rolls the commit forward
            let id = try #require(DossierID("IMUT-2021-0007"))
            #expect(try builder.vault.store.recover(id) == true)
            // Then v2 is the head, its inventory matches its sidecar, and its document reads back
            let inventory = try builder.vault.store.inventory(of: id)
            #expect(inventory.head == VersionNumber(2))
            #expect(try builder.bytes("IMUT-2021-0007", "documents/publicity-record/公示.pdf") == Array("公示".utf8))
            #expect(try builder.vault.store.recover(id) == false)
        }
    }

    @Test("renaming records the new path with the same bytes; the old path stays in history")
    func rename() throws {
        try withTemporaryDirectory { root in
            let builder = try VaultBuilder(root: root)
            try builder.create("IMUT-2021-0007", documents: [(.ownershipAgreement, "协议草稿.pdf", agreement)])
            let result = try builder.rename("IMUT-2021-0007", "documents/ownership-agreement/协议草稿.pdf", to: "赋权协议.pdf")
            #expect(result.version == VersionNumber(2))
            #expect(try builder.bytes("IMUT-2021-0007", "documents/ownership-agreement/赋权协议.pdf") == agreement)
            #expect(try builder.bytes("IMUT-2021-0007", "documents/ownership-agreement/协议草稿.pdf", version: 1) == agreement)
            let history = try builder.vault.history(of: try #require(DossierID("IMUT-2021-0007")))
            #expect(history.last?.renamed == [.init(from: "documents/ownership-agreement/协议草稿.pdf", to: "documents/ownership-agreement/赋权协议.pdf")])
            #expect(history.last?.added == [])
            #expect(history.last?.removed == [])
        }
    }
}

@Suite("dossier locks")
struct LockTests {
    @Test("a filing waits for a held lock, then gives up with a message naming the holder")
    func lockedDossierIsRefused() throws {
        try withTemporaryDirectory { root in
            // Given a dossier whose lock another filer holds
            var builder = try VaultBuilder(root: root)
            try builder.create("IMUT-2021-0007")
            let id = try #require(DossierID("IMUT-2021-0007"))
            var held: DossierLock? = try DossierLock(id: id, directory: builder.vault.locksPath, timeout: 0)
            let before = try treeFingerprint(builder.store)
            // When a second filing waits only briefly
            builder.vault.lockTimeout = 0.3
            let waits = WaitRecorder()
            builder.vault.onLockWait = { _, holder in waits.record(holder) }
            do {
                try builder.file("IMUT-2021-0007", [(.publicityRecord, "公示.pdf", Array("公示".utf8))])
                Issue.record("the filing should have been refused")
            } catch let error as VaultError {
                // Then it is refused with the holder named, after saying once that it waits
                #expect(error.description.hasPrefix("IMUT-2021-0007 is locked by another dossier process (pid \(getpid()) since "))
                #expect(error.description.hasSuffix("; gave up after 0 s"))
            }
            #expect(waits.holders.count == 1)
            #expect(try treeFingerprint(builder.store) == before)
            // And once the lock is released the filing goes through
            #expect(held != nil)
            held = nil
            #expect(try builder.file("IMUT-2021-0007", [(.publicityRecord, "公示.pdf", Array("公示".utf8))]).version == VersionNumber(2))
        }
    }
}

final class WaitRecorder: @unchecked Sendable {
    // Guarded by `lock`: written by the vault's wait callback, read by the test.
    private let lock = NSLock()
    private var items: [String] = []
    func record(_ holder: String) { lock.lock(); items.append(holder); lock.unlock() }
    var holders: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
