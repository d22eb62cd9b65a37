/// The base64 of age headers: RFC 4648 standard alphabet, no `=` padding, canonical only
/// (unused trailing bits must be zero), as the spec requires of decoders.
enum AgeBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Each byte's 6-bit value, or 0xFF when it is not in the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    static func isAlphabet(_ byte: UInt8) -> Bool { values[Int(byte)] != 0xFF }

    static func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            accumulator = (accumulator << 8) | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                output.append(alphabet[Int((accumulator >> UInt32(bits)) & 0x3F)])
            }
        }
        if bits > 0 { output.append(alphabet[Int((accumulator << UInt32(6 - bits)) & 0x3F)]) }
        return output
    }

    enum Failure: Error, Equatable {
        case invalidCharacter(UInt8)
        case impossibleLength
        case nonCanonical
    }

    /// Decodes unpadded base64, refusing padding, other characters and non-zero spare bits.
    static func decode(_ text: some Collection<UInt8>) -> Result<[UInt8], Failure> {
        // 4n+1 characters would leave 6 bits: never a whole byte.
        if text.count % 4 == 1 { return .failure(.impossibleLength) }
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in text {
            let value = values[Int(character)]
            if value == 0xFF { return .failure(.invalidCharacter(character)) }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        if bits > 0 && accumulator & ((1 << UInt32(bits)) - 1) != 0 { return .failure(.nonCanonical) }
        return .success(output)
    }
}

/// Bech32 (BIP 173) without its 90-character limit, as age keys use it.
enum AgeBech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, character) in charset.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 { checksum ^= generator[index] }
        }
        return checksum
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Regroups bits; without `pad`, leftover bits must be fewer than `from` and all zero.
    private static func convert(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        let mask = UInt32((1 << to) - 1)
        for value in data {
            accumulator = (accumulator << UInt32(from)) | UInt32(value)
            bits += from
            while bits >= to {
                bits -= to
                output.append(UInt8((accumulator >> UInt32(bits)) & mask))
            }
            accumulator &= (1 << UInt32(bits)) - 1
        }
        if pad {
            if bits > 0 { output.append(UInt8((accumulator << UInt32(to - bits)) & mask)) }
        } else if bits >= from || accumulator != 0 {
            return nil
        }
        return output
    }

    /// Encodes bytes under a human-readable part; the case of `hrp` decides the output's case.
    static func encode(hrp: String, _ bytes: [UInt8]) -> String {
        let uppercase = hrp.uppercased() == hrp && hrp.lowercased() != hrp
        let lowerHRP = Array(hrp.lowercased().utf8)
        let data = convert(bytes, from: 8, to: 5, pad: true) ?? []
        let checksum = polymod(expand(lowerHRP) + data + [0, 0, 0, 0, 0, 0]) ^ 1
        var text = lowerHRP + [UInt8(ascii: "1")] + data.map { charset[Int($0)] }
        for index in 0..<6 { text.append(charset[Int((checksum >> UInt32(5 * (5 - index))) & 31)]) }
        let encoded = String(decoding: text, as: UTF8.self)
        return uppercase ? encoded.uppercased() : encoded
    }

    /// Decodes a Bech32 string that must be entirely in `uppercase` or lowercase, with
    /// human-readable part `hrp` (compared in that case).
    /// - Returns: the bytes, or a reason for the error message.
    static func decode(_ text: String, hrp: String, uppercase: Bool) -> Result<[UInt8], ReasonedFailure> {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .failure("got an empty string") }
        guard bytes.allSatisfy({ $0 >= 33 && $0 <= 126 }) else {
            return .failure("got a character outside printable ASCII (a space or line break?)")
        }
        let hasLower = bytes.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        let hasUpper = bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        if hasLower && hasUpper { return .failure("got mixed upper and lower case") }
        if uppercase && hasLower { return .failure("got lowercase letters") }
        if !uppercase && hasUpper { return .failure("got uppercase letters") }
        guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")), separator >= 1, separator + 7 <= bytes.count else {
            return .failure("got no \"1\" separator followed by a 6-character checksum")
        }
        let prefix = Array(bytes[..<separator])
        guard prefix == Array(hrp.utf8) else {
            // Secret keys are never quoted, not even in part.
            if uppercase { return .failure("got another prefix") }
            return .failure("got the prefix \(AgeError.quote(prefix + [UInt8(ascii: "1")], limit: 24))")
        }
        var data: [UInt8] = []
        for character in bytes[(separator + 1)...] {
            let lower = (character >= UInt8(ascii: "A") && character <= UInt8(ascii: "Z")) ? character + 32 : character
            let value = values[Int(lower)]
            if value < 0 {
                if uppercase { return .failure("got a character that is not in Bech32's alphabet") }
                return .failure("got \(AgeError.quote([character])), which is not a Bech32 character")
            }
            data.append(UInt8(value))
        }
        let lowerHRP = Array(hrp.lowercased().utf8)
        guard polymod(expand(lowerHRP) + data) == 1 else { return .failure("the checksum does not match (a mistyped character?)") }
        guard let decoded = convert(Array(data.dropLast(6)), from: 5, to: 8, pad: false) else {
            return .failure("got non-zero or excess padding bits")
        }
        return .success(decoded)
    }

    /// A reason, as a `Result` failure.
    struct ReasonedFailure: Error, ExpressibleByStringInterpolation, CustomStringConvertible {
        var description: String
        init(stringLiteral value: String) { description = value }
        init(_ value: String) { description = value }
    }
}
