import CDossierCrypto

/// The caller's source: fills the buffer and returns the byte count, 0 at the end.
public typealias AgeRead = (UnsafeMutableRawBufferPointer) throws -> Int
/// The caller's sink: receives bytes in order.
public typealias AgeWrite = (UnsafeRawBufferPointer) throws -> Void

/// The STREAM construction of the age payload: ChaCha20-Poly1305 over 64 KiB chunks, nonce =
/// 11-byte big-endian counter and a last-chunk flag byte.
enum AgeStream {
    static let chunkSize = 64 * 1024
    static let sealedChunkSize = chunkSize + ChaChaPoly.tagSize
    static let nonceSize = 16
    /// Chunks handled per read and per write: 16 (1 MiB) keeps system calls and closure calls
    /// few while memory stays at two such buffers.
    static let batch = 16

    static func payloadKey(fileKey: [UInt8], nonce: [UInt8]) throws(AgeError) -> [UInt8] {
        try AgeCrypto.hkdfSHA256(key: fileKey, salt: nonce, info: "payload")
    }

    static func headerKey(fileKey: [UInt8]) throws(AgeError) -> [UInt8] {
        try AgeCrypto.hkdfSHA256(key: fileKey, salt: [], info: "header")
    }

    /// The 12-byte ChaCha20-Poly1305 nonce of chunk `counter`.
    static func chunkNonce(_ counter: UInt64, last: Bool, into nonce: inout [UInt8]) {
        for index in 0..<8 { nonce[3 + index] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * (7 - index))) }
        nonce[11] = last ? 1 : 0
    }

    /// The payload's length for a plaintext of `size` bytes: nonce, then each chunk and its tag
    /// (an empty plaintext is one empty chunk).
    static func payloadSize(plaintextSize size: Int64) -> Int64 {
        let chunks = max(1, (size + Int64(chunkSize) - 1) / Int64(chunkSize))
        return Int64(nonceSize) + size + chunks * Int64(ChaChaPoly.tagSize)
    }
}

/// Reads through the caller's closure, serving first any bytes read ahead (past the header).
struct AgeByteSource {
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private(set) var reachedEnd = false

    /// Puts bytes back in front of what is left.
    mutating func unread(_ bytes: ArraySlice<UInt8>) {
        pending = Array(bytes) + pending[pendingStart...]
        pendingStart = 0
    }

    /// Fills as much of `buffer` as the source has: fewer bytes than asked only at the end.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer, read: AgeRead) throws -> Int {
        var filled = 0
        if pendingStart < pending.count, let base = buffer.baseAddress {
            let count = min(buffer.count, pending.count - pendingStart)
            pending.withUnsafeBytes { bytes in
                if let source = bytes.baseAddress { base.copyMemory(from: source + pendingStart, byteCount: count) }
            }
            pendingStart += count
            filled = count
            if pendingStart == pending.count {
                pending = []
                pendingStart = 0
            }
        }
        while filled < buffer.count && !reachedEnd {
            let room = buffer.count - filled
            let count = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            guard count >= 0 && count <= room else { throw AgeError.invalidRead(returned: count, capacity: room) }
            if count == 0 { reachedEnd = true } else { filled += count }
        }
        return filled
    }
}

/// A file opened for reading: header parsed, file key unwrapped, header MAC verified, nonce read.
struct AgeOpenedFile {
    var header: AgeHeader
    var fileKey: [UInt8]
    var nonce: [UInt8]
    var source: AgeByteSource

