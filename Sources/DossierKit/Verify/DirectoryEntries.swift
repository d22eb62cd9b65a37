#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a directory entry is, as far as OCFL cares.
enum EntryType: Sendable, Equatable {
    case regular
    case directory
    case symbolicLink
    /// A device, FIFO or socket: never allowed in OCFL storage.
    case special
}

struct DirectoryEntry: Sendable {
    let name: String
    let type: EntryType
}

enum DirectoryListing {
    /// The entries of a folder with their types, sorted by name bytes.
    ///
    /// The type comes from `readdir`'s `d_type`, so walking a store of thousands of objects
    /// costs one `getdents` per folder rather than one `lstat` per entry; `lstat` is the
    /// fallback for file systems that do not fill `d_type`.
    static func entries(of path: String) throws(FileSystemError) -> [DirectoryEntry] {
        guard let directory = opendir(path) else { throw FileSystemError(operation: "opendir", path: path, code: errno) }
        defer { closedir(directory) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let type: EntryType
            switch entry.pointee.d_type {
            case 8: type = .regular  // DT_REG
            case 4: type = .directory  // DT_DIR
            case 10: type = .symbolicLink  // DT_LNK
            case 0: type = lstatType("\(path)/\(name)")  // DT_UNKNOWN
            default: type = .special
            }
            entries.append(DirectoryEntry(name: name, type: type))
        }
        return entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    static func lstatType(_ path: String) -> EntryType {
        switch FileSystem.kind(of: path) {
        case .regular: .regular
        case .directory: .directory
        case .symbolicLink: .symbolicLink
        case .other, .missing: .special
        }
    }
}
