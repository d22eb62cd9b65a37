import DossierKit
import Foundation
import Testing

@Suite("Digests through OpenSSL EVP")
struct DigestTests {
    @Test("sha512 and sha256 of \"abc\" match FIPS 180-2's known answers")
    func knownAnswersForABC() throws {
        // Given the FIPS 180-2 test vector "abc"
        let input = Array("abc".utf8)
        // Then both digests are the published ones
        #expect(try Hasher.digest(.sha512, of: input).hex
            == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        #expect(try Hasher.digest(.sha256, of: input).hex
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("a million 'a's: the multi-block known answers, through the two-core streaming pass")
    func knownAnswersForMillionA() throws {
        // Given FIPS 180-2's long vector, one million 'a' (0x61) bytes, fed in uneven reads
        let total = 1_000_000
        var offset = 0
        let digests = try StreamDigester.digest(read: { buffer in
            let count = min(buffer.count, total - offset, 77_777)
            for index in 0..<count { buffer[index] = 0x61 }
            offset += count
            return count
        })
        // Then sha512, sha256 and the size are the published ones
        #expect(digests.sha512.hex
            == "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b")
        #expect(digests.sha256.hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(digests.size == Int64(total))
    }

    @Test("a 5 MiB input streamed in 1 MiB chunks digests the same as in one call")
    func streamingMatchesOneShot() throws {
        // Given 5 MiB + 123 bytes of varied data (not a multiple of the chunk size)
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(5 << 20) + 123).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var offset = 0
        var written: [UInt8] = []
        // When it is streamed through the two-core pass with a sink
        let digests = try StreamDigester.digest(
            read: { buffer in
                let count = min(buffer.count, bytes.count - offset)
                bytes.withUnsafeBytes { source in buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count])) }
                offset += count
                return count
            },
            write: { written += $0 })
        // Then the digests equal one-shot digests, and the sink saw every byte in order
        #expect(digests.sha512 == (try Hasher.digest(.sha512, of: bytes)))
        #expect(digests.sha256 == (try Hasher.digest(.sha256, of: bytes)))
        #expect(written == bytes)
    }

    @Test("md5, sha1 and blake2b-512 of the empty input match their known answers")
    func otherAlgorithms() throws {
        #expect(try Hasher.digest(.md5, of: [UInt8]()).hex == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(try Hasher.digest(.sha1, of: [UInt8]()).hex == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(try Hasher.digest(.blake2b512, of: [UInt8]()).hex
            == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
    }
}
