"""Help text of the ``jiedao`` commands and options: key -> (Simplified Chinese, English).

Keys follow the command path (``commands/helptext.py``): ``help.<area>`` an area,
``help.<area>.<command>`` a command (its first sentence is its line in the area's list),
``….opt.<parameter name>`` an option. An option's key may sit on its area
(``help.tickets.opt.note``) or on ``help.opt.*`` when many commands share the wording.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # click's own words, and options every command shares
    "help.usage": ("用法:", "Usage:"),
    "help.options": ("选项", "Options"),
    "help.arguments": ("参数", "Positional arguments"),
    "help.opt.help": ("显示本帮助并退出。", "Show this message and exit."),
    "help.opt.as_json": ("以 JSON 输出。", "Print JSON."),
    # jiedao
    "help.jiedao": ("jiedao：街道办事处台账。\n\n不带命令时，在所配置的数据库上打开界面。", "jiedao: records of a subdistrict office (街道办事处台账).\n\nWithout a command, opens the app on the configured database."),
    "help.jiedao.opt.db_url": ("数据库地址（sqlite:///路径、postgresql://…）；默认取 JIEDAO_DB，或用户数据目录。", "Database URL (sqlite:///PATH, postgresql://…); default JIEDAO_DB or the user's data directory."),
    "help.jiedao.opt.operator": ("记入操作日志的操作人（默认取 JIEDAO_OPERATOR，或登录名）。", "Operator recorded in the journal (default JIEDAO_OPERATOR or the login name)."),
    "help.jiedao.opt.config_path": ("设置文件（默认取 JIEDAO_CONFIG，或用户配置目录）。", "Settings file (default JIEDAO_CONFIG or the user's config directory)."),
    "help.jiedao.opt.lang": ("界面语言（默认取 JIEDAO_LANG，或系统区域设置）。", "Language (default JIEDAO_LANG or the locale)."),
    "help.jiedao.opt.as_of": ("把 DATE（YYYY-MM-DD）当作今天：用于出报表和补跑。", "Act as if today were DATE (YYYY-MM-DD): for reports and reruns."),
    "help.jiedao.opt.version": ("显示版本并退出。", "Show the version and exit."),
    # init
    "help.init": ("创建数据库（空的街道办，或用 --example 载入示范数据）。", "Create a database (an empty office, or the sample one with --example)."),
    "help.init.opt.example": ("载入报告中的示范街道办数据。", "Fill it with the sample office from the report."),
    # demo
    "help.demo": ("在新建的临时示范数据库上打开界面；不动您自己的数据库。", "Open the app on a fresh temporary sample office; your own database is untouched."),
    # db
    "help.db": ("数据库结构版本与升级。", "Schema version and upgrades."),
    "help.db.status": ("显示数据库的结构版本和待执行的迁移（有待执行的迁移时退出码为 1）。", "Show the database's schema version and pending migrations (exit 1 if any are pending)."),
    "help.db.upgrade": ("执行待执行的迁移。", "Apply pending migrations."),
    # audit
    "help.audit": ("操作日志：核验哈希链，查看记录。", "The journal: verify its hash chain, read it."),
    "help.audit.log": ("列出操作日志，按时间先后；除非加 --reveal，个人信息均打码。", "List journal entries, oldest first; personal data masked unless --reveal."),
    "help.audit.log.opt.as_json": ("以 JSON 输出（含修改前后内容）。", "Print JSON (with before/after)."),
    "help.audit.log.opt.entity": ("只看这类记录（member、ticket、petition…）。", "Only this kind of record (member, ticket, petition…)."),
    "help.audit.log.opt.entity_id": ("只看这一条记录。", "Only this record."),
    "help.audit.log.opt.limit": ("最多 N 条。", "At most N entries."),
    "help.audit.log.opt.reveal": ("显示完整的身份证号和电话（查看行为记入日志）。", "Show ID numbers and phones unmasked (the reveal is journaled)."),
    "help.audit.log.opt.since": ("从这一天起（YYYY-MM-DD）。", "From this date (YYYY-MM-DD)."),
    "help.audit.verify": ("重新计算哈希链；指出第一条对不上的记录（退出码 1）。", "Recompute the hash chain; name the first entry that does not match (exit 1)."),
    # config
    "help.config": ("生效的设置及各项的来源。", "The effective settings and where each came from."),
    "help.config.show": ("列出每项设置、取值及来源（默认值、设置文件或命令行参数）。", "Print every setting, its value and its source (default, the file, or a flag)."),
}
