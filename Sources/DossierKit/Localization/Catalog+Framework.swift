extension MessageCatalog {
    /// ArgumentParser's usage errors, the entry's own, and the exit statuses.
    static let framework: [(en: String, zh: String)] = [
        ("Unknown option '{option}'. Did you mean '{suggestion}'?", "未知选项 '{option}'。您是想用 '{suggestion}' 吗？"),
        ("Unknown option '{option}'", "未知选项 '{option}'"),
        ("Unexpected argument '{argument}'", "多余的参数 '{argument}'"),
        ("{count} unexpected arguments: {arguments}", "多余的参数（{count} 个）：{arguments}"),
        ("Missing expected argument '{argument}'", "缺少参数 '{argument}'"),
        ("Missing value for '{option}'", "选项 '{option}' 缺少取值"),
        ("The value '{value}' is invalid for '{option}'", "取值 '{value}' 不适用于 '{option}'"),
        ("The value '{value}' is invalid for '{option}': {reason*}", "取值 '{value}' 不适用于 '{option}'：{reason*}"),
        ("Value to be set with flag '{flag}' had already been set with flag '{other}'", "标志 '{flag}' 与 '{other}' 重复设置了同一个值"),
        ("--lang: expected en or zh, got \"{given}\"", "--lang：应为 en 或 zh，实际为“{given}”"),
        ("unknown command \"{command}\"", "未知命令“{command}”"),
        ("; did you mean \"{suggestion}\"?", "；您是想用“{suggestion}”吗？"),
        ("; see dossier --help for the commands", "；用 dossier --help 查看所有命令"),
        ("dossier: warning: {warning*}", "dossier: 警告: {warning*}"),
        ("dossier: {id} is locked by another dossier process ({holder}); waiting…", "dossier: {id} 正被另一个 dossier 进程锁定（{holder}）；等待中…"),
    ]
}
