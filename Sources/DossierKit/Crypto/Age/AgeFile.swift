/// age v1 files (https://age-encryption.org/v1) with X25519 recipients, streamed through the
/// caller's `read`/`write` closures with flat memory (about 2 MiB whatever the size).
///
/// What is implemented: X25519 recipients and identities, the binary format. Not implemented:
/// passphrase (scrypt), SSH and plugin recipients, ASCII armor (refused with a clear error).
/// Stanzas of other types are ignored when reading, as the spec requires.
///
/// ```swift
/// let file = try FileDescriptor.open(path, .readOnly)
/// try AgeFile.authenticate(with: identities, read: { try file.read(into: $0) })  // pass 1: nothing written
/// // pass 2 (after rewinding): every chunk is known good
/// try AgeFile.decrypt(with: identities, read: { try file.read(into: $0) }, write: { try standardOutput.write($0) })
/// ```
///
/// ## Topics
/// ### Writing
/// - ``encrypt(to:read:write:)``
/// - ``AgeEncryptor``
/// - ``encryptedSize(plaintextSize:recipients:)``
/// ### Reading
/// - ``decrypt(with:read:write:)``
/// - ``authenticate(with:read:)``
/// - ``decrypt(with:contents:write:)``
/// - ``authenticate(with:contents:)``
/// ### Changing readers
/// - ``rewrapHeader(with:to:read:write:)``
/// - ``reencrypt(with:to:read:write:)``
public enum AgeFile {
    /// Plaintext bytes per payload chunk (64 KiB), fixed by the format.
    public static let chunkSize = AgeStream.chunkSize

    /// The largest header read: 256 KiB, room for about 2,600 X25519 stanzas (98 bytes each) or
    /// 150 post-quantum ones. A file whose MAC line ends later is refused with
    /// ``AgeError/headerTooLarge(limit:)`` before any unwrapping, which bounds the X25519 work
    /// a hostile header can cause.
    public static let headerSizeLimit = 256 * 1024

    /// The exact size of the age file this module writes for `plaintextSize` bytes and
    /// `recipients` X25519 recipients: a 70-byte header frame, 98 bytes per stanza, the 16-byte
    /// nonce, the plaintext and 16 bytes of tag per 64 KiB chunk (at least one chunk).
    public static func encryptedSize(plaintextSize: Int64, recipients: Int) -> Int64 {
        let header = Int64(AgeHeader.versionLine.count + 1 + "--- ".count + 43 + 1) + Int64(recipients) * 98
        return header + AgeStream.payloadSize(plaintextSize: plaintextSize)
    }

