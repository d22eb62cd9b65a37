import DossierKit
import Foundation

/// Vaults filed through the library exactly as `dossier file` files them, for tests that need
/// a real store to check (and to damage).
public enum SampleVault {
    /// The documents of the sample dossier: v1 files the first two, v2 the third.
    public static let documents: [(kind: DocumentKind, name: String, text: String)] = [
        (.teamConsensus, "团队约定.pdf", "团队内部协商一致书面约定：王芳 60%，李强 40%。"),
        (.grantApplication, "赋权申请.pdf", "赋权申请：申请人王芳，所有权。"),
        (.unitApproval, "单位审批意见.pdf", "单位审批意见：同意。"),
    ]

    /// A vault at `home` holding one dossier per id, each with two versions (v1: two
    /// documents, v2: a third).
    @discardableResult
    public static func create(at home: String, ids: [String] = ["IMUT-2021-0007"]) throws -> Vault {
        let vault = try Vault.initialize(at: home)
        let agent = Agent(name: "张律师", email: "zhang@example.org")
        for (number, text) in ids.enumerated() {
            guard let id = DossierID(text) else { throw VaultError.invalid("bad sample id \(text)") }
            let record = DossierRecord(
                id: id, title: "一种风光互补储能系统的控制方法 \(number)", unit: "imut", type: .patent, funding: .fiscal, grant: .ownership,
                completers: [Completer(name: "王芳", share: 60, representative: true), Completer(name: "李强", share: 40)])
            try file(documents[0..<2], into: vault, id: id, target: .create(record), agent: agent, salt: number)
            try file(documents[2..<3], into: vault, id: id, target: .existing(update: nil), agent: agent, salt: number)
        }
        return vault
    }

    private static func file(
        _ documents: ArraySlice<(kind: DocumentKind, name: String, text: String)>, into vault: Vault, id: DossierID,
        target: DossierChange.Target, agent: Agent, salt: Int
    ) throws {
        try vault.withStaging { staging in
            var incoming: [IncomingDocument] = []
            for (index, document) in documents.enumerated() {
                let source = "\(staging)/source-\(index)"
                try Data("\(document.text) #\(salt)\n".utf8).write(to: URL(fileURLWithPath: source))
                incoming.append(IncomingDocument(
                    kind: document.kind, fileName: document.name,
                    facts: ["signedOn": "2021-04-20", "parties": ["内蒙古工业大学", "王芳团队"]],
                    content: try vault.stage(fileAt: source, into: staging), origin: source))
            }
            _ = try vault.apply(DossierChange(target: target, documents: incoming, user: agent, source: "sample"), to: id, staging: staging)
        }
    }

    /// Files one more document (any bytes) into an existing dossier, as a new version.
    public static func fileDocument(_ bytes: [UInt8], kind: DocumentKind, name: String, into vault: Vault, id: DossierID) throws {
        try vault.withStaging { staging in
            let source = "\(staging)/source"
            try Data(bytes).write(to: URL(fileURLWithPath: source))
            let document = IncomingDocument(
                kind: kind, fileName: name, facts: ["signedOn": "2021-04-20", "parties": ["内蒙古工业大学"]],
                content: try vault.stage(fileAt: source, into: staging), origin: source)
            let change = DossierChange(target: .existing(update: nil), documents: [document], user: Agent(name: "张律师", email: "zhang@example.org"), source: "sample")
            _ = try vault.apply(change, to: id, staging: staging)
        }
    }

    /// Flips one bit of the byte at `offset` (from the end when negative) of a file.
    public static func flipByte(in path: String, at offset: Int = 0) throws {
        var bytes = try FileSystem.readFile(path)
        let index = offset >= 0 ? offset : bytes.count + offset
        bytes[index] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
