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
        ("""
            EXIT STATUS
              0   done
              1   the check found problems (e.g. a stored file does not match its digest)
              2   refused: bad input, no vault, a locked dossier, an I/O failure
              64  usage: unknown command, option or argument
            """,
         """
            退出状态
              0   完成
              1   检查发现问题（例如存储的文件与其摘要不符）
              2   拒绝：输入有误、没有库、卷宗被锁定、读写失败
              64  用法错误：未知的命令、选项或参数
            """),
    ]
}
