/// The type of one fact read off a paper.
public indirect enum FactType: Sendable, Equatable {
    case date
    case text
    case number
    case integer
    case bool
    case texts
    case choice([String])
    /// A subset of the given values (clauses present in an agreement).
    case choices([String])
    /// ISO 3166-1 alpha-2, uppercase.
    case country
    /// A version name of this dossier: `v7`.
    case version
    case object([FactField])
    case objects([FactField])

    var expectation: String {
        switch self {
        case .date: "a date YYYY-MM-DD"
        case .text: "a non-empty string"
        case .number: "a number"
        case .integer: "a whole number"
        case .bool: "true or false"
        case .texts: "an array of strings"
        case .choice(let values): "one of \(values.joined(separator: ", "))"
        case .choices(let values): "an array of values from \(values.joined(separator: ", "))"
        case .country: "an ISO 3166 alpha-2 country code such as CN"
        case .version: "a version name such as v7"
        case .object: "an object"
        case .objects: "an array of objects"
        }
    }
}

/// One named fact and its type.
public struct FactField: Sendable, Equatable {
    public var name: String
    public var type: FactType
    public var required: Bool

    public init(_ name: String, _ type: FactType, required: Bool = false) {
        self.name = name
        self.type = type
        self.required = required
    }
}

/// The facts each document kind carries (FORMATS.md §4). Every kind has `signedOn` or
/// `issuedOn` (at least one) and `parties`; the rest are checked for type at filing and for
/// presence by the rules, so a paper can be filed before every fact on it is known.
public enum FactSchema {
    public static let common: [FactField] = [
        FactField("signedOn", .date),
        FactField("issuedOn", .date),
        FactField("parties", .texts, required: true),
        FactField("notes", .text),
    ]

    public static let levels = Classification.allCases.map(\.rawValue)
    static let exportCategories = ["prohibited", "restricted", "free"]

    public static func fields(for kind: DocumentKind) -> [FactField] {
        common + specific(kind)
    }

    static func specific(_ kind: DocumentKind) -> [FactField] {
        switch kind {
        case .teamConsensus:
            [FactField("members", .objects([FactField("name", .text, required: true), FactField("share", .number, required: true)])),
             FactField("representative", .text)]
        case .grantApplication:
            [FactField("applicant", .text), FactField("grant", .choice(["ownership", "long-term-use"])), FactField("appliedOn", .date)]
        case .conversionPlan:
            []
        case .unitApproval:
            [FactField("decision", .choice(["approved", "rejected"])), FactField("approvedOn", .date)]
        case .publicityRecord:
            [FactField("startsOn", .date), FactField("endsOn", .date), FactField("objections", .choice(["none", "resolved", "pending"]))]
        case .objectionResolution:
            [FactField("resolvedOn", .date)]
        case .ownershipAgreement:
            [FactField("unitShare", .number), FactField("teamShare", .number),
             FactField("clauses", .choices(["revenue-split", "decision-mechanism", "cost-sharing", "maintenance-fees"]))]
        case .ownershipChangeRecord:
            [FactField("registry", .text), FactField("recordedOn", .date)]
        case .useRightAgreement:
            [FactField("effectiveFrom", .date), FactField("effectiveUntil", .date), FactField("revenueSplit", .text)]
        case .useRightExtension:
            [FactField("newEffectiveUntil", .date)]
        case .transferContract:
            [FactField("mode", .choice(["transfer", "license", "investment"])),
             FactField("counterparty", .object([
                FactField("name", .text, required: true),
                FactField("kind", .choice(["wholly-state-owned", "non-state", "individual"])),
                FactField("country", .country),
                FactField("inRegion", .bool),
             ])),
             FactField("pricing", .choice(["agreement", "listing", "auction"])),
             FactField("price", .number), FactField("effectiveOn", .date),
             // The first income received under the contract: a reward must follow it (R15).
             FactField("incomeReceivedOn", .date)]
        case .cooperationAgreement:
            [FactField("partner", .object([
                FactField("name", .text, required: true),
                FactField("kind", .choice(["wholly-state-owned", "non-state", "individual"])),
                FactField("country", .country),
                FactField("inRegion", .bool),
             ])),
             FactField("scope", .choice(["joint-development", "entrusted-development", "joint-venture", "other"])),
             FactField("effectiveOn", .date)]
        case .pricingPublicity:
            [FactField("achievementName", .text), FactField("price", .number), FactField("startsOn", .date),
             FactField("endsOn", .date), FactField("objectionChannel", .text)]
        case .listingRecord:
            [FactField("venue", .text), FactField("dealOn", .date)]
        case .appraisalReport:
            [FactField("appraisedValue", .number)]
        case .appraisalWaiver:
            [FactField("decidedOn", .date), FactField("decidedBy", .text)]
        case .techContractRegistration, .achievementRegistration:
            [FactField("registrationNo", .text)]
        case .exportContractRegistration:
            [FactField("registrationNo", .text), FactField("category", .choice(exportCategories))]
        case .annualReport:
            // final: the report says the conversion finished or stopped, so no later report is due (R19).
            [FactField("year", .integer), FactField("final", .bool)]
        case .rewardDistribution:
            [FactField("incomeReceivedOn", .date), FactField("paidOn", .date), FactField("amount", .number),
             FactField("recipients", .objects([
                FactField("name", .text, required: true), FactField("amount", .number),
                FactField("form", .choice(["cash", "equity"])), FactField("legalHead", .bool),
             ]))]
        case .equityRewardApproval:
            // tenureEndsOn: the end of the head's tenure, during which the equity is not traded (R14).
            [FactField("recipient", .text), FactField("approvedBy", .text), FactField("tenureEndsOn", .date)]
        case .confidentialityPact:
            [FactField("level", .choice(levels)), FactField("validUntil", .date)]
        case .secrecyApproval:
            [FactField("level", .choice(levels)), FactField("approvedBy", .text), FactField("approvedOn", .date)]
        case .exportControlApproval:
            [FactField("category", .choice(exportCategories)), FactField("destination", .country),
             FactField("licenceNo", .text), FactField("validUntil", .date)]
        // RULES.md §3b: the export-control-approval row "means any of them, with category".
        case .exportLicenceIntent:
            [FactField("destination", .country), FactField("category", .choice(exportCategories))]
        case .exportLicence:
            [FactField("licenceNo", .text), FactField("destination", .country), FactField("validUntil", .date),
             FactField("category", .choice(exportCategories))]
        case .ethicsReview:
            [FactField("decision", .choice(["approved", "rejected"]))]
        case .confidentialityReview:
            [FactField("decision", .choice(["approve", "reject", "needs-info"])), FactField("reviewer", .text),
             FactField("reviewedVersion", .version), FactField("classificationReviewed", .bool)]
        case .equityTrade:
            [FactField("holder", .text), FactField("tradedOn", .date)]
        }
    }

