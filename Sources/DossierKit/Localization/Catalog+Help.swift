extension MessageCatalog {
    /// The commands' help: abstracts, discussions, arguments and options.
    static let help: [(en: String, zh: String)] = [
    ]
}
