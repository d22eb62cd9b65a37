import DossierModel

/// Reads a plaintext source as an age file: each ``read(into:)`` fills the buffer with the next
/// bytes of the encrypted file. It lets the vault's one-pass digest-and-copy
/// (``StreamDigester``) store an encrypted file and compute the stored bytes' digests on the
/// way, without the plaintext ever being written.
///
/// ```swift
/// let source = try AgeEncryptingReader(to: recipients) { try input.read(into: $0) }
/// let digests = try StreamDigester.digest(read: source.read, write: { try output.write($0) })
/// ```
public final class AgeEncryptingReader {
    private var encryptor: AgeEncryptor?
    private let source: AgeRead
    private var plaintext: [UInt8]
    /// Encrypted bytes produced but not yet handed out.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// The plaintext's size so far; the paper's own size once the source is exhausted.
    public private(set) var plaintextSize: Int64 = 0

    /// - Parameters:
    ///   - recipients: who can open the file (at least one).
    ///   - read: the plaintext, read like a file: fills the buffer, 0 at the end.
    public init(to recipients: [AgeRecipient], read: @escaping AgeRead) throws(AgeError) {
        encryptor = try AgeEncryptor(to: recipients)
        source = read
        plaintext = [UInt8](repeating: 0, count: 1 << 20)
    }

    /// Fills `buffer` with the next encrypted bytes; 0 once the whole file was read.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while pending.count - pendingStart == 0 {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            guard encryptor != nil else { return 0 }
            let count = try plaintext.withUnsafeMutableBytes { try source($0) }
            if count == 0 {
                guard let finishing = encryptor.take() else { return 0 }
                _ = try finishing.finish { self.pending.append(contentsOf: $0) }
            } else {
                plaintextSize += Int64(count)
                try plaintext.withUnsafeBytes { bytes in
                    try encryptor?.update(UnsafeRawBufferPointer(rebasing: bytes[..<count])) { self.pending.append(contentsOf: $0) }
                }
            }
        }
        let count = min(buffer.count, pending.count - pendingStart)
        pending.withUnsafeBytes { bytes in
            buffer.baseAddress?.copyMemory(from: bytes.baseAddress! + pendingStart, byteCount: count)
        }
        pendingStart += count
        return count
    }
}
