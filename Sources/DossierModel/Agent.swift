/// Who made a version: OCFL's `user` block.
public struct Agent: Sendable, Equatable {
    public var name: String
    /// A URI, `mailto:…` for people.
    public var address: String?

    public init(name: String, address: String?) {
        self.name = name
        self.address = address
    }

    /// An agent from a name and an e-mail address; the address becomes a `mailto:` URI.
    public init(name: String, email: String) {
        self.name = name
        self.address = email.hasPrefix("mailto:") ? email : "mailto:\(email)"
    }
}