    /// Reads and checks everything before the first chunk; nothing of the payload is touched
    /// before the header MAC has verified.
    init(identities: [AgeIdentity], read: AgeRead) throws {
        guard !identities.isEmpty else { throw AgeError.noIdentities }
        var source = AgeByteSource()
        let step = 64 * 1024
        var buffer: [UInt8] = []
        var parsed: AgeHeader?
        while parsed == nil {
            let old = buffer.count
            buffer += [UInt8](repeating: 0, count: step)
            let count = try buffer.withUnsafeMutableBytes { bytes in
                try source.fill(UnsafeMutableRawBufferPointer(rebasing: bytes[old...]), read: read)
            }
            buffer.removeLast(step - count)
            switch try AgeHeader.scan(buffer, limit: AgeFile.headerSizeLimit) {
            case .complete(let complete): parsed = complete
            case .incomplete(let line): if source.reachedEnd { throw AgeError.headerTruncated(line: line) }
            }
        }
        guard let header = parsed else { throw AgeError.headerTruncated(line: 1) }
        source.unread(buffer[header.length...])
        let fileKey = try AgeOpenedFile.unwrap(header, identities)
        var headerKey = try AgeStream.headerKey(fileKey: fileKey)
        defer { AgeCrypto.wipe(&headerKey) }
        let mac = try AgeCrypto.hmacSHA256(key: headerKey, message: header.authenticatedBytes)
        guard AgeCrypto.constantTimeEqual(mac, header.mac) else { throw AgeError.headerMACMismatch }
        var nonce = [UInt8](repeating: 0, count: AgeStream.nonceSize)
        let got = try nonce.withUnsafeMutableBytes { try source.fill($0, read: read) }
        guard got == AgeStream.nonceSize else { throw AgeError.nonceTruncated(got: got) }
        self.header = header
        self.fileKey = fileKey
        self.nonce = nonce
        self.source = source
    }

    /// Tries each identity on each stanza, in order, as age does.
    private static func unwrap(_ header: AgeHeader, _ identities: [AgeIdentity]) throws(AgeError) -> [UInt8] {
        // The spec: an scrypt stanza must be alone, whoever reads the file.
        if header.stanzas.count > 1, let scrypt = header.stanzas.first(where: { $0.type == "scrypt" }) {
            throw .invalidStanza(
                line: scrypt.line, type: "scrypt",
                reason: "expected to be the only stanza of the header, got \(header.stanzas.count) stanzas")
        }
        for identity in identities {
            for stanza in header.stanzas {
                if let fileKey = try AgeX25519.unwrap(stanza, with: identity) { return fileKey }
            }
        }
        throw .noIdentityMatched(identities: identities.count, stanzaTypes: header.stanzas.map(\.type))
    }

    /// Where chunk 0 starts in the file.
    var firstChunkOffset: Int64 { Int64(header.length + AgeStream.nonceSize) }
}

/// Authenticates and decrypts the chunks of a payload, a batch at a time.
struct AgePayloadOpener: ~Copyable {
    private let cipher: ChaChaPoly
    private let sealed: UnsafeMutableRawBufferPointer
    private let plain: UnsafeMutableRawBufferPointer
    private let firstChunkOffset: Int64

    init(_ file: AgeOpenedFile) throws(AgeError) {
        var key = try AgeStream.payloadKey(fileKey: file.fileKey, nonce: file.nonce)
        defer { AgeCrypto.wipe(&key) }
        cipher = try ChaChaPoly(key: key, sealing: false)
        // One byte more than a batch: seeing it proves the batch's last chunk is not the file's last.
        sealed = .allocate(byteCount: AgeStream.batch * AgeStream.sealedChunkSize + 1, alignment: 64)
        plain = .allocate(byteCount: AgeStream.batch * AgeStream.chunkSize, alignment: 64)
        firstChunkOffset = file.firstChunkOffset
    }

    deinit {
        if let base = plain.baseAddress { OPENSSL_cleanse(base, plain.count) }
        plain.deallocate()
        sealed.deallocate()
    }

