import Foundation

extension String {
    /// Unicode Normalization Form C: names and titles are stored in NFC so that the same
    /// text typed on different systems compares equal.
    public var precomposedNFC: String {
        // ASCII is already NFC; skipping Foundation's normalizer for it matters when reading
        // thousands of records.
        if utf8.allSatisfy({ $0 < 0x80 }) { return self }
        return precomposedStringWithCanonicalMapping
    }
}
