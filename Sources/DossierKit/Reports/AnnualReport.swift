import DossierModel
/// The list each pilot unit reports every year (plan 四(二); RULES.md §4): the achievements it
/// granted, with each grant's dates, counterparty, price, status and flags, and the year's totals.
///
/// A dossier is on the list for year Y when its grant ≠ none and
/// - its grant was approved in Y: a unit-approval that approves (`decision` approved or not
///   stated), dated by `approvedOn`, else `signedOn`/`issuedOn` — basis `granted`; or
/// - it was granted earlier and a transfer contract was signed in Y — basis `converted` (the plan
///   asks units to report conversion while it goes on).
/// Prices and counterparties are those of the contracts signed in Y (for `granted` rows, of every
/// contract, since a conversion may follow the grant within the same year or come before the list
/// is due).
public struct AnnualReport: Sendable, Equatable {
    public enum Basis: String, Sendable {
        case granted
        case converted
    }

    public struct Row: Sendable, Equatable {
        public var id: String
        public var title: String
        public var type: String
        public var grant: GrantKind
        public var basis: Basis
        public var appliedOn: LocalDate?
        public var approvedOn: LocalDate?
        public var agreementSignedOn: LocalDate?
        public var publicityStartsOn: LocalDate?
        public var publicityEndsOn: LocalDate?
        /// `name (kind)` of each counterparty, in contract order.
        public var counterparties: [String]
        var contractsSignedOn: [LocalDate]
        /// The sum of the contracts' prices, in CNY; `nil` when no contract states one.
        public var price: Double?
        public var status: DossierStatus
        public var flags: [DossierFlag]
        public var version: String
        /// Contracts the row shows whose signing falls outside the year, so that the year's
        /// totals leave them out (a grant approved in the year, converted the next).
        public var outsideYear: [OutsideContract] = []
    }

    /// A contract shown on a row and left out of the year's totals, and where it counts instead.
    public struct OutsideContract: Sendable, Equatable {
        /// When it was signed; `nil` for a contract with no date, which no year counts.
        public var signedOn: LocalDate?
        public var price: Double?
        /// The year whose report counts it (as a conversion); `nil` when none does (signed
        /// before the grant was approved, or undated).
        public var countsIn: Int?
    }

    public struct Totals: Sendable, Equatable {
        public var achievements: Int
        public var byGrant: [(GrantKind, Int)]
        public var granted: Int
        public var converted: Int
        public var contracts: Int
        public var contractPrice: Double

        public static func == (lhs: Totals, rhs: Totals) -> Bool {
            lhs.achievements == rhs.achievements && lhs.byGrant.map(\.0) == rhs.byGrant.map(\.0) && lhs.byGrant.map(\.1) == rhs.byGrant.map(\.1)
                && lhs.granted == rhs.granted && lhs.converted == rhs.converted && lhs.contracts == rhs.contracts && lhs.contractPrice == rhs.contractPrice
        }
    }

    public var unit: String
    public var unitName: String?
    public var organisation: String
    public var year: Int
    public var rows: [Row]
    public var totals: Totals
    /// When the report was made (RFC 3339), printed on the paper; `nil` leaves it out.
    public var generatedAt: String?
    /// The day the statuses and flags were judged as of (the index's day), printed on the paper.
    public var asOf: LocalDate?

    /// Builds the list for `unit` and `year` from the index's view of the dossiers.
    public init(unit: String, unitName: String?, organisation: String, year: Int, dossiers: [DossierSummary]) {
        self.unit = unit
        self.unitName = unitName
        self.organisation = organisation
        self.year = year
        var rows: [Row] = []
        var contracts = 0
        var contractPrice = 0.0
        for dossier in dossiers where dossier.record.unit == unit && dossier.record.grant != .none {
            let record = dossier.record
            guard let approvedOn = Self.approvalDate(record) else { continue }
            let contractsAll = record.documents(of: .transferContract)
            let basis: Basis
            let contractsShown: [DocumentEntry]
            if approvedOn.year == year {
                basis = .granted
                contractsShown = contractsAll
            } else if approvedOn.year < year {
                contractsShown = contractsAll.filter { $0.paperDate?.year == year }
                guard !contractsShown.isEmpty else { continue }
                basis = .converted
            } else {
                continue
            }
            let prices = contractsShown.compactMap { $0.facts["price"]?.numberValue }
            let outside = contractsShown.filter { $0.paperDate?.year != year }.map { contract in
                let signed = contract.paperDate
                return OutsideContract(
                    signedOn: signed, price: contract.facts["price"]?.numberValue,
                    countsIn: signed.flatMap { $0.year > approvedOn.year ? $0.year : nil })
            }
            let publicity = record.documents(of: .publicityRecord).first
            let agreementKind: DocumentKind = record.grant == .ownership ? .ownershipAgreement : .useRightAgreement
            let application = record.documents(of: .grantApplication).first
            rows.append(Row(
                id: record.id.rawValue, title: record.title, type: record.type.rawValue, grant: record.grant, basis: basis,
                appliedOn: application.flatMap { $0.date("appliedOn") ?? $0.paperDate },
                approvedOn: approvedOn,
                agreementSignedOn: record.documents(of: agreementKind).compactMap(\.paperDate).min(),
                publicityStartsOn: publicity.flatMap { $0.date("startsOn") },
                publicityEndsOn: publicity.flatMap { $0.date("endsOn") },
                counterparties: contractsShown.compactMap(Self.counterparty),
                contractsSignedOn: contractsShown.compactMap(\.paperDate),
                price: prices.isEmpty ? nil : prices.reduce(0, +),
                status: dossier.status, flags: dossier.flags, version: dossier.head.description, outsideYear: outside))
            contracts += contractsShown.filter { $0.paperDate?.year == year }.count
            contractPrice += contractsShown.filter { $0.paperDate?.year == year }.compactMap { $0.facts["price"]?.numberValue }.reduce(0, +)
        }
        rows.sort { ($0.basis == .granted ? 0 : 1, $0.approvedOn ?? LocalDate(dayNumber: 0), $0.id) < ($1.basis == .granted ? 0 : 1, $1.approvedOn ?? LocalDate(dayNumber: 0), $1.id) }
        self.rows = rows
        totals = Totals(
            achievements: rows.count,
            byGrant: [GrantKind.ownership, .longTermUse].map { kind in (kind, rows.filter { $0.grant == kind && $0.basis == .granted }.count) },
            granted: rows.filter { $0.basis == .granted }.count,
            converted: rows.filter { $0.basis == .converted }.count,
            contracts: contracts, contractPrice: contractPrice)
    }

    /// When the unit approved the grant: the earliest approving unit-approval.
    static func approvalDate(_ record: DossierRecord) -> LocalDate? {
        record.documents(of: .unitApproval)
            .filter { $0.facts["decision"]?.stringValue != "rejected" }
            .compactMap { $0.date("approvedOn") ?? $0.paperDate }
            .min()
    }

    static func counterparty(_ contract: DocumentEntry) -> String? {
        guard let counterparty = contract.facts["counterparty"]?.objectValue, let name = counterparty["name"]?.stringValue else { return nil }
        var details: [String] = []
        if let kind = counterparty["kind"]?.stringValue { details.append(SearchableText.chineseWords[kind] ?? kind) }
        if let country = counterparty["country"]?.stringValue, country != "CN" { details.append(country) }
        return details.isEmpty ? name : "\(name)（\(details.joined(separator: "，"))）"
    }
}
