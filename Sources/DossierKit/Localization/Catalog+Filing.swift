extension MessageCatalog {
    /// Values typed in Chinese or English, kinds, templates, what filing still lacks.
    static let filing: [(en: String, zh: String)] = [
    ]
}