    /// Runs through the payload to its end.
    /// - Parameter write: receives authenticated plaintext only, in order, a batch at a time
    ///   (a no-op closure authenticates only). Before an error, what authenticated so far has
    ///   been written (as age does); nothing of the failing chunk is.
    /// - Returns: the plaintext's size.
    func run(_ source: inout AgeByteSource, read: AgeRead, write: AgeWrite) throws -> Int64 {
        let size = AgeStream.sealedChunkSize
        let capacity = sealed.count
        var nonce = [UInt8](repeating: 0, count: ChaChaPoly.nonceSize)
        var counter: UInt64 = 0
        var total: Int64 = 0
        var filled = 0
        var written = 0

        /// Opens the chunk at `start..<start+count` of `sealed` into slot `slot` of `plain`.
        func open(_ start: Int, _ count: Int, slot: Int, last: Bool) throws -> Bool {
            AgeStream.chunkNonce(counter, last: last, into: &nonce)
            let chunk = UnsafeRawBufferPointer(rebasing: sealed[start..<start + count])
            guard let out = plain.baseAddress else { return false }
            return try nonce.withUnsafeBytes { nonceBytes in
                try cipher.open(nonce: nonceBytes, chunk, into: out + slot * AgeStream.chunkSize)
            }
        }
        func flush(upTo end: Int) throws {
            if end > written { try write(UnsafeRawBufferPointer(rebasing: plain[written..<end])) }
            written = end
        }
        func offset() -> Int64 { firstChunkOffset + Int64(counter) * Int64(size) }
        /// A chunk with bytes after it: it must open as a middle chunk.
        func openMiddle(_ slot: Int) throws {
            if try open(slot * size, size, slot: slot, last: false) {
                counter += 1
                total += Int64(AgeStream.chunkSize)
                return
            }
            let failedAt = offset()
            try flush(upTo: slot * AgeStream.chunkSize)
            if try open(slot * size, size, slot: slot, last: true) {
                // A genuine final chunk followed by more bytes: released, as age releases it.
                try flush(upTo: (slot + 1) * AgeStream.chunkSize)
                throw AgeError.trailingData(afterChunk: Int(counter))
            }
            throw AgeError.chunkAuthenticationFailed(chunk: Int(counter), offset: failedAt)
        }

        while true {
            filled += try source.fill(UnsafeMutableRawBufferPointer(rebasing: sealed[filled...]), read: read)
            written = 0
            guard filled < capacity else {
                for slot in 0..<AgeStream.batch { try openMiddle(slot) }
                try flush(upTo: AgeStream.batch * AgeStream.chunkSize)
                sealed[0] = sealed[capacity - 1]
                filled = 1
                continue
            }
            // The end of the file is in this batch.
            let remainder = filled % size
            let full = filled / size
            let middles = remainder == 0 ? max(full - 1, 0) : full
            for slot in 0..<middles { try openMiddle(slot) }
            let lastSize = remainder == 0 ? (full == 0 ? 0 : size) : remainder
            if lastSize == 0 {
                throw AgeError.missingFinalChunk(chunks: Int(counter))
            }
            let slot = middles
            let failedAt = offset()
            if lastSize >= ChaChaPoly.tagSize, try open(slot * size, lastSize, slot: slot, last: true) {
                if lastSize == ChaChaPoly.tagSize && counter > 0 {
                    try flush(upTo: slot * AgeStream.chunkSize)
                    throw AgeError.emptyFinalChunk(chunk: Int(counter))
                }
                total += Int64(lastSize - ChaChaPoly.tagSize)
                try flush(upTo: slot * AgeStream.chunkSize + lastSize - ChaChaPoly.tagSize)
                return total
            }
            try flush(upTo: slot * AgeStream.chunkSize)
            if lastSize == size, try open(slot * size, size, slot: slot, last: false) {
                // A full middle chunk and then the end: the final chunk was cut off. Released,
                // as age releases it before reporting the truncation.
                try flush(upTo: (slot + 1) * AgeStream.chunkSize)
                throw AgeError.missingFinalChunk(chunks: Int(counter) + 1)
            }
            throw AgeError.chunkAuthenticationFailed(chunk: Int(counter), offset: failedAt)
        }
    }
}

