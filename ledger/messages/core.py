"""Messages shared by every area: key -> (Simplified Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # generic errors
    "error.prefix": ("错误", "Error"),
    "error.field": ("{field}：{detail}", "{field}: {detail}"),
    "error.not_found": ("找不到{entity}：{ref}", "{entity} not found: {ref}"),
    "error.required": ("必填", "is required"),
    "error.bad_date": ("日期格式不对：{value}（应为 YYYY-MM-DD）",
                       "not a date: {value} (expected YYYY-MM-DD)"),
    "error.bad_datetime": ("时间格式不对：{value}（应为 YYYY-MM-DD HH:MM）",
                           "not a date and time: {value} (expected YYYY-MM-DD HH:MM)"),
    "error.bad_choice": ("“{value}”不是可选值（可选：{choices}）",
                         "“{value}” is not one of: {choices}"),
    "error.out_of_range": ("应在 {min} 到 {max} 之间", "must be between {min} and {max}"),
    "error.bad_number": ("不是有效的数字：{value}", "not a valid number: {value}"),
    "error.too_long": ("太长（最多 {max} 个字符）", "is too long (at most {max} characters)"),
    "error.integrity": ("与已保存的记录冲突：{detail}", "conflicts with a stored record: {detail}"),
    # ledger.versions: an edit based on a version someone else has changed since
    "error.stale_version": (
        "{entity} {ref} 已被他人修改（您看到的是第 {yours} 版，现为第 {theirs} 版）：{changes}。"
        "请重新打开后再改",
        "{entity} {ref} was changed by someone else (you saw version {yours}, it is now "
        "version {theirs}): {changes}. Open it again and redo your edit"),
    "error.stale_version.change": ("{field}现为 {theirs}（您的：{yours}）",
                                   "{field} is now {theirs} (yours: {yours})"),
    "error.stale_version.sep": ("；", "; "),
    "error.stale_version.no_fields": ("其间已有其他改动", "other changes were made meanwhile"),
    "error.stale_version.blank": ("（空）", "(blank)"),
    "field.version": ("版本", "version"),
    "error.internal": ("内部错误：{detail}", "internal error: {detail}"),
    "error.interrupted": ("已中断", "interrupted"),
    "error.bad_language": ("不支持的语言：{value}（可选 zh、en）",
                           "unsupported language: {value} (use zh or en)"),
    "error.date_order": ("结束日期早于开始日期", "the end date is before the start date"),
    "error.date_out_of_range": ("日期 {value} 超出本程序处理的范围（{min} 至 {max}）",
                                "{value} is outside the dates this program handles "
                                "({min} to {max})"),
    "error.bad_integer": ("不是整数：{value}", "not a whole number: {value}"),
    "error.number_out_of_range": ("{value} 超出范围（应在 {min} 至 {max} 之间）",
                                  "{value} is out of range (from {min} to {max})"),
    "error.bad_encoding": ("{name} 不是有效的 UTF-8 文本：{value}",
                           "{name} is not valid UTF-8 text: {value}"),
    "cli.argument": ("第 {n} 个参数", "argument {n}"),
    "error.needs_terminal": ("界面需要在终端中运行；脚本和定时任务请使用子命令（jiedao --help）",
                             "the app needs a terminal; scripts and cron jobs use a command "
                             "(jiedao --help)"),
    "error.operator_empty": ("操作人（{source}）不能为空", "the operator name ({source}) is empty"),
    "error.operator_too_long": ("操作人（{source}）太长：{length} 个字符，最多 {max} 个",
                                "the operator name ({source}) is too long: {length} characters, "
                                "at most {max}"),
    "error.operator_bad": ("操作人（{source}）含有控制字符或无效字符：{value}",
                           "the operator name ({source}) holds control or invalid characters: "
                           "{value}"),
    # personal data
    "error.id_format": ("身份证号应为 18 位（17 位数字加一位数字或 X）",
                        "an ID number has 18 characters: 17 digits and a digit or X"),
    "error.id_birth_date": ("身份证号中的出生日期无效", "the birth date in the ID number is invalid"),
    "error.id_checksum": ("身份证号校验位不对", "the ID number's check digit is wrong"),
    "error.phone_format": ("电话号码无效：{value}", "not a valid phone number: {value}"),
    # database
    "error.db_url": ("无法识别的数据库地址：{url}", "unrecognised database URL: {url}"),
    "error.db_url_empty": ("--db 为空：请给出数据库文件路径或地址（不给 --db 则使用默认数据库）",
                           "--db is empty: give a database path or URL (leave --db out for "
                           "the default database)"),
    "error.db_missing": ("数据库 {path} 不存在；先运行 jiedao --db {path} init",
                         "no database at {path}; run `jiedao --db {path} init` first"),
    "error.db_no_directory": ("无法创建数据库 {path}：目录 {directory} 不存在",
                              "cannot create database {path}: directory {directory} does not exist"),
    "error.db_unopenable": ("无法打开数据库 {path}：{detail}", "cannot open database {path}: {detail}"),
    "error.db_unreachable": ("无法连接数据库 {url}：{detail}", "cannot connect to {url}: {detail}"),
    "error.db_no_driver": ("连接 {url} 需要 PostgreSQL 驱动：pip install 'jiedao-ledger[postgres]'",
                           "{url} needs the PostgreSQL driver: pip install 'jiedao-ledger[postgres]'"),
    "error.db_operation": ("数据库操作失败：{detail}", "database operation failed: {detail}"),
    "error.db_exists": ("数据库已存在且已初始化：{url}", "the database already exists and is initialised: {url}"),
    "error.schema_too_old": ("数据库结构版本 {db_version} 旧于程序的 {code_version}；请运行 jiedao db upgrade",
                             "the database is at schema {db_version}, the program needs {code_version}: "
                             "run `jiedao db upgrade`"),
    "error.schema_too_new": ("数据库结构（版本 {db_version}，含本程序不认识的迁移 {unknown}）新于程序的 "
                             "{code_version}；请升级 jiedao-ledger",
                             "the database is at schema {db_version} (with migrations this "
                             "program does not know: {unknown}), newer than this program's "
                             "{code_version}: upgrade jiedao-ledger"),
    "error.schema_foreign": ("{where} 不是本程序的数据库（含有其他表：{tables}），未作任何改动",
                             "{where} is not a jiedao-ledger database (it holds other tables: "
                             "{tables}): left untouched"),
    "error.sample_not_empty": ("数据库 {url} 已有数据，不能载入示范数据",
                               "{url} already holds records: the sample office goes into an empty one"),
    # config
    "error.config_unknown_key": ("{where} 第 {line} 行：未知设置项 {key}",
                                 "{where} line {line}: unknown setting {key}"),
    "error.config_bad_value": ("{where} 第 {line} 行：设置项 {key} 的值无效：{value}",
                               "{where} line {line}: bad value for {key}: {value}"),
    "error.config_syntax": ("{where} 第 {line} 行：格式错误：{detail}",
                            "{where} line {line}: malformed: {detail}"),
    "error.config_unreadable": ("无法读取 {where}：{detail}", "cannot read {where}: {detail}"),
    "error.config_missing": ("设置文件不存在：{where}", "settings file not found: {where}"),
    "error.config_out_of_range": ("{where} 第 {line} 行：设置项 {key} 应在 {min} 至 {max} 之间，而不是 {value}",
                                  "{where} line {line}: {key} must be from {min} to {max}, "
                                  "not {value}"),
    "error.config_bad_timezone": ("{where} 第 {line} 行：设置项 {key}：未知时区 {value}（例如 Asia/Shanghai）",
                                  "{where} line {line}: {key}: unknown time zone {value} "
                                  "(for example Asia/Shanghai)"),
    "error.config_bad_prefix": ("{where} 第 {line} 行：设置项 {key} 应为 1 至 10 个大写英文字母"
                                "（编号靠它查找），而不是 {value}",
                                "{where} line {line}: {key} must be 1 to 10 capital letters A-Z "
                                "(numbers are found by it), not {value}"),
    "error.config_bad_list": ("{where} 第 {line} 行：设置项 {key} 应为不重复的文字列表"
                              "（每项不超过 {max} 个字符），例如 [\"甲\", \"乙\"]，而不是 {value}",
                              "{where} line {line}: {key} must be a list of distinct texts "
                              "(each at most {max} characters), like [\"a\", \"b\"], "
                              "not {value}"),
    "error.config_bad_plain_text": ("{where} 第 {line} 行：设置项 {key} 应为不超过 {max} 个字符、"
                                    "不含控制字符的文字，而不是 {value}",
                                    "{where} line {line}: {key} must be a text of at most {max} "
                                    "characters without control characters, not {value}"),
    "error.config_bad_text": ("{where} 第 {line} 行：设置项 {key} 应为不超过 {max} 个字符的文字"
                              "（不能为空、不能含控制字符），而不是 {value}",
                              "{where} line {line}: {key} must be a text of at most {max} "
                              "characters (not blank, no control characters), not {value}"),
    # journal
    "entity.journal": ("日志", "journal entry"),
    "audit.ok": ("日志完整：已核验 {count} 条", "journal intact: {count} entries verified"),
    "audit.broken": ("日志第 {id} 条不一致（{reason}）：已被改动或删除",
                     "journal entry {id} does not match ({reason}): altered or removed"),
    "audit.reason.hash": ("内容与哈希不符", "content does not match its hash"),
    "audit.reason.link": ("与上一条的链接断开", "link to the previous entry broken"),
    "action.create": ("新建", "created"),
    "action.update": ("修改", "updated"),
    "action.delete": ("删除", "deleted"),
    "action.reveal": ("查看个人信息", "revealed personal data"),
    "field.at": ("时间", "time"),
    "field.operator": ("操作人", "operator"),
    "field.entity": ("对象", "record"),
    "field.entity_id": ("编号", "id"),
    "field.action": ("操作", "action"),
    "field.note": ("备注", "note"),
    "field.as_of": ("日期", "as-of date"),
    "field.limit": ("条数", "limit"),
    # db / config commands
    "db.status": ("数据库 {url}：结构版本 {db_version}（程序 {code_version}）",
                  "database {url}: schema {db_version} (program {code_version})"),
    "db.pending": ("待执行迁移：{names}", "pending migrations: {names}"),
    "db.current": ("结构已是最新", "schema is up to date"),
    "db.newer": ("数据库新于本程序（本程序不认识的迁移：{names}）；请升级 jiedao-ledger",
                 "the database is newer than this program (migrations it does not know: "
                 "{names}): upgrade jiedao-ledger"),
    "db.foreign": ("这不是本程序的数据库（含有其他表：{tables}）",
                   "this is not a jiedao-ledger database (it holds other tables: {tables})"),
    "db.upgraded": ("已执行迁移：{names}", "applied migrations: {names}"),
    "db.created": ("已创建数据库 {url}", "created database {url}"),
    "db.filled": ("已载入示范街道数据", "loaded the sample office"),
    "config.file": ("设置文件：{path}", "settings file: {path}"),
    "config.none": ("（无设置文件，全部为默认值）", "(no settings file: all defaults)"),
    "field.key": ("设置项", "key"),
    "field.value": ("值", "value"),
    "field.source": ("来源", "source"),
    # generic words
    "word.yes": ("是", "yes"),
    "word.no": ("否", "no"),
    "word.total": ("合计", "total"),
    "word.none": ("无", "none"),
    "word.provisional": ("暂定", "provisional"),
    "word.confirm": ("确认", "Confirm"),
    "word.cancel": ("取消", "Cancel"),
    "word.save": ("保存", "Save"),
    "word.search": ("搜索", "Search"),
    "word.filter": ("筛选", "Filter"),
    "word.rows": ("共 {count} 条", "{count} rows"),
    "word.loading": ("加载中…", "Loading…"),
    "word.empty": ("没有记录", "No records"),
    "cli.commands": ("命令", "Commands"),
    "cli.help.init": ("创建数据库（可载入示范数据）", "Create a database (optionally with the sample office)"),
    "cli.help.demo": ("在临时的示范数据库上打开界面", "Open the app on a temporary sample office"),
    "cli.help.db": ("数据库结构版本与升级", "Schema version and upgrades"),
    "cli.help.audit": ("操作日志：查看与核验", "The journal: read and verify it"),
    "cli.help.config": ("查看设置", "Show the settings"),
    "cli.help.villages": ("村", "Villages"),
    "cli.help.members": ("两委成员", "Committee members"),
    "cli.help.items": ("代办事项目录", "The proxy service catalogue"),
    "cli.help.calendar": ("工作日历（含调休）", "The working-day calendar"),
    "cli.help.tickets": ("代办件", "Proxy tickets"),
    "cli.help.petitions": ("信访件", "Petitions"),
    "cli.aborted": ("已取消", "aborted"),
}
