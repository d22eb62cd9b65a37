import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a document's bytes, exactly as filed, checking them against their sha512.",
            discussion: """
                PATH is the logical path shown by `dossier show`, e.g.
                documents/ownership-agreement/赋权协议.pdf, or dossier.json for the record.
                With -o the file appears only if every byte matched its digest.

                \(ExitStatus.help)
                """)

        @OptionGroup var vaultOptions: VaultOptions

        @Argument(help: "The dossier id.") var id: String
        @Argument(help: "The document's logical path.") var path: String
        @Option(help: "The version (default: the latest).") var version: VersionNumber?
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let dossierID = try parseDossierID(id)
                let (file, expected, size, shownVersion) = try vault.documentFile(of: dossierID, path: path, version: version)
                let input = try FileDescriptor.open(file, .readOnly)
                defer { input.closeQuietly() }
                let progress = ProgressLine("reading \(DossierKit.FileSystem.lastComponent(of: path))", total: size)
                let actual: ContentDigests
                if let output {
                    let temporary = "\(DossierKit.FileSystem.parent(of: output))/.\(DossierKit.FileSystem.lastComponent(of: output)).partial-\(getpid())"
                    let sink = try FileDescriptor.open(temporary, .replace)
                    do {
                        actual = try StreamDigester.digest(read: { try input.read(into: $0) }, write: { try sink.write($0) }, progress: progress.update)
                        try sink.sync()
                        try sink.close()
                    } catch {
                        sink.closeQuietly()
                        try? DossierKit.FileSystem.removeFile(temporary)
                        throw error
                    }
                    guard actual.sha512 == expected else {
                        try? DossierKit.FileSystem.removeFile(temporary)
                        progress.finish()
                        throw CheckFailure(message: StoreError.digestMismatch(dossierID, shownVersion, path: path, expected: expected, actual: actual.sha512).description)
                    }
                    try DossierKit.FileSystem.rename(temporary, to: output)
                } else {
                    let stdout = FileDescriptor(rawValue: 1, path: "standard output")
                    actual = try StreamDigester.digest(read: { try input.read(into: $0) }, write: { try stdout.write($0) }, progress: progress.update)
                }
                progress.finish()
                guard actual.sha512 == expected else {
                    throw CheckFailure(message: StoreError.digestMismatch(dossierID, shownVersion, path: path, expected: expected, actual: actual.sha512).description)
                }
            }
        }
    }
}
