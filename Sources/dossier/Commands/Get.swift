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
                With -o FILE the file appears only if every byte matched its digest.

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
                defer { progress.finish() }
                let copy = { (sink: FileDescriptor) throws -> Digest in
                    try StreamDigester.digest(read: { try input.read(into: $0) }, write: { try sink.write($0) }, progress: progress.update).sha512
                }
                let mismatch = { (actual: Digest) in
                    CheckFailure(message: StoreError.digestMismatch(dossierID, shownVersion, path: path, expected: expected, actual: actual).description)
                }

                guard let output else {
                    let actual = try copy(FileDescriptor(rawValue: 1, path: "standard output"))
                    if actual != expected { throw mismatch(actual) }
                    return
                }
                if case .regular = DossierKit.FileSystem.kind(of: output) {} else if DossierKit.FileSystem.exists(output) {
                    // A device or a pipe (/dev/null, a FIFO): stream into it; there is nothing to rename.
                    let sink = try FileDescriptor.open(output, .replace)
                    defer { sink.closeQuietly() }
                    let actual = try copy(sink)
                    if actual != expected { throw mismatch(actual) }
                    return
                }
                // A file: written beside the target and renamed over it only when every byte matched.
                let temporary = "\(DossierKit.FileSystem.parent(of: output))/.\(DossierKit.FileSystem.lastComponent(of: output)).partial-\(getpid())"
                let sink = try FileDescriptor.open(temporary, .replace)
                let actual: Digest
                do {
                    actual = try copy(sink)
                    try sink.sync()
                } catch {
                    sink.closeQuietly()
                    try? DossierKit.FileSystem.removeFile(temporary)
                    throw error
                }
                do {
                    try sink.close()
                    if actual != expected { throw mismatch(actual) }
                    try DossierKit.FileSystem.rename(temporary, to: output)
                } catch {
                    try? DossierKit.FileSystem.removeFile(temporary)
                    throw error
                }
            }
        }
    }
}
