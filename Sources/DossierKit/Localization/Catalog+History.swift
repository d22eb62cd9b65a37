extension MessageCatalog {
    /// Mending (amend, move, edit), log and diff.
    static let history: [(en: String, zh: String)] = [
    ]
}
