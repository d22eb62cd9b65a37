import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@Suite("Digests by name and the parallel digest pipeline")
struct DigestPipelineTests {
    @Test("every BagIt algorithm by name gives the published answer for \"abc\"")
    func namedKnownAnswers() throws {
        // Given the FIPS 180 / RFC 1321 / FIPS 202 test vector "abc"
        let input = Array("abc".utf8)
        // Then each named digest is the published one
        let published = [
            "md5": "900150983cd24fb0d6963f7d28e17f72",
            "sha1": "a9993e364706816aba3e25717850c26c9cd0d89d",
            "sha224": "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
            "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "sha384": "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
            "sha3-256": "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
        ]
        for (name, hex) in published {
            #expect(try NamedHasher.hex(name, of: input) == hex, "\(name)")
            #expect(NamedHasher.hexLength(of: name) == hex.count, "\(name)")
        }
        // And an unknown name is refused
        #expect(throws: CryptoError.self) { _ = try NamedHasher("crc32") }
    }

    @Test("the pipeline's digests of many files equal one-shot digests, whatever the read sizes")
    func pipelineMatchesOneShot() throws {
        // Given seven files of varied sizes (empty, under, over and across chunk sizes)
        let sizes = [0, 1, 77_777, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 5, 200]
        let files = sizes.map(randomBytes)
        // When each is pumped through one pipeline (fewer buffers than chunks in flight), read in uneven pieces
        let pipeline = DigestPipeline(bufferCount: 3)
        var jobs: [DigestJob] = []
        var copied: [[UInt8]] = []
        for (index, bytes) in files.enumerated() {
            let job = try pipeline.begin("file\(index)", algorithms: ["sha256", "sha512", "md5"])
            var offset = 0
            var copy: [UInt8] = []
            while try pipeline.pump(job, read: { buffer in
                let count = min(buffer.count, bytes.count - offset, 300_001)
                for position in 0..<count { buffer[position] = bytes[offset + position] }
                offset += count
                return count
            }, consume: { copy += $0 }) > 0 {}
            pipeline.end(job)
            jobs.append(job)
            copied.append(copy)
        }
        pipeline.wait()
        // Then every digest, size and copied byte is right
        for (index, bytes) in files.enumerated() {
            #expect(jobs[index].digests["sha256"] == (try Hasher.digest(.sha256, of: bytes)).hex)
            #expect(jobs[index].digests["sha512"] == (try Hasher.digest(.sha512, of: bytes)).hex)
            #expect(jobs[index].digests["md5"] == (try Hasher.digest(.md5, of: bytes)).hex)
            #expect(jobs[index].size == Int64(bytes.count))
            #expect(copied[index] == bytes)
        }
        #expect(!pipeline.hasMismatch)
    }

    @Test("an expected digest that differs sets the mismatch flag")
    func mismatchIsFlagged() throws {
        // Given a file pumped with a wrong expected sha256
        let pipeline = DigestPipeline()
        let job = try pipeline.begin("x", algorithms: ["sha256"], expected: ["sha256": String(repeating: "0", count: 64)])
        var sent = false
        while try pipeline.pump(job, read: { buffer in
            if sent { return 0 }
            sent = true
            buffer[0] = 0x61
            return 1
        }) > 0 {}
        pipeline.end(job)
        pipeline.wait()
        // Then the pipeline reports it, and the digest is the real one
        #expect(pipeline.hasMismatch)
        #expect(job.digests["sha256"] == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")
    }
}
