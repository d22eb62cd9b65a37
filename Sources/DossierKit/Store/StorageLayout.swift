import DossierModel
/// The OCFL community extension 0003 (hashed n-tuple with id encapsulation directory): maps an
/// object id to its folder under the storage root.
/// https://ocfl.github.io/extensions/0003-hash-and-id-n-tuple-storage-layout.html
public struct HashAndIDLayout: Sendable, Equatable {
    static let extensionName = "0003-hash-and-id-n-tuple-storage-layout"

    public var digestAlgorithm: DigestAlgorithm = .sha256
    var tupleSize = 3
    var numberOfTuples = 3

    public init(digestAlgorithm: DigestAlgorithm = .sha256, tupleSize: Int = 3, numberOfTuples: Int = 3) {
        self.digestAlgorithm = digestAlgorithm
        self.tupleSize = tupleSize
        self.numberOfTuples = numberOfTuples
    }

    /// The object root, relative to the storage root: `3c0/ff4/240/object-01`.
    public func path(for objectID: String) throws(CryptoError) -> String {
        let digest = try Hasher.digest(digestAlgorithm, of: Array(objectID.utf8)).hex
        var components: [String] = []
        for index in 0..<numberOfTuples {
            let start = digest.index(digest.startIndex, offsetBy: index * tupleSize)
            let end = digest.index(start, offsetBy: tupleSize)
            components.append(String(digest[start..<end]))
        }
        var encoded = ""
        for byte in objectID.utf8 {
            let isSafe = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2D || byte == 0x5F
            if isSafe {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789abcdef")
                encoded += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0x0F)])"
            }
        }
        if encoded.count > 100 { encoded = "\(encoded.prefix(100))-\(digest)" }
        components.append(encoded)
        return components.joined(separator: "/")
    }

    /// `extensions/0003-…/config.json`.
    func config() -> JSONValue {
        [
            "extensionName": .string(HashAndIDLayout.extensionName),
            "digestAlgorithm": .string(digestAlgorithm.rawValue),
            "tupleSize": .number(Double(tupleSize)),
            "numberOfTuples": .number(Double(numberOfTuples)),
        ]
    }

    public static func decode(_ reader: FieldReader) throws(FieldError) -> HashAndIDLayout {
        _ = try reader.object(allowing: ["extensionName", "digestAlgorithm", "tupleSize", "numberOfTuples"])
        let name = try reader.required("extensionName")
        guard try name.string() == extensionName else { throw name.fail("expected \(extensionName)") }
        var layout = HashAndIDLayout()
        if let algorithm = try reader.optional("digestAlgorithm") {
            guard let value = DigestAlgorithm(rawValue: try algorithm.string()) else { throw algorithm.fail("unknown digest algorithm") }
            layout.digestAlgorithm = value
        }
        layout.tupleSize = try reader.optional("tupleSize")?.integer() ?? 3
        layout.numberOfTuples = try reader.optional("numberOfTuples")?.integer() ?? 3
        guard (0...32).contains(layout.tupleSize), (0...32).contains(layout.numberOfTuples),
            layout.tupleSize * layout.numberOfTuples <= layout.digestAlgorithm.hexLength,
            (layout.tupleSize == 0) == (layout.numberOfTuples == 0)
        else { throw reader.fail("tupleSize and numberOfTuples do not fit the digest") }
        return layout
    }
}
