extension MessageCatalog {
    /// What the commands print: labels, result lines, summaries.
    static let commands: [(en: String, zh: String)] = [
    ]
}
