"""Messages of the TUI's own chrome (titles, keys, dialogs): key -> (Simplified Chinese, English).

Field labels (``field.*``), coded values (``value.*``) and errors belong to the areas'
catalogues; only what the app itself says lives here, every key under ``tui.``.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # shell
    "tui.app.title": ("街道台账", "Subdistrict ledger"),
    "tui.error": ("错误", "Error"),
    "tui.loading": ("正在读取…", "Loading…"),
    "tui.rows": ("第 {first}–{last} 条，共 {total} 条（第 {page}/{pages} 页）",
                 "rows {first}–{last} of {total} (page {page} of {pages})"),
    "tui.rows.none": ("没有符合条件的记录", "no matching records"),
    "tui.search_hint": ("搜索", "Search"),
    "tui.filter.all": ("全部", "all"),
    "tui.timeline": ("操作日志", "Journal"),
    "tui.timeline.empty": ("暂无日志", "no journal entries"),
    "tui.screen.dashboard": ("概览", "Overview"),
    "tui.screen.members": ("两委成员", "Committee members"),
    "tui.screen.tickets": ("代办件", "Proxy tickets"),
    "tui.screen.petitions": ("信访件", "Petitions"),
    "tui.screen.missing": ("该功能尚未提供", "that screen is not available yet"),
    # keys (footer and command palette)
    "tui.key.quit": ("退出", "Quit"),
    "tui.key.palette": ("命令", "Commands"),
    "tui.key.back": ("返回", "Back"),
    "tui.key.add": ("新增", "Add"),
    "tui.key.edit": ("修改", "Edit"),
    "tui.key.search": ("搜索", "Search"),
    "tui.key.to_list": ("回到列表", "Back to the list"),
    "tui.key.reload": ("刷新", "Refresh"),
    "tui.key.reveal": ("显示完整信息", "Reveal"),
    "tui.key.end_term": ("办理离任", "End term"),
    "tui.key.add_post": ("增加职务", "Add post"),
    "tui.key.save": ("保存", "Save"),
    "tui.key.cancel": ("取消", "Cancel"),
    "tui.key.yes": ("确认", "Yes"),
    "tui.key.no": ("不", "No"),
    "tui.key.help": ("帮助", "Help"),
    "tui.key.areas": ("显示/隐藏栏目", "Areas sidebar"),
    "tui.key.filter": ("筛选", "Filter"),
    "tui.key.close": ("关闭", "Close"),
    # help screen
    "tui.help.screen": ("本页按键：{screen}", "Keys on this screen: {screen}"),
    "tui.help.app": ("各页通用按键", "Keys on every screen"),
    "tui.help.more": ("Ctrl+P 打开命令面板：输入功能名称，或件号、姓名、编号直接打开记录。"
                      "Tab 在各栏之间移动，Esc 返回。",
                      "Ctrl+P opens the command palette: type an action's name, or a number, "
                      "name or id to open a record. Tab moves between fields, Esc goes back."),
    # command palette
    "tui.palette.open": ("打开记录", "open the record"),
    "tui.cmd.keys": ("按键帮助", "Keys"),
    "tui.cmd.keys_help": ("显示当前可用的按键", "Show the keys available here"),
    "tui.cmd.theme": ("配色", "Theme"),
    "tui.cmd.theme_help": ("更换界面配色", "Change the colour theme"),
    # buttons and forms
    "tui.button.save": ("保存", "Save"),
    "tui.button.cancel": ("取消", "Cancel"),
    "tui.button.confirm": ("确认", "Confirm"),
    "tui.button.reload": ("重新载入", "Reload"),
    "tui.button.back": ("返回表单", "Back to the form"),
    "tui.conflict.title": ("{entity} {ref} 已被他人修改", "{entity} {ref} was changed by someone else"),
    "tui.conflict.intro": ("您打开的是第 {yours} 版，现已是第 {theirs} 版。您的填写未保存，也不会丢失："
                           "重新载入取他人的修改（您改过的栏保留您的填写），或返回表单。",
                           "You opened version {yours}; it is now version {theirs}. Your edit "
                           "was not saved and is not lost: reload to take their changes (the "
                           "fields you changed keep your typing), or go back to the form."),
    "tui.conflict.theirs": ("现存：", "theirs: "),
    "tui.conflict.yours": ("您的：", "yours:  "),
    "tui.conflict.reloaded": ("已载入第 {version} 版；您的填写仍在，请核对后保存",
                              "Version {version} loaded; your typing is kept: check and save"),
    "tui.form.choose": ("请选择", "Choose"),
    "tui.form.date_hint": ("YYYY-MM-DD", "YYYY-MM-DD"),
    "tui.form.keep_hint": ("留空则不变", "leave blank to keep"),
    # dashboard
    "tui.dashboard.as_of": ("{office} · {date}", "{office} · {date}"),
    "tui.dashboard.counts": ("数量", "Counts"),
    "tui.dashboard.education": ("在任成员学历", "Education of members in office"),
    "tui.dashboard.officials": ("其中大学生村官 {count} 名", "of whom {count} college-graduate "
                                "officials"),
    "tui.dashboard.villages": ("各村", "Villages"),
    "tui.dashboard.keys": ("快捷键", "Keys"),
    "tui.figure.villages": ("村", "villages"),
    "tui.figure.members": ("在任两委成员", "members in office"),
    "tui.figure.open_tickets": ("办理中的代办件", "open proxy tickets"),
    "tui.figure.overdue_tickets": ("超期代办件", "overdue proxy tickets"),
    "tui.figure.open_petitions": ("未办结信访件", "open petitions"),
    "tui.figure.overdue_petitions": ("超期信访件", "overdue petitions"),
    # members
    "tui.members.search_hint": ("姓名、拼音（如 xsw）或电话末四位",
                                "name, pinyin (e.g. xsw) or phone tail"),
    "tui.members.status": ("在任情况", "status"),
    "tui.members.in_office": ("在任", "in office"),
    "tui.members.left": ("已离任", "left office"),
    "tui.members.add_title": ("新增两委成员", "New committee member"),
    "tui.members.edit_title": ("修改：{name}", "Edit: {name}"),
    "tui.members.end_title": ("办理离任：{name}", "End a term: {name}"),
    "tui.members.post_title": ("增加职务：{name}", "Another post: {name}"),
    "tui.members.all_posts": ("全部职务", "every post"),
    "tui.members.confirm_end": ("确认办理 {name} 的离任（{post}），离任日期 {date}？",
                                "End {name}'s term ({post}) on {date}?"),
    "tui.members.today": ("今天", "today"),
    "tui.members.terms": ("任职记录", "Terms"),
    "tui.members.none_selected": ("请先选中一名成员", "select a member first"),
}