extension AgePayloadOpener {
    /// Runs through a payload held whole in memory (a mapped file: no copy of the ciphertext),
    /// with exactly the checks, errors and output of ``run(_:read:write:)`` on the same bytes.
    /// - Parameter payload: the sealed chunks, from the first to the end of the file.
    func run(payload: UnsafeRawBufferPointer, write: AgeWrite) throws -> Int64 {
        let size = AgeStream.sealedChunkSize
        var nonce = [UInt8](repeating: 0, count: ChaChaPoly.nonceSize)
        var counter: UInt64 = 0
        var total: Int64 = 0
        var position = 0
        // Chunks opened into `plain` and not yet written.
        var pending = 0

        func open(_ count: Int, last: Bool) throws -> Bool {
            AgeStream.chunkNonce(counter, last: last, into: &nonce)
            let chunk = UnsafeRawBufferPointer(rebasing: payload[position..<position + count])
            guard let out = plain.baseAddress else { return false }
            return try nonce.withUnsafeBytes { nonceBytes in
                try cipher.open(nonce: nonceBytes, chunk, into: out + pending * AgeStream.chunkSize)
            }
        }
        func flush(_ extra: Int = 0) throws {
            let end = pending * AgeStream.chunkSize + extra
            if end > 0 { try write(UnsafeRawBufferPointer(rebasing: plain[..<end])) }
            pending = 0
        }
        func offset() -> Int64 { firstChunkOffset + Int64(position) }

        while payload.count - position > size {
            // A chunk with bytes after it: it must open as a middle chunk.
            if try open(size, last: false) {
                counter += 1
                total += Int64(AgeStream.chunkSize)
                position += size
                pending += 1
                if pending == AgeStream.batch { try flush() }
                continue
            }
            let failedAt = offset()
            if try open(size, last: true) {
                // A genuine final chunk followed by more bytes: released, as age releases it.
                try flush(AgeStream.chunkSize)
                throw AgeError.trailingData(afterChunk: Int(counter))
            }
            try flush()
            throw AgeError.chunkAuthenticationFailed(chunk: Int(counter), offset: failedAt)
        }
        let lastSize = payload.count - position
        guard lastSize > 0 else {
            try flush()
            throw AgeError.missingFinalChunk(chunks: Int(counter))
        }
        let failedAt = offset()
        if lastSize >= ChaChaPoly.tagSize, try open(lastSize, last: true) {
            if lastSize == ChaChaPoly.tagSize && counter > 0 {
                try flush()
                throw AgeError.emptyFinalChunk(chunk: Int(counter))
            }
            total += Int64(lastSize - ChaChaPoly.tagSize)
            try flush(lastSize - ChaChaPoly.tagSize)
            return total
        }
        if lastSize == size, try open(size, last: false) {
            // A full middle chunk and then the end: the final chunk was cut off. Released, as
            // age releases it before reporting the truncation.
            try flush(AgeStream.chunkSize)
            throw AgeError.missingFinalChunk(chunks: Int(counter) + 1)
        }
        try flush()
        throw AgeError.chunkAuthenticationFailed(chunk: Int(counter), offset: failedAt)
    }
}

/// Encrypts a stream pushed to it into an age file for a set of recipients, a chunk at a time.
///
/// Push-style, so that it can sit in any pipeline's `write` closure (the filing pass hashes
/// and encrypts in one read). Memory: one 64 KiB chunk and a 1 MiB output batch.
///
/// ```swift
/// var encryptor = try AgeEncryptor(to: recipients)
/// try encryptor.update(chunk, write: sink)      // as often as needed
/// let size = try encryptor.finish(write: sink)  // the age file's size
/// ```
public struct AgeEncryptor: ~Copyable {
    private let cipher: ChaChaPoly
    private var header: [UInt8]?
    private var counter: UInt64 = 0
    private let pending: UnsafeMutableRawBufferPointer
    private var pendingCount = 0
    private let output: UnsafeMutableRawBufferPointer
    private var outputCount = 0
    private var written: Int64 = 0

    /// Starts a file with a new random file key wrapped for each recipient.
    /// - Throws: ``AgeError/noRecipients``, ``AgeError/weakRecipient(_:)``, ``AgeError/crypto(_:)``.
    public init(to recipients: [AgeRecipient]) throws(AgeError) {
        var fileKey = try AgeCrypto.randomBytes(AgeX25519.fileKeySize)
        defer { AgeCrypto.wipe(&fileKey) }
        try self.init(fileKey: fileKey, recipients: recipients)
    }

    /// Starts a file for an existing file key (for rewrapping and tests).
    init(fileKey: [UInt8], recipients: [AgeRecipient]) throws(AgeError) {
        let header = try AgeEncryptor.header(fileKey: fileKey, recipients: recipients)
        let payloadNonce = try AgeCrypto.randomBytes(AgeStream.nonceSize)
        var key = try AgeStream.payloadKey(fileKey: fileKey, nonce: payloadNonce)
        defer { AgeCrypto.wipe(&key) }
        cipher = try ChaChaPoly(key: key, sealing: true)
        self.header = header + payloadNonce
        pending = .allocate(byteCount: AgeStream.chunkSize, alignment: 64)
        output = .allocate(byteCount: AgeStream.batch * AgeStream.sealedChunkSize, alignment: 64)
    }

