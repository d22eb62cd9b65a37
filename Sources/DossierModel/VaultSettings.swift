/// vault.json: the vault's settings (FORMATS.md §1).
public struct VaultSettings: Sendable, Equatable {
    public static let fileName = "vault.json"
    static let formatVersion = 1

    /// The policy profile the rules read, e.g. `nmg-2020`.
    public var profile: String
    public var organisation: String
    /// Unit id → the unit's name, e.g. `imut` → 内蒙古工业大学.
    public var units: [(id: String, name: String)]
    /// The offset written into timestamps, e.g. `+08:00` for Inner Mongolia.
    public var timeZone: String
    /// Who may read classified papers: each reader's age public key and the highest level they
    /// are cleared for. Classified documents are encrypted to every reader cleared for their
    /// level or above.
    public var clearances: [Clearance]
    /// What a filing may cost (bundle sizes, names, titles).
    public var limits = FilingLimits()

    public init(
        profile: String = "nmg-2020", organisation: String, units: [(id: String, name: String)], timeZone: String = "+08:00",
        clearances: [Clearance] = []
    ) {
        self.profile = profile
        self.organisation = organisation
        self.units = units
        self.timeZone = timeZone
        self.clearances = clearances
    }

    /// The readers cleared for `level` (those cleared for it or a higher one), by name.
    public func readers(for level: Classification) -> [Clearance] {
        clearances.filter { $0.level >= level && level != .none }
    }

    /// The pilot plan's two units.
    public static let pilot = VaultSettings(
        organisation: "内蒙古自治区赋权试点（示范）",
        units: [("imut", "内蒙古工业大学"), ("imaaahs", "内蒙古农牧业科学院")])

    public static func == (lhs: VaultSettings, rhs: VaultSettings) -> Bool {
        lhs.profile == rhs.profile && lhs.organisation == rhs.organisation && lhs.timeZone == rhs.timeZone
            && lhs.units.map(\.id) == rhs.units.map(\.id) && lhs.units.map(\.name) == rhs.units.map(\.name)
            && lhs.clearances == rhs.clearances && lhs.limits == rhs.limits
    }

    public func unitName(_ id: String) -> String? { units.first { $0.id == id }?.name }

    /// Seconds east of UTC, from `timeZone`.
    public var offsetSeconds: Int { Timestamp.parseOffset(timeZone) ?? 0 }


    public func json() -> JSONValue {
        [
            "vault": .number(Double(VaultSettings.formatVersion)),
            "profile": .string(profile),
            "organisation": .string(organisation),
            "units": .object(JSONObject(units.map { ($0.id, .string($0.name)) })),
            "timeZone": .string(timeZone),
            "clearances": .array(clearances.map(\.json)),
            "limits": limits.json,
        ]
    }

    public static func decode(_ reader: FieldReader) throws(FieldError) -> VaultSettings {
        _ = try reader.object(allowing: ["vault", "profile", "organisation", "units", "timeZone", "clearances", "limits"])
        let version = try reader.required("vault")
        guard try version.integer() == formatVersion else { throw version.fail("expected \(formatVersion); this dossier understands vault format \(formatVersion) only") }
        var units: [(String, String)] = []
        let unitsReader = try reader.required("units")
        for (id, name) in try unitsReader.object() {
            let field = FieldReader(file: reader.file, value: name, path: "units.\(id)")
            guard Slug.isValid(id) else { throw field.fail("expected a unit id of lowercase letters, digits and hyphens") }
            units.append((id, try field.text()))
        }
        let zoneReader = try reader.optional("timeZone")
        let zone = try zoneReader?.string() ?? "+08:00"
        if let zoneReader, Timestamp.parseOffset(zone) == nil { throw zoneReader.fail("expected an offset such as +08:00, got \"\(zone)\"") }
        var clearances: [Clearance] = []
        for element in try reader.optional("clearances")?.array() ?? [] {
            let clearance = try Clearance.decode(element)
            if clearances.contains(where: { $0.name == clearance.name }) {
                throw element.fail("\"\(clearance.name)\" is cleared twice; each reader has one entry")
            }
            clearances.append(clearance)
        }
        var settings = VaultSettings(
            profile: try reader.required("profile").text(),
            organisation: try reader.required("organisation").text(),
            units: units, timeZone: zone, clearances: clearances)
        if let limits = try reader.optional("limits"), !limits.value.isNull { settings.limits = try FilingLimits.decode(limits) }
        return settings
    }
}


/// One reader cleared for classified papers: a person's name, the highest level they may read,
/// and their age public key (`age1…`, as `age-keygen -y` prints it). Clearance is a key, not a
/// claim: only the holder of the matching identity can open what is encrypted to it.
public struct Clearance: Sendable, Equatable {
    public var name: String
    public var level: Classification
    /// The age X25519 recipient, `age1` and 58 Bech32 characters.
    public var recipient: String

    public init(name: String, level: Classification, recipient: String) {
        self.name = name
        self.level = level
        self.recipient = recipient
    }

    /// Whether `text` is written as an age X25519 recipient: `age1` and 58 lowercase Bech32
    /// characters (the checksum is the crypto layer's to check).
    public static func looksLikeRecipient(_ text: String) -> Bool {
        let bech32 = Set("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        return text.hasPrefix("age1") && text.utf8.count == 62 && text.utf8.dropFirst(4).allSatisfy { bech32.contains($0) }
    }

    var json: JSONValue {
        ["name": .string(name), "level": .string(level.rawValue), "recipient": .string(recipient)]
    }

    static func decode(_ reader: FieldReader) throws(FieldError) -> Clearance {
        _ = try reader.object(allowing: ["name", "level", "recipient"])
        let name = try reader.required("name").text().precomposedNFC
        let levelReader = try reader.required("level")
        let level = try levelReader.choice(Classification.self)
        guard level != .none else { throw levelReader.fail("expected secret, confidential or top-secret; none is not a clearance") }
        let recipientReader = try reader.required("recipient")
        let recipient = try recipientReader.string()
        guard looksLikeRecipient(recipient) else {
            throw recipientReader.fail("expected an age public key such as age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p, got \"\(recipient)\"")
        }
        return Clearance(name: name, level: level, recipient: recipient)
    }
}
