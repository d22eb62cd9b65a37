import DossierKit
import Foundation

/// Writes a folder into a new archive through DossierKit's libarchive writer, byte for byte,
/// under `topFolder`, entries in UTF-8 byte order (so `data/…` comes before `manifest-…`).
public func archiveFolder(_ folder: String, format: ArchiveFormat, to archive: String, topFolder: String) throws {
    let descriptor = try FileDescriptor.open(archive, .createNew)
    defer { descriptor.closeQuietly() }
    try ArchiveWriter.write(format, to: descriptor, displayName: archive, modificationTime: 1_600_000_000) { writer in
        try writer.addDirectory(topFolder)
        func visit(_ relative: String) throws {
            let directory = relative.isEmpty ? folder : "\(folder)/\(relative)"
            for name in try FileSystem.contents(of: directory) {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                switch FileSystem.kind(of: "\(folder)/\(path)") {
                case .directory:
                    try writer.addDirectory("\(topFolder)/\(path)")
                    try visit(path)
                case .regular:
                    try writer.addFile("\(topFolder)/\(path)", contents: try FileSystem.readFile("\(folder)/\(path)"), compress: true)
                default:
                    break
                }
            }
        }
        try visit("")
    }
}

/// Unpacks an archive into `folder` through DossierKit's libarchive reader (regular files and
/// folders only), for validators that read folders.
public func unpackArchive(_ archive: String, into folder: String) throws {
    try ArchiveReader.read(archive) { reader in
        while let entry = try reader.nextEntry() {
            guard let path = entry.path, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { continue }
            let target = "\(folder)/\(path)"
            switch entry.kind {
            case .directory:
                try FileSystem.makeDirectories(target)
            case .regular:
                try FileSystem.makeDirectories(FileSystem.parent(of: target))
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
                    if count == 0 { break }
                    bytes += buffer[0..<count]
                }
                try FileSystem.writeNewFile(target, bytes)
            default:
                continue
            }
        }
    }
}

/// The sha256 of a file, as hex: to show that a file did not change.
public func fileSHA256(_ path: String) throws -> String {
    try StreamDigester.digest(fileAt: path).sha256.hex
}

/// `count` random bytes, quickly (eight at a time).
public func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < count {
            var value = generator.next()
            let take = min(8, count - offset)
            withUnsafeBytes(of: &value) { source in
                for index in 0..<take { buffer[offset + index] = source[index] }
            }
            offset += take
        }
    }
    return bytes
}
