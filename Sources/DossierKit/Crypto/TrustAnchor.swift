import DossierModel

/// An X.509 certificate the vault trusts to end signature chains: PDF and CMS signatures and OFD
/// seals are all checked against the same anchors.
///
/// ```swift
/// let anchors = try TrustAnchor.load(contentsOfFile: "CA.pem")
/// print(anchors[0].fingerprint)   // sha256 of the DER, lowercase hex: what a verdict's trustAnchor names
/// ```
public struct TrustAnchor: Sendable, Hashable {
    /// The certificate's DER encoding.
    public let der: [UInt8]
    /// Lowercase hex SHA-256 of ``der``: what a verdict's `trustAnchor` names.
    public let fingerprint: String
    /// The certificate's subject (RFC 2253), for listings.
    public let subject: String

    /// The largest anchor file read (a CA bundle of a few hundred certificates is far smaller).
    public static let maximumFileSize = 16 * 1024 * 1024

    /// Wraps one DER certificate.
    /// - Parameters:
    ///   - der: the certificate's DER encoding, nothing before or after it.
    ///   - source: names the bytes in errors (a file path, a PEM block).
    /// - Throws: ``TrustAnchorError/notACertificate(source:detail:)`` when the bytes are not exactly
    ///   one X.509 certificate, with OpenSSL's reason.
    public init(der: [UInt8], source: String = "certificate") throws(TrustAnchorError) {
        switch X509Certificate.parse(der: der) {
        case .failure(let error):
            throw .notACertificate(source: source, detail: "got \(der.count) bytes that are not one DER certificate (\(error.detail))")
        case .success(let handle):
            guard let certificate = X509Certificate(taking: handle) else {
                throw .notACertificate(source: source, detail: "got a certificate OpenSSL cannot encode again")
            }
            self.der = der
            fingerprint = certificate.fingerprint
            subject = certificate.subject
        }
    }

    /// Reads the certificates in PEM (one or more `CERTIFICATE` blocks) or DER (one certificate) bytes.
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - source: names the bytes in errors (usually the file path).
    /// - Returns: the certificates, in the order they appear.
    /// - Throws: ``TrustAnchorError/notACertificate(source:detail:)`` for any other PEM block (a key,
    ///   a CSR …), broken armour, or bytes that are neither PEM nor a DER certificate;
    ///   ``TrustAnchorError/noCertificate(source:)`` when there is none.
    public static func parse(_ bytes: [UInt8], source: String) throws(TrustAnchorError) -> [TrustAnchor] {
        switch PEM.blocks(in: bytes) {
        case nil:
            guard let first = bytes.first, bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
                throw .noCertificate(source: source)
            }
            guard first == DERElement.sequence else {
                throw .notACertificate(source: source, detail: "got neither a PEM block nor DER (first byte 0x\(Digest.hex(of: [first])))")
            }
            return [try TrustAnchor(der: bytes, source: source)]
        case .failure(let problem)?:
            throw .notACertificate(source: source, detail: problem.description)
        case .success(let blocks)?:
            var anchors: [TrustAnchor] = []
            for (index, block) in blocks.enumerated() {
                guard block.label == "CERTIFICATE" || block.label == "X509 CERTIFICATE" else {
                    throw .notACertificate(source: source, detail: "PEM block \(index + 1) is \"\(block.label)\"")
                }
                anchors.append(try TrustAnchor(der: block.der, source: "\(source): PEM block \(index + 1)"))
            }
            guard !anchors.isEmpty else { throw .noCertificate(source: source) }
            return anchors
        }
    }

    /// Reads a PEM or DER certificate file.
    /// - Parameter path: the file.
    /// - Returns: its certificates, in order.
    /// - Throws: ``TrustAnchorError/unreadable(path:detail:)`` when it cannot be read,
    ///   ``TrustAnchorError/tooLarge(path:size:limit:)`` over ``maximumFileSize``, and the errors of
    ///   ``parse(_:source:)``.
    public static func load(contentsOfFile path: String) throws(TrustAnchorError) -> [TrustAnchor] {
        if let size = FileSystem.size(ofRegularFile: path, followingLinks: true), size > maximumFileSize {
            throw .tooLarge(path: path, size: size, limit: maximumFileSize)
        }
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path, limit: maximumFileSize)
        } catch {
            throw .unreadable(path: path, detail: error.description)
        }
        return try parse(bytes, source: path)
    }

    /// The anchors as OpenSSL certificates, for chain building.
    static func certificates(_ anchors: [TrustAnchor]) -> [X509Certificate] {
        anchors.compactMap { X509Certificate(der: $0.der) }
    }
}

/// Why trust anchors could not be read. Each description is one line naming the file (and PEM
/// block) and what was expected.
public enum TrustAnchorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `detail` is the system's message.
    case unreadable(path: String, detail: String)
    /// The file is larger than ``TrustAnchor/maximumFileSize``.
    case tooLarge(path: String, size: Int64, limit: Int)
    /// The bytes hold something other than X.509 certificates.
    case notACertificate(source: String, detail: String)
    /// The bytes hold no certificate at all.
    case noCertificate(source: String)

    /// One line: the source, then what was expected and what was found.
    public var description: String {
        switch self {
        case let .unreadable(_, detail):
            detail
        case let .tooLarge(path, size, limit):
            "\(path): a trust-anchor file of \(size) bytes exceeds the limit of \(limit)"
        case let .notACertificate(source, detail):
            "\(source): expected X.509 certificates (PEM \"CERTIFICATE\" blocks or DER), \(detail)"
        case let .noCertificate(source):
            "\(source): expected at least one X.509 certificate (PEM \"CERTIFICATE\" block or DER), found none"
        }
    }
}