    /// A complete header (stanzas, MAC) wrapping `fileKey` for `recipients`.
    static func header(fileKey: [UInt8], recipients: [AgeRecipient]) throws(AgeError) -> [UInt8] {
        guard !recipients.isEmpty else { throw .noRecipients }
        var stanzas: [AgeStanza] = []
        for recipient in recipients { stanzas.append(try AgeX25519.wrap(fileKey, for: recipient)) }
        let authenticated = AgeHeader.encodeAuthenticatedPart(stanzas)
        var headerKey = try AgeStream.headerKey(fileKey: fileKey)
        defer { AgeCrypto.wipe(&headerKey) }
        let mac = try AgeCrypto.hmacSHA256(key: headerKey, message: authenticated)
        return AgeHeader.encode(authenticatedPart: authenticated, mac: mac)
    }

    deinit {
        if let base = pending.baseAddress { OPENSSL_cleanse(base, pending.count) }
        pending.deallocate()
        output.deallocate()
    }

    /// Adds plaintext. Output reaches `write` in batches of about 1 MiB, the header first.
    public mutating func update(_ plaintext: UnsafeRawBufferPointer, write: AgeWrite) throws {
        guard var input = plaintext.baseAddress, plaintext.count > 0 else { return }
        var remaining = plaintext.count
        let chunk = AgeStream.chunkSize
        while remaining > 0 {
            if pendingCount == chunk {
                // More plaintext follows, so the held chunk is not the last.
                try seal(UnsafeRawBufferPointer(pending), last: false, write: write)
                pendingCount = 0
            }
            if pendingCount == 0 && remaining > chunk {
                // Whole chunks with plaintext after them go straight from the caller's buffer.
                let direct = (remaining - 1) / chunk
                for _ in 0..<direct {
                    try seal(UnsafeRawBufferPointer(start: input, count: chunk), last: false, write: write)
                    input += chunk
                }
                remaining -= direct * chunk
                continue
            }
            let take = min(chunk - pendingCount, remaining)
            (pending.baseAddress.map { $0 + pendingCount })?.copyMemory(from: input, byteCount: take)
            pendingCount += take
            input += take
            remaining -= take
        }
    }

    /// Adds plaintext from an array.
    public mutating func update(_ plaintext: [UInt8], write: AgeWrite) throws {
        try plaintext.withUnsafeBytes { try update($0, write: write) }
    }

    /// Seals the last chunk (empty when there was no plaintext at all) and writes what is left.
    /// - Returns: the age file's size in bytes.
    public consuming func finish(write: AgeWrite) throws -> Int64 {
        try seal(UnsafeRawBufferPointer(rebasing: pending[..<pendingCount]), last: true, write: write)
        try flush(write)
        return written
    }

    private mutating func seal(_ chunk: UnsafeRawBufferPointer, last: Bool, write: AgeWrite) throws {
        if outputCount + AgeStream.sealedChunkSize > output.count { try flush(write) }
        guard let out = output.baseAddress else { return }
        var nonce = [UInt8](repeating: 0, count: ChaChaPoly.nonceSize)
        AgeStream.chunkNonce(counter, last: last, into: &nonce)
        let count = outputCount
        try nonce.withUnsafeBytes { nonceBytes in try cipher.seal(nonce: nonceBytes, chunk, into: out + count) }
        outputCount += chunk.count + ChaChaPoly.tagSize
        counter += 1
    }

    private mutating func flush(_ write: AgeWrite) throws {
        if let header {
            try header.withUnsafeBytes { try write($0) }
            written += Int64(header.count)
            self.header = nil
        }
        if outputCount > 0 {
            try write(UnsafeRawBufferPointer(rebasing: output[..<outputCount]))
            written += Int64(outputCount)
            outputCount = 0
        }
    }
}
