import DossierKit
import Foundation

/// Builds vaults through the library for tests: terse calls for the common filings.
public struct VaultBuilder: Sendable {
    public var vault: Vault
    public let agent = Agent(name: "测试员", email: "test@example.org")

    /// A new vault at `root/Vault`.
    public init(root: String) throws {
        vault = try Vault.initialize(at: "\(root)/Vault")
    }

    public var store: String { vault.store.path }

    /// The common facts every document needs.
    public static let baseFacts: JSONObject = ["signedOn": "2021-03-01", "parties": ["内蒙古工业大学", "王芳团队"]]

    public static func record(_ id: String, title: String = "测试成果", grant: GrantKind = .ownership) -> DossierRecord {
        // swift-format-ignore: NeverForceUnwrap
        DossierRecord(
            id: DossierID(id)!, title: title, unit: "imut", type: .patent, funding: .fiscal, grant: grant,
            completers: [Completer(name: "王芳", share: 60, representative: true), Completer(name: "李强", share: 40)])
    }

    /// Opens a dossier (v1) with `documents`, given as (kind, file name, bytes); `moreFacts` adds
    /// facts to the documents of a kind (a unit approval's decision) beside the common ones.
    @discardableResult
    public func create(
        _ id: String, title: String = "测试成果", documents: [(DocumentKind, String, [UInt8])] = [], moreFacts: [DocumentKind: JSONObject] = [:]
    ) throws -> FilingResult {
        try apply(id, target: .create(VaultBuilder.record(id, title: title)), documents: documents, moreFacts: moreFacts)
    }

    /// Files documents into an existing dossier.
    @discardableResult
    public func file(_ id: String, _ documents: [(DocumentKind, String, [UInt8])], facts: JSONObject = baseFacts, update: JSONValue? = nil, faults: FaultInjector? = nil) throws -> FilingResult {
        let updateReader = update.map { FieldReader(file: "test", value: $0, path: "update") }
        return try apply(id, target: .existing(update: updateReader), documents: documents, facts: facts, faults: faults)
    }

    /// Renames a document.
    @discardableResult
    public func rename(_ id: String, _ path: String, to name: String) throws -> FilingResult {
        // swift-format-ignore: NeverForceUnwrap
        let dossierID = DossierID(id)!
        return try vault.withStaging { staging in
            try vault.apply(DossierChange(target: .existing(update: nil), renames: [(path, name)], user: agent, source: "test"), to: dossierID, staging: staging)
        }
    }

    private func apply(
        _ id: String, target: DossierChange.Target, documents: [(DocumentKind, String, [UInt8])], facts: JSONObject = baseFacts, moreFacts: [DocumentKind: JSONObject] = [:],
        faults: FaultInjector? = nil
    ) throws -> FilingResult {
        // swift-format-ignore: NeverForceUnwrap
        let dossierID = DossierID(id)!
        var vault = vault
        vault.faults = faults
        return try vault.withStaging { staging in
            var incoming: [IncomingDocument] = []
            for (index, (kind, name, bytes)) in documents.enumerated() {
                let source = "\(staging)/source-\(index)"
                try Data(bytes).write(to: URL(fileURLWithPath: source))
                let staged = try vault.stage(fileAt: source, into: staging)
                var documentFacts = facts
                for (key, value) in moreFacts[kind] ?? [:] { documentFacts[key] = value }
                incoming.append(IncomingDocument(kind: kind, fileName: name, facts: documentFacts, content: staged, origin: name))
            }
            return try vault.apply(DossierChange(target: target, documents: incoming, user: agent, source: "test"), to: dossierID, staging: staging)
        }
    }

    /// The bytes of a document at a version, read and checked through the vault.
    public func bytes(_ id: String, _ path: String, version: Int? = nil) throws -> [UInt8] {
        var bytes: [UInt8] = []
        // swift-format-ignore: NeverForceUnwrap
        _ = try vault.copyDocument(of: DossierID(id)!, path: path, version: version.map(VersionNumber.init)) { bytes += $0 }
        return bytes
    }

    /// Every regular file under the object's folder, relative to it.
    public func objectFiles(_ id: String) throws -> [String] {
        // swift-format-ignore: NeverForceUnwrap
        let root = vault.store.objectRoot(for: DossierID(id)!)
        var result: [String] = []
        func walk(_ directory: String, _ prefix: String) throws {
            for name in try FileSystem.contents(of: directory) {
                let path = "\(directory)/\(name)"
                if FileSystem.isDirectory(path) { try walk(path, "\(prefix)\(name)/") } else { result.append("\(prefix)\(name)") }
            }
        }
        try walk(root, "")
        return result
    }
}
