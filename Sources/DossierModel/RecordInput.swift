/// A dossier's fields as a person types them (`dossier new`, `dossier edit`): units by id or
/// name, types, grants, fundings and classifications by id or Chinese name.
public enum RecordInput {
    /// A unit of the vault by its id or its name (vault.json maps one to the other).
    public static func unit(_ typed: String, units: [(id: String, name: String)]) -> Result<String, TypedInput.Problem> {
        TypedInput.choice(typed, among: units.map { ($0.id, [$0.name]) }, what: "unit")
    }

    /// An achievement type of the profile by id or Chinese name.
    public static func type(_ typed: String, types: [(id: AchievementType, name: String)]) -> Result<AchievementType, TypedInput.Problem> {
        TypedInput.choice(typed, among: types.map { ($0.id.rawValue, [$0.name, String($0.name.dropLast($0.name.hasSuffix("权") ? 1 : 0))]) }, what: "achievement type")
            .flatMap { id in AchievementType(rawValue: id).map { .success($0) } ?? .failure(TypedInput.Problem("unknown achievement type \"\(typed)\"")) }
    }

    public static func grant(_ typed: String) -> Result<GrantKind, TypedInput.Problem> {
        enumChoice(typed, what: "grant", extra: [.none: ["无", "不赋权"]]) { $0.chineseName }
    }

    public static func funding(_ typed: String) -> Result<Funding, TypedInput.Problem> {
        enumChoice(typed, what: "funding", extra: [.fiscal: ["财政", "财政资金", "财政性"], .entrusted: ["委托", "企业委托", "接受委托"]]) { $0.chineseName }
    }

    public static func classification(_ typed: String) -> Result<Classification, TypedInput.Problem> {
        enumChoice(typed, what: "classification", extra: [.none: ["无", "不涉密", "公开"]]) { $0.chineseName }
    }

    static func enumChoice<T: RawRepresentable & CaseIterable & Hashable>(
        _ typed: String, what: String, extra: [T: [String]] = [:], chinese: (T) -> String
    ) -> Result<T, TypedInput.Problem> where T.RawValue == String {
        let choices = T.allCases.map { ($0.rawValue, [chinese($0)] + (extra[$0] ?? [])) }
        return TypedInput.choice(typed, among: choices, what: what).flatMap { id in
            T(rawValue: id).map { .success($0) } ?? .failure(TypedInput.Problem("unknown \(what) \"\(typed)\""))
        }
    }
}
