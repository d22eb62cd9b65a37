/// Every message, label and help text the vault prints, as English template → Chinese
/// template. The English text is the key: code writes English, and ``Localizer`` finds its
/// Chinese form here (a test fails when an entry lacks either form or their `{names}` differ).
///
/// The rules' findings are not here: their words are the policy profile's (each rule's `en`
/// and `zh` templates), so that another region's profile carries its own.
public enum MessageCatalog {
    /// Every entry, in the order of the parts below.
    public static let entries: [(en: String, zh: String)] = framework + commands + help + refusals + filing + history

    /// English template → Chinese template.
    static let chinese: [String: String] = {
        var table: [String: String] = [:]
        for entry in entries where table[entry.en] == nil { table[entry.en] = entry.zh }
        return table
    }()

    /// The templates with values, as patterns that recognise a finished English message.
    static let patterns = PatternSet(entries)
}
