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

    public init(profile: String = "nmg-2020", organisation: String, units: [(id: String, name: String)], timeZone: String = "+08:00") {
        self.profile = profile
        self.organisation = organisation
        self.units = units
        self.timeZone = timeZone
    }

    /// The pilot plan's two units.
    public static let pilot = VaultSettings(
        organisation: "内蒙古自治区赋权试点（示范）",
        units: [("imut", "内蒙古工业大学"), ("imaaahs", "内蒙古农牧业科学院")])

    public static func == (lhs: VaultSettings, rhs: VaultSettings) -> Bool {
        lhs.profile == rhs.profile && lhs.organisation == rhs.organisation && lhs.timeZone == rhs.timeZone
            && lhs.units.map(\.id) == rhs.units.map(\.id) && lhs.units.map(\.name) == rhs.units.map(\.name)
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
        ]
    }

    public static func decode(_ reader: FieldReader) throws(FieldError) -> VaultSettings {
        _ = try reader.object(allowing: ["vault", "profile", "organisation", "units", "timeZone"])
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
        return VaultSettings(
            profile: try reader.required("profile").text(),
            organisation: try reader.required("organisation").text(),
            units: units, timeZone: zone)
    }
}

