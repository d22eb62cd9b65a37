import Foundation

extension String {
    /// Unicode Normalization Form C: names and titles are stored in NFC so that the same
    /// text typed on different systems compares equal.
    public var precomposedNFC: String { precomposedStringWithCanonicalMapping }
}
