extension MessageCatalog {
    /// Refusals made below the CLI: fields of files, bundles, the store, the vault.
    static let refusals: [(en: String, zh: String)] = [
    ]
}
