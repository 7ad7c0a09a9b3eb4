"""Backups, restores, journal checkpoints and ``db check``: key -> (Simplified Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.help.backup": ("备份数据库（SQLite；可在有人使用时进行）", "Back the database up (SQLite; safe while clerks work)"),
    "cli.help.restore": ("用备份替换数据库（先检查备份）", "Replace the database with a backup (checked first)"),
    "entity.database": ("数据库", "database"),
    "action.restore": ("从备份恢复", "restored from a backup"),
    # backup
    "backup.done": ("已备份到 {file}（{bytes} 字节，日志 {entries} 条，用时 {seconds} 秒）",
                    "backed up to {file} ({bytes} bytes, {entries} journal entries, {seconds} s)"),
    "backup.checkpoint": ("日志检查点：{file}", "journal checkpoint: {file}"),
    "error.backup_postgres": (
        "PostgreSQL 数据库（{url}）请用 PostgreSQL 自带的工具备份："
        "pg_dump --format=custom --file=ledger.dump '{url}'；恢复用 "
        "pg_restore --clean --if-exists --dbname='{url}' ledger.dump；"
        "并用 jiedao audit checkpoint FILE 在备份旁记下日志检查点",
        "back a PostgreSQL database ({url}) up with PostgreSQL's own tools: "
        "pg_dump --format=custom --file=ledger.dump '{url}'; restore it with "
        "pg_restore --clean --if-exists --dbname='{url}' ledger.dump; and write the journal's "
        "checkpoint beside it with jiedao audit checkpoint FILE"),
    "error.restore_postgres": (
        "PostgreSQL 数据库（{url}）请用 pg_restore 恢复："
        "pg_restore --clean --if-exists --dbname='{url}' ledger.dump（备份由 pg_dump --format=custom 生成）；"
        "恢复后运行 jiedao db check",
        "restore a PostgreSQL database ({url}) with pg_restore: "
        "pg_restore --clean --if-exists --dbname='{url}' ledger.dump (made by pg_dump "
        "--format=custom); then run jiedao db check"),
    "error.backup_exists": ("{path} 已存在：不会覆盖，请换一个文件名",
                            "{path} already exists: not overwritten, choose another name"),
    "error.backup_no_directory": ("无法写入 {path}：目录 {directory} 不存在",
                                  "cannot write {path}: the folder {directory} does not exist"),
    "error.backup_unwritable": ("无法写入备份或检查点 {path}：{detail}",
                                "cannot write the backup or checkpoint {path}: {detail}"),
    "error.backup_failed": ("备份到 {path} 失败：{detail}；未留下任何文件",
                            "backup to {path} failed: {detail}; no file was left"),
    "error.backup_corrupt": ("备份 {path} 未通过完整性检查（{detail}）；已删除，请运行 jiedao db check",
                             "the backup {path} failed its integrity check ({detail}); removed it, "
                             "run jiedao db check"),
    # checkpoints
    "checkpoint.written": ("日志检查点已写入 {file}：{entries} 条，末条哈希 {hash}",
                           "journal checkpoint written to {file}: {entries} entries, last hash {hash}"),
    "error.checkpoint_missing": ("检查点文件 {path} 不存在", "the checkpoint file {path} does not exist"),
    "error.checkpoint_bad": ("{path} 不是 jiedao 的日志检查点：{detail}",
                             "{path} is not a jiedao journal checkpoint: {detail}"),
    "audit.checkpoint_ok": ("与检查点 {file} 一致：检查点时的 {entries} 条仍在（现有 {now} 条）",
                            "matches the checkpoint {file}: its {entries} entries are all there "
                            "({now} now)"),
    "audit.checkpoint_fewer": ("日志现只有 {now} 条，少于检查点 {file} 记下的 {entries} 条：末尾的记录被删除或日志被清空",
                               "the journal holds {now} entries, fewer than the {entries} of the "
                               "checkpoint {file}: its last entries were deleted or it was emptied"),
    "audit.checkpoint_hash": ("日志第 {entries} 条的哈希与检查点 {file} 不符：此前的记录被改写后重算了哈希链",
                              "the hash of journal entry number {entries} differs from the "
                              "checkpoint {file}: entries up to it were rewritten and the chain "
                              "recomputed"),
    "audit.checkpoint_keying": ("日志的密钥记录与检查点 {file} 不符（检查点：第 {keyed_after} 条之后用密钥 {key_id}）："
                                "密钥记录被删除或改动，或日志被改写为无密钥的哈希链",
                                "the journal's keying differs from the checkpoint {file} (entries "
                                "after {keyed_after} keyed with the key {key_id}): its key record "
                                "was removed or changed, or the journal rewritten as unkeyed"),
    "audit.checkpoint_seal": ("检查点 {file} 与其密钥签名不符：写入后被改动，或由另一把密钥写成",
                              "the checkpoint {file} does not match its seal: it was changed "
                              "after it was written, or written with another key"),
    # the journal's key
    "audit.keyed": ("第 {after} 条之后的日志以密钥 {key_id} 核验（{source}）",
                    "entries after {after} verified with the key {key_id} ({source})"),
    "audit.unkeyed": ("日志尚未使用密钥：升级后还没有写入新记录；下一条记录起使用密钥",
                      "the journal is not keyed yet: nothing was written since the upgrade; "
                      "entries are keyed from the next one on"),
    "audit.key_keyed": ("办公室 {office}：第 {after} 条之后的日志使用密钥 {key_id}，密钥在 {source}；"
                        "请把它与数据库分开备份",
                        "office {office}: entries after {after} are keyed with the key {key_id}, "
                        "which is in {source}; back it up apart from the database"),
    "audit.key_unkeyed": ("日志尚未使用密钥：下一条记录时在 {folder} 中生成密钥（设置了 {env} 则用它）",
                          "the journal is not keyed yet: its key is made in {folder} with the "
                          "next entry (or taken from {env} when set)"),
    "audit.broken_keying": ("日志的密钥部分不一致（{reason}）", "the journal's keyed chain is broken ({reason})"),
    "audit.reason.seal": ("密钥记录（从哪一条起使用密钥）与其签名不符：已被改动",
                          "the record of where the keyed chain starts does not match its seal: "
                          "it was changed"),
    "audit.reason.switch": ("使用密钥的部分没有接在签名记下的位置上，或已被删除",
                            "the keyed entries do not chain on the sealed switch point, or are "
                            "gone"),
    "check.journal_keying": ("日志的密钥部分不一致（{reason}）", "the journal's keyed chain is broken ({reason})"),
    "error.journal_key_missing": (
        "本办公室（{office}）的日志使用密钥，但找不到密钥：未设置 {env}，也没有 {path}；"
        "请从保存密钥的电脑复制该文件，或设置 {env}",
        "this office's journal ({office}) is keyed but its key is not here: {env} is not set "
        "and {path} does not exist; copy that file from the machine that holds it, or set {env}"),
    "error.journal_key_wrong": ("{source} 的日志密钥（{key_id}）不是本办公室的密钥（{expected}）："
                                "密钥错误，或数据库中的密钥记录被改动",
                                "the journal key from {source} ({key_id}) is not this office's "
                                "key ({expected}): a wrong key, or the key record in the "
                                "database was changed"),
    "error.journal_key_office": ("数据库中的日志密钥记录被改动：办公室标识 {office} 无效",
                                 "the journal's key record in the database was changed: "
                                 "{office} is not an office identity"),
    "error.journal_key_unreadable": ("无法读取日志密钥 {source}：{detail}",
                                     "cannot read the journal key {source}: {detail}"),
    "error.journal_key_bad": ("{source} 不是日志密钥（{size} 字节；应为 32 字节或 64 位十六进制数）",
                              "{source} is not a journal key ({size} bytes; 32 bytes or 64 hex "
                              "digits expected)"),
    "error.journal_key_unwritable": ("无法创建日志密钥 {path}：{detail}",
                                     "cannot create the journal key {path}: {detail}"),
    # restore
    "restore.confirm": ("用 {file}（结构版本 {schema}，日志 {entries} 条）替换数据库 {target}？"
                        "现有数据库将先另存一份",
                        "Replace the database {target} with {file} (schema {schema}, "
                        "{entries} journal entries)? The current database is kept aside first"),
    "restore.done": ("已从 {file} 恢复 {target}（日志 {entries} 条）",
                     "restored {target} from {file} ({entries} journal entries)"),
    "restore.saved": ("原数据库另存为 {file}：恢复有误时，用 jiedao restore {file} 撤销",
                      "the previous database is kept as {file}: undo with jiedao restore {file}"),
    "restore.upgraded": ("备份的结构版本 {schema} 较旧，已升级到 {code_version}",
                         "the backup's schema {schema} was older: upgraded to {code_version}"),
    "error.restore_memory": ("内存数据库无法恢复", "an in-memory database cannot be restored"),
    "error.restore_missing": ("备份文件 {path} 不存在", "the backup file {path} does not exist"),
    "error.restore_same": ("{path} 就是当前的数据库本身", "{path} is the office's database itself"),
    "error.restore_unreadable": ("无法读取 {path}：{detail}", "cannot read {path}: {detail}"),
    "error.restore_not_sqlite": ("{path} 不是 SQLite 数据库：未做任何改动",
                                 "{path} is not a SQLite database: nothing changed"),
    "error.restore_corrupt": ("{path} 未通过完整性检查（{detail}）：未做任何改动",
                              "{path} fails its integrity check ({detail}): nothing changed"),
    "error.restore_foreign": ("{path} 不是本程序的数据库（含有其他表：{tables}）：未做任何改动",
                              "{path} is not a jiedao database (it holds other tables: {tables}): "
                              "nothing changed"),
    "error.restore_empty": ("{path} 是空数据库，不是备份：未做任何改动",
                            "{path} is an empty database, not a backup: nothing changed"),
    "error.restore_newer": ("{path} 来自更新的程序（结构版本 {db_version}，本程序 {code_version}）："
                            "请先升级 jiedao-ledger；未做任何改动",
                            "{path} comes from a newer program (schema {db_version}, this one "
                            "{code_version}): upgrade jiedao-ledger first; nothing changed"),
    "error.restore_chain": ("{path} 的日志第 {id} 条不一致（{reason}）：未做任何改动",
                            "the journal of {path} breaks at entry {id} ({reason}): nothing changed"),
    "error.restore_checkpoint": ("{path} 与旁边的检查点 {checkpoint} 不符（检查点 {entries} 条，文件 {found} 条）："
                                 "备份在生成后被改动过；未做任何改动",
                                 "{path} does not match the checkpoint beside it, {checkpoint} "
                                 "({entries} entries there, {found} in the file): the backup was "
                                 "changed after it was made; nothing changed"),
    "error.restore_aside": ("无法把现有数据库另存到 {path}（{detail}）：未做任何改动；"
                            "若现有数据库已损坏，请先把它移走再恢复",
                            "cannot keep the current database aside as {path} ({detail}): "
                            "nothing changed; if it is damaged, move it away and restore again"),
    "error.restore_failed": ("从 {path} 恢复 {target} 失败：{detail}",
                             "restoring {target} from {path} failed: {detail}"),
    # db check
    "check.name.integrity": ("数据页完整性", "integrity"),
    "check.name.foreign_keys": ("外键", "foreign keys"),
    "check.name.journal": ("日志哈希链", "journal chain"),
    "check.name.records": ("记录与日志一致", "records against the journal"),
    "check.status.ok": ("正常", "ok"),
    "check.status.problems": ("有问题", "problems"),
    "check.status.skipped": ("不适用", "not applicable"),
    "check.line": ("{name}：{status}", "{name}: {status}"),
    "check.ok": ("数据库检查通过：日志 {entries} 条，记录 {records} 条",
                 "database check passed: {entries} journal entries, {records} records"),
    "check.found": ("发现 {count} 个问题", "{count} problems found"),
    "check.more": ("……另有 {count} 个问题（用 --json 查看全部）",
                   "…and {count} more (--json lists them all)"),
    "check.integrity": ("完整性检查：{detail}", "integrity check: {detail}"),
    "check.foreign_key": ("表 {table} 第 {row} 行指向 {parent} 中不存在的记录",
                          "table {table} row {row} points to a missing row of {parent}"),
    "check.journal": ("日志第 {id} 条不一致（{reason}）", "journal entry {id} does not match ({reason})"),
    "check.unjournaled": ("{entity} {id} 没有任何日志记录：未经本程序写入",
                          "{entity} {id} has no journal entry: written behind the ledger's back"),
    "check.deleted_but_present": ("{entity} {id} 在日志中已删除，但仍在数据库中",
                                  "{entity} {id} was deleted in the journal but is still stored"),
    "check.missing": ("{entity} {id} 在日志中存在，但已不在数据库中：未经本程序删除",
                      "{entity} {id} is in the journal but no longer stored: deleted behind the "
                      "ledger's back"),
    "check.changed": ("{entity} {id} 的{field}现为 {stored}，而日志（第 {journal_id} 条）记为 {journaled}："
                      "未经本程序修改",
                      "{entity} {id}: {field} is {stored} but its journal (entry {journal_id}) "
                      "says {journaled}: changed behind the ledger's back"),
}
