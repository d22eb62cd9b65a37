import DossierModel
import CDossierCrypto

/// A failure inside OpenSSL, with OpenSSL's own message.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    var detail: String

    public var description: String { "OpenSSL \(operation) failed: \(detail)" }

    /// Drains this thread's OpenSSL error queue into one message (the queue is per thread,
    /// so this must run in the same synchronous call that failed).
    static func fromQueue(_ operation: String) -> CryptoError {
        CryptoError(operation: operation, detail: drainQueue())
    }

    /// This thread's OpenSSL error queue, emptied into one line; "no detail from OpenSSL" when
    /// it holds nothing. The corresponding C functions are `ERR_get_error` and `ERR_error_string_n`.
    static func drainQueue() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "no detail from OpenSSL" : messages.joined(separator: "; ")
    }

    /// Forgets what an OpenSSL call left in the queue when its failure is an answer (a signature
    /// that does not verify), so that it cannot leak into a later message.
    static func clearQueue() { ERR_clear_error() }
}
