import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct VerifyBundle: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-bundle",
            abstract: L("Check any BagIt bag, a folder or a tar, tar.gz or zip archive, ours or not."),
            discussion: L("""
                A strict BagIt 1.0 validator (RFC 8493). Archives are read in place, never
                unpacked; nothing is ever written. Every checksum of every manifest and tag
                manifest is checked. Bags declaring BagIt 0.93–0.97 are checked by their own
                version's rules where they differ. Problems are printed one per line, each
                naming the file and what is wrong.

                EXIT STATUS
                  0   the bag is valid (warnings, if any, are printed)
                  1   the bag is not valid
                  2   refused: the path cannot be read
                  64  usage: unknown command, option or argument
                """))

        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(L("The bag: a folder or a tar, tar.gz or zip archive."), valueName: "file | dir"))
        var path: String

        func run() throws {
            try runReporting {
                let progress = ProgressLine("checking \(DossierKit.FileSystem.lastComponent(of: path))", total: nil)
                let report = try BagVerifier.verify(path, progress: progress.update)
                progress.finish()
                if output.json {
                    Terminal.json(Self.json(report))
                } else {
                    Terminal.out(Self.text(report))
                }
                if !report.isValid {
                    let first = report.errors[0].description
                    let more = report.errors.count > 1 ? " (and \(report.errors.count - 1) more)" : ""
                    throw CheckFailure(message: "\(path) is not a valid bag: \(first)\(more)")
                }
            }
        }

        static func text(_ report: BagReport) -> String {
            var lines = report.errors.map { "error: \($0)" } + report.warnings.map { "warning: \($0)" }
            let version = report.version.map { "BagIt \($0) " } ?? ""
            let summary = "\(report.payloadFiles) payload file\(report.payloadFiles == 1 ? "" : "s"), \(ByteCount.format(report.payloadBytes))"
                + (report.manifests.isEmpty ? "" : "; manifests \(report.manifests.joined(separator: ", "))")
            if report.isValid {
                let warned = report.warnings.isEmpty ? "" : " with \(report.warnings.count) warning\(report.warnings.count == 1 ? "" : "s")"
                lines.append("\(report.bag): valid \(version)bag\(warned) (\(summary))")
            } else {
                lines.append("\(report.bag): not a valid \(version)bag: \(report.errors.count) error\(report.errors.count == 1 ? "" : "s") (\(summary))")
            }
            return lines.joined(separator: "\n")
        }

        static func json(_ report: BagReport) -> JSONValue {
            func problems(_ list: [BagProblem]) -> JSONValue {
                .array(list.map { ["file": .string($0.file), "problem": .string($0.problem)] })
            }
            return [
                "bag": .string(report.bag),
                "valid": .bool(report.isValid),
                "bagitVersion": report.version.map { .string($0) } ?? .null,
                "root": report.root.map { .string($0) } ?? .null,
                "payload": ["files": .number(Double(report.payloadFiles)), "bytes": .number(Double(report.payloadBytes))],
                "manifests": .array(report.manifests.map { .string($0) }),
                "errors": problems(report.errors),
                "warnings": problems(report.warnings),
            ]
        }
    }
}