    /// Checks a facts object for `kind` and returns it normalised (strings in NFC).
    /// - Throws: ``FieldError`` naming the first fact that is unknown, missing or of the wrong type.
    public static func validate(_ reader: FieldReader, kind: DocumentKind) throws(FieldError) -> JSONObject {
        let facts = try validateObject(reader, fields: fields(for: kind), context: "facts of \(kind.rawValue)")
        if facts["signedOn"] == nil, facts["issuedOn"] == nil {
            throw FieldError(file: reader.file, field: reader.path + ".signedOn",
                             problem: "missing; every document needs signedOn or issuedOn")
        }
        return facts
    }

    static func validateObject(_ reader: FieldReader, fields: [FactField], context: String) throws(FieldError) -> JSONObject {
        let object = try reader.object(allowing: fields.map(\.name))
        var result = JSONObject()
        for field in fields {
            guard let member = try reader.optional(field.name) else {
                if field.required { throw FieldError(file: reader.file, field: reader.path.isEmpty ? field.name : "\(reader.path).\(field.name)", problem: "missing; \(context) require it") }
                continue
            }
            result[field.name] = try validateValue(member, type: field.type)
        }
        _ = object
        return result
    }

    static func validateValue(_ reader: FieldReader, type: FactType) throws(FieldError) -> JSONValue {
        switch type {
        case .date:
            return .string(try reader.date().description)
        case .text:
            return .string(try reader.text().precomposedNFC)
        case .number:
            return .number(try reader.number())
        case .integer:
            return .number(Double(try reader.integer()))
        case .bool:
            return .bool(try reader.bool())
        case .texts:
            return .array(try reader.strings().map { .string($0.precomposedNFC) })
        case .choice(let values):
            let text = try reader.string()
            guard values.contains(text) else { throw reader.fail("expected one of \(values.joined(separator: ", ")), got \"\(text)\"") }
            return .string(text)
        case .choices(let values):
            var seen: [JSONValue] = []
            for element in try reader.array() {
                let text = try element.string()
                guard values.contains(text) else { throw element.fail("expected one of \(values.joined(separator: ", ")), got \"\(text)\"") }
                if !seen.contains(.string(text)) { seen.append(.string(text)) }
            }
            return .array(seen)
        case .country:
            let text = try reader.string()
            guard text.utf8.count == 2, text.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
                throw reader.fail("expected \(type.expectation), got \"\(text)\"")
            }
            return .string(text)
        case .version:
            let text = try reader.string()
            guard VersionNumber(text) != nil else { throw reader.fail("expected \(type.expectation), got \"\(text)\"") }
            return .string(text)
        case .object(let fields):
            return .object(try validateObject(reader, fields: fields, context: "these objects"))
        case .objects(let fields):
            var elements: [JSONValue] = []
            for element in try reader.array() {
                elements.append(.object(try validateObject(element, fields: fields, context: "these objects")))
            }
            return .array(elements)
        }
    }
}
