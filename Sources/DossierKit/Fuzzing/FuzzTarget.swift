import DossierModel
#if canImport(Glibc)
import Glibc
#endif

/// The parsers of hostile input, one entry each, for the libFuzzer harness (`dossier-fuzz`,
/// `scripts/fuzz.sh`) and for replaying its seed corpora in tests. Each takes arbitrary bytes
/// and must return — accept or refuse — never crash, hang or exhaust memory; where a parser's
/// acceptance implies a property (an age header re-encodes to its own bytes), it is checked
/// too and a violation aborts.
package enum FuzzTarget: String, CaseIterable, Sendable {
    /// `filing.json` of a bundle (FORMATS.md): ``FilingManifest``.
    case filingJSON = "filing-json"
    /// A filing bundle as the first reading surveys it (libarchive: zip, tar, tar.gz; the
    /// limits, names, filing.json), written to a file whose kind the first byte picks.
    case bundle
    /// A BagIt bag's `manifest-sha512.txt` (the first part of the input, up to a NUL byte) and
    /// `bag-info.txt` (the rest), in a bag otherwise well formed, verified.
    case bagit
    /// An OCFL `inventory.json`: ``Inventory``.
    case ocflInventory = "ocfl-inventory"
    /// An OFD package (a zip): opened and its text read.
    case ofd
    /// An age file: the header parser (canonical: what parses re-encodes to the same bytes).
    case ageHeader = "age-header"

    /// Runs one input through the target. Files, where the parser reads a path, go in
    /// `scratch` (a folder the caller owns and empties).
    package func run(_ bytes: [UInt8], scratch: String) {
        switch self {
        case .filingJSON:
            _ = try? FilingManifest.decode(try FieldReader.parse(file: "filing.json", data: bytes))
        case .ocflInventory:
            _ = try? Inventory.decode(try FieldReader.parse(file: "inventory.json", data: bytes))
        case .ageHeader:
            if let header = try? AgeHeader.parse(bytes) {
                let encoded = AgeHeader.encode(authenticatedPart: AgeHeader.encodeAuthenticatedPart(header.stanzas), mac: header.mac)
                if encoded != Array(bytes[..<header.length]) { Self.fail("an age header that parses does not re-encode to its own bytes") }
            }
        case .bundle:
            let names = ["fuzz.zip", "fuzz.tar", "fuzz.tar.gz"]
            let path = "\(scratch)/\(names[Int(bytes.first ?? 0) % names.count])"
            guard Self.write(bytes, to: path) else { return }
            _ = try? FilingBundle.survey(path, limits: FilingLimits())
            try? FileSystem.removeFile(path)
        case .ofd:
            let path = "\(scratch)/fuzz.ofd"
            guard Self.write(bytes, to: path) else { return }
            _ = try? OFDDocument.open(path: path).text()
            try? FileSystem.removeFile(path)
        case .bagit:
            let split = bytes.firstIndex(of: 0) ?? bytes.count
            let bag = "\(scratch)/bag"
            try? FileSystem.removeTree(bag)
            guard (try? FileSystem.makeDirectories("\(bag)/data")) != nil,
                Self.write(Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8), to: "\(bag)/bagit.txt"),
                Self.write(Array("hello\n".utf8), to: "\(bag)/data/hello.txt"),
                Self.write(Array(bytes[..<split]), to: "\(bag)/manifest-sha512.txt"),
                Self.write(Array(bytes[min(split + 1, bytes.count)...]), to: "\(bag)/bag-info.txt")
            else { return }
            _ = try? BagVerifier.verify(bag)
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) -> Bool {
        (try? FileSystem.writeNewFile(path, bytes)) != nil
    }

    private static func fail(_ message: String) -> Never {
        let line = Array("dossier-fuzz: \(message)\n".utf8)
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        abort()
    }
}
