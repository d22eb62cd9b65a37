import DossierModel
/// A path inside an object, compared, hashed and ordered by its UTF-8 bytes, as file systems
/// compare names.
///
/// Swift's `String` equality is canonical equivalence: two different file names that differ
/// only in Unicode normalization would be one key, and every hash of a non-ASCII path pays for
/// a normalization check. OCFL paths are byte strings, so the validator keys them by bytes.
struct RawPath: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    let string: String

    init(_ string: String) { self.string = string }
    init(stringLiteral value: String) { string = value }

    var description: String { string }

    static func == (lhs: RawPath, rhs: RawPath) -> Bool {
        let fast = lhs.string.utf8.withContiguousStorageIfAvailable { a in
            rhs.string.utf8.withContiguousStorageIfAvailable { b in
                guard a.count == b.count else { return false }
                guard let first = a.baseAddress, let second = b.baseAddress else { return true }
                return memcmp(first, second, a.count) == 0
            }
        }
        return (fast ?? nil) ?? lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    func hash(into hasher: inout Swift.Hasher) {
        let hashed: Void? = string.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { Array(string.utf8).withUnsafeBytes { hasher.combine(bytes: $0) } }
    }

    static func < (lhs: RawPath, rhs: RawPath) -> Bool { lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8) }

    func hasPrefix(_ prefix: String) -> Bool { string.utf8.starts(with: prefix.utf8) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
