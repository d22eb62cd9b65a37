@testable import DossierKit
import Foundation
import Testing

@Suite("age: streaming, sizes and memory")
struct AgeStreamingTests {
    @Test("the predicted size is the written size, for sizes around chunk boundaries and 1 to 3 recipients")
    func predictedSizes() throws {
        let recipients = try (0..<3).map { _ in try AgeIdentity.generate().recipient }
        for size in [0, 1, 16, 65_535, 65_536, 65_537, 131_072, 1_000_000] {
            for count in 1...3 {
                var written: Int64 = 0
                let reader = AgeTesting.Reader(AgeTesting.bytes(size))
                let reported = try AgeFile.encrypt(to: Array(recipients.prefix(count)), read: reader.read, write: { written += Int64($0.count) })
                #expect(written == reported)
                #expect(written == AgeFile.encryptedSize(plaintextSize: Int64(size), recipients: count), "size \(size), \(count) recipients")
            }
        }
        // An empty plaintext is one empty final chunk: header, nonce, a 16-byte tag
        #expect(AgeFile.encryptedSize(plaintextSize: 0, recipients: 1) == 168 + 16 + 16)
    }

    @Test("the push-style encryptor gives the same plaintext back whatever the update sizes")
    func unevenUpdates() throws {
        let identity = try AgeIdentity.generate()
        let plaintext = AgeTesting.bytes(600_000, seed: 21)
        for pieces in [[0, 1, 65_535, 1, 65_536, 65_537, 300_000], [65_536, 65_536, 65_536], [600_000], [7, 7, 7, 99_999]] {
            // Given the plaintext pushed in pieces of these sizes (cycling), empty pieces included
            var encryptor = try AgeEncryptor(to: [identity.recipient])
            var file: [UInt8] = []
            var offset = 0
            var index = 0
            while offset < plaintext.count {
                let count = min(pieces[index % pieces.count], plaintext.count - offset)
                try encryptor.update(Array(plaintext[offset..<offset + count]), write: { file += $0 })
                offset += count
                index += 1
            }
            let size = try encryptor.finish(write: { file += $0 })
            // Then the file has the predicted size and decrypts to the plaintext
            #expect(size == Int64(file.count))
            #expect(size == AgeFile.encryptedSize(plaintextSize: Int64(plaintext.count), recipients: 1))
            AgeTesting.expectSameBytes(AgeTesting.decrypt(file, with: [identity]).output, plaintext)
        }
    }

    @Test("the encryptor sits in another pass's write closure, as the filing pass would use it")
    func encryptorInAPipeline() throws {
        // Given a pass shaped like StreamDigester.digest(read:write:): it reads, and hands each
        // chunk to `write`
        func pass(read: (UnsafeMutableRawBufferPointer) throws -> Int, write: (UnsafeRawBufferPointer) throws -> Void) throws {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { buffer.deallocate() }
            while case let count = try read(buffer), count > 0 { try write(UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
        }
        let identity = try AgeIdentity.generate()
        let plaintext = AgeTesting.bytes(3_000_000, seed: 22)
        var file: [UInt8] = []
        var encryptor = try AgeEncryptor(to: [identity.recipient])
        // When its write closure feeds the encryptor
        try pass(read: AgeTesting.Reader(plaintext, steps: [123_457]).read, write: { try encryptor.update($0, write: { file += $0 }) })
        _ = try encryptor.finish(write: { file += $0 })
        // Then the stored file decrypts to what the pass read
        AgeTesting.expectSameBytes(AgeTesting.decrypt(file, with: [identity]).output, plaintext)
    }

    @Test("memory stays flat: 96 MiB streamed both ways in reads and writes of at most about 1 MiB")
    func flatMemory() throws {
        // Given a generated stream never held whole, and a sink that only hashes
        let identity = try AgeIdentity.generate()
        let total = 96 << 20
        var produced = 0
        let plainHash = AgeTesting.StreamingSHA256()
        var largestRead = 0
        var largestWrite = 0
        let block = AgeTesting.bytes(1 << 20, seed: 23)
        let generate: (UnsafeMutableRawBufferPointer) -> Int = { buffer in
            largestRead = max(largestRead, buffer.count)
            let count = min(buffer.count, total - produced, block.count - produced % block.count)
            block.withUnsafeBytes { source in buffer.baseAddress?.copyMemory(from: source.baseAddress! + produced % block.count, byteCount: count) }
            plainHash.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            produced += count
            return count
        }
        // When it is encrypted to a temporary file, then decrypted from it into the hashing sink
        try AgeTesting.withTemporaryDirectory { directory in
            let path = "\(directory)/big.age"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try AgeFile.encrypt(to: [identity.recipient], read: generate, write: { chunk in
                largestWrite = max(largestWrite, chunk.count)
                out.write(Data(chunk))
            })
            try out.close()
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            let decryptedHash = AgeTesting.StreamingSHA256()
            var largestDecryptWrite = 0
            let size = try AgeFile.decrypt(with: [identity], read: { buffer in
                largestRead = max(largestRead, buffer.count)
                let data = input.readData(ofLength: buffer.count)
                data.copyBytes(to: buffer)
                return data.count
            }, write: { chunk in
                largestDecryptWrite = max(largestDecryptWrite, chunk.count)
                decryptedHash.update(chunk)
            })
            // Then the plaintext comes back whole, and no read or write was larger than a batch
            #expect(size == Int64(total))
            #expect(decryptedHash.hex() == plainHash.hex())
            #expect(largestRead <= 16 * 65_552 + 1)
            #expect(largestWrite <= 16 * 65_552)
            #expect(largestDecryptWrite <= 16 * 65_536)
        }
    }

    @Test("a file held in memory decrypts to the plaintext, at sizes around chunk and batch boundaries")
    func inMemoryRoundTrips() throws {
        let identity = try AgeIdentity.generate()
        let batch = 16 * 65_536
        for size in [0, 1, 65_535, 65_536, 65_537, batch - 1, batch, batch + 1, 2 * batch + 65_536, 3_000_000] {
            // Given a file written by the streaming encryptor
            let plaintext = AgeTesting.bytes(size, seed: UInt64(size) + 5)
            let file = try AgeTesting.encrypt(plaintext, to: [identity.recipient])
            // When it is decrypted from memory, and authenticated from memory
            let (output, error) = AgeTesting.decryptInMemory(file, with: [identity])
            let authenticated = try file.withUnsafeBytes { try AgeFile.authenticate(with: [identity], contents: $0) }
            // Then the plaintext comes back whole, and both report its size
            #expect(error == nil, "size \(size): \(AgeTesting.message(error))")
            AgeTesting.expectSameBytes(output, plaintext, "size \(size)")
            #expect(authenticated == Int64(size))
        }
    }

    @Test("decryption accepts any read pattern: one byte at a time for a small file")
    func oneByteReads() throws {
        let identity = try AgeIdentity.generate()
        let plaintext = AgeTesting.bytes(70_000, seed: 24)
        let file = try AgeTesting.encrypt(plaintext, to: [identity.recipient], steps: [1])
        AgeTesting.expectSameBytes(AgeTesting.decrypt(file, with: [identity], steps: [1]).output, plaintext)
    }
}
