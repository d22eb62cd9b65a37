#if canImport(Glibc)
import Glibc
#endif

extension StorageRoot {
    /// Every object's root inventory digest, as its sidecar states it, by dossier: a cheap
    /// fingerprint of the whole store (one walk of the layout's folders and one small read per
    /// object). Any new version changes the sidecar, so an index that remembers these digests
    /// knows exactly which dossiers changed behind its back.
    ///
    /// A sidecar that cannot be read gives an empty digest, which never matches: the index then
    /// tries to read that dossier and reports the damage.
    public func inventoryDigests() throws(StoreError) -> [DossierID: String] {
        var result: [DossierID: String] = [:]
        var buffer = [UInt8](repeating: 0, count: 256)
        func walk(_ directory: String, depth: Int) throws(FileSystemError) {
            if depth == layout.numberOfTuples {
                for name in try FileSystem.contents(of: directory) {
                    guard let id = StorageRoot.decodeEncapsulation(name) else { continue }
                    let objectDirectory = "\(directory)/\(name)"
                    guard FileSystem.exists("\(objectDirectory)/\(StorageRoot.objectDeclaration)") else { continue }
                    result[id] = Self.firstWord(of: "\(objectDirectory)/\(StorageRoot.sidecarName)", buffer: &buffer)
                }
                return
            }
            for name in try FileSystem.contents(of: directory) where name.utf8.count == layout.tupleSize {
                try walk("\(directory)/\(name)", depth: depth + 1)
            }
        }
        do { try walk(path, depth: 0) } catch { throw .io(error) }
        return result
    }

    /// The first white-space-separated word of a small file (a sidecar's digest), lowercased.
    private static func firstWord(of path: String, buffer: inout [UInt8]) -> String {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { Glibc.close(descriptor) }
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return "" }
        let word = buffer[0..<count].prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        return String(decoding: word, as: UTF8.self).lowercased()
    }
}