    /// Encrypts a stream to one or more recipients (a new random file key and payload nonce).
    /// - Parameters:
    ///   - recipients: who can decrypt it (X25519 public keys, `age1…`).
    ///   - read: fills the buffer and returns the byte count; 0 at the end.
    ///   - write: receives the age file in order, header first.
    /// - Returns: the age file's size (equal to ``encryptedSize(plaintextSize:recipients:)``).
    /// - Throws: ``AgeError`` (no recipients, a weak recipient key, OpenSSL) or what the
    ///   closures throw.
    @discardableResult
    public static func encrypt(to recipients: [AgeRecipient], read: AgeRead, write: AgeWrite) throws -> Int64 {
        var encryptor = try AgeEncryptor(to: recipients)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: AgeStream.batch * AgeStream.chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        var source = AgeByteSource()
        while true {
            let count = try source.fill(buffer, read: read)
            try encryptor.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]), write: write)
            if source.reachedEnd { break }
        }
        return try encryptor.finish(write: write)
    }

    /// Decrypts a stream with the first identity that opens one of its stanzas.
    ///
    /// The header MAC is verified before any payload byte is read. Each chunk reaches `write`
    /// only after its tag verified, but a chunk can fail after earlier ones were written: point
    /// `write` at a temporary file (renamed when this returns) or run ``authenticate(with:read:)``
    /// first when the destination must receive nothing from a bad file (a pipe).
    /// - Returns: the plaintext's size.
    /// - Throws: ``AgeError`` naming the first problem (header, no matching identity, MAC,
    ///   chunk N, truncation, trailing data) or what the closures throw.
    @discardableResult
    public static func decrypt(with identities: [AgeIdentity], read: AgeRead, write: AgeWrite) throws -> Int64 {
        var file = try AgeOpenedFile(identities: identities, read: read)
        let opener = try AgePayloadOpener(file)
        return try opener.run(&file.source, read: read, write: write)
    }

    /// Checks a whole file exactly as ``decrypt(with:read:write:)`` does, writing nothing.
    /// - Returns: the plaintext's size.
    /// - Throws: the error ``decrypt(with:read:write:)`` would throw on the same bytes.
    @discardableResult
    public static func authenticate(with identities: [AgeIdentity], read: AgeRead) throws -> Int64 {
        var file = try AgeOpenedFile(identities: identities, read: read)
        let opener = try AgePayloadOpener(file)
        return try opener.run(&file.source, read: read, write: { _ in })
    }

    /// Decrypts an age file held whole in memory — a mapped file — without copying its
    /// ciphertext: the same checks, errors and output as ``decrypt(with:read:write:)`` on the
    /// same bytes.
    /// - Parameters:
    ///   - identities: one of them must open the file.
    ///   - contents: the whole age file.
    ///   - write: receives authenticated plaintext, in order.
    /// - Returns: the plaintext's size.
    @discardableResult
    public static func decrypt(with identities: [AgeIdentity], contents: UnsafeRawBufferPointer, write: AgeWrite) throws -> Int64 {
        var position = 0
        let file = try AgeOpenedFile(identities: identities) { buffer in
            let count = min(buffer.count, contents.count - position)
            if count > 0, let target = buffer.baseAddress, let source = contents.baseAddress {
                target.copyMemory(from: source + position, byteCount: count)
            }
            position += count
            return count
        }
        let opener = try AgePayloadOpener(file)
        return try opener.run(payload: UnsafeRawBufferPointer(rebasing: contents[Int(file.firstChunkOffset)...]), write: write)
    }

    /// Checks an age file held whole in memory exactly as ``decrypt(with:contents:write:)``
    /// does, writing nothing.
    /// - Returns: the plaintext's size.
    @discardableResult
    public static func authenticate(with identities: [AgeIdentity], contents: UnsafeRawBufferPointer) throws -> Int64 {
        try decrypt(with: identities, contents: contents, write: { _ in })
    }

    /// Decrypts in two passes so that `write` receives nothing unless the whole file is good:
    /// first every chunk is authenticated (nothing written), then `rewind` puts the source back
    /// at its start and the file is decrypted. For destinations that cannot be taken back,
    /// such as a pipe or a terminal.
    ///
    /// The source is read twice: it must not change in between (a vault file under its lock).
    /// - Parameters:
    ///   - identities: one of them must open the file.
    ///   - read: fills the buffer and returns the byte count; 0 at the end.
    ///   - rewind: returns `read` to the first byte (`lseek(fd, 0, SEEK_SET)`).
    ///   - write: receives the plaintext, only once every chunk is known good.
    /// - Returns: the plaintext's size.
    /// - Throws: the error ``authenticate(with:read:)`` throws, before any byte is written.
    @discardableResult
    public static func decryptAuthenticatedFirst(
        with identities: [AgeIdentity], read: AgeRead, rewind: () throws -> Void, write: AgeWrite
    ) throws -> Int64 {
        let size = try authenticate(with: identities, read: read)
        try rewind()
        let again = try decrypt(with: identities, read: read, write: write)
        guard again == size else { throw AgeError.sourceChanged(first: size, second: again) }
        return size
    }

    /// Copies an age file with a new header for `recipients` around the SAME file key and
    /// payload: cheap (no payload cryptography), but whoever could read the file before still
    /// can, with the old file or the new one.
    ///
    /// Use it to add readers. To remove one, use ``reencrypt(with:to:read:write:)``.
    /// The header of the source is verified (MAC); its payload is copied unchecked.
    /// - Parameters:
    ///   - identities: one of them must open the source.
    ///   - recipients: the readers of the new header.
    ///   - read: reads the source age file.
    ///   - write: receives the new file.
    /// - Returns: the new file's size.
    /// - warning: Never use this to revoke a reader: a file key they once unwrapped still opens
    ///   the rewrapped file.
    @discardableResult
    public static func rewrapHeader(with identities: [AgeIdentity], to recipients: [AgeRecipient], read: AgeRead, write: AgeWrite) throws -> Int64 {
        var file = try AgeOpenedFile(identities: identities, read: read)
        defer { AgeCrypto.wipe(&file.fileKey) }
        let header = try AgeEncryptor.header(fileKey: file.fileKey, recipients: recipients)
        try (header + file.nonce).withUnsafeBytes { try write($0) }
        var total = Int64(header.count + file.nonce.count)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: AgeStream.batch * AgeStream.sealedChunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = try file.source.fill(buffer, read: read)
            if count > 0 { try write(UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
            total += Int64(count)
            if file.source.reachedEnd { return total }
        }
    }

    /// Decrypts a file and encrypts its plaintext again, in one streamed pass, under a NEW file
    /// key and nonce for `recipients`: afterwards, nothing a removed reader held (their
    /// identity, the old file key) opens the new file.
    ///
    /// Every source chunk is authenticated before its plaintext is encrypted again, but a
    /// failure can come after part of the new file was written: write to a temporary file and
    /// rename it only when this returns.
    /// - Returns: the new file's size.
    @discardableResult
    public static func reencrypt(with identities: [AgeIdentity], to recipients: [AgeRecipient], read: AgeRead, write: AgeWrite) throws -> Int64 {
        var file = try AgeOpenedFile(identities: identities, read: read)
        defer { AgeCrypto.wipe(&file.fileKey) }
        let opener = try AgePayloadOpener(file)
        var encryptor = try AgeEncryptor(to: recipients)
        _ = try opener.run(&file.source, read: read, write: { plaintext in try encryptor.update(plaintext, write: write) })
        return try encryptor.finish(write: write)
    }
}
