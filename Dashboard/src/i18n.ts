// Every text the dashboard shows comes from this one table. Chinese is the default; English is the switch.
// Placeholders are written {name} and filled by t(key, {name: value}).

import { readonly, ref, type Ref } from "vue";

export type Lang = "zh" | "en";

const table = {
  // Application
  "app.title": { zh: "峰会筹备协调平台", en: "Summit coordination" },
  "app.loading": { zh: "加载中…", en: "Loading…" },
  "app.error": { zh: "出错了：{message}", en: "Something went wrong: {message}" },
  "app.retry": { zh: "重试", en: "Retry" },
  "app.lang": { zh: "EN", en: "中文" },
  "app.langTitle": { zh: "Switch to English", en: "切换到中文" },
  "app.signOut": { zh: "退出", en: "Sign out" },
  "app.signedInAs": { zh: "{user}", en: "{user}" },
  "app.notFound": { zh: "页面不存在", en: "Page not found" },
  "nav.screen": { zh: "大屏", en: "Big screen" },
  "nav.tasks": { zh: "任务", en: "Tasks" },
  "nav.gantt": { zh: "甘特图", en: "Gantt" },
  "nav.county": { zh: "县（市、区）", en: "Counties" },
  "nav.university": { zh: "高校", en: "Universities" },
  "nav.accounts": { zh: "账号管理", en: "Accounts" },

  // Search (app bar)
  "search.label": { zh: "搜索", en: "Search" },
  "search.placeholder": { zh: "搜索任务、活动、单位、人员", en: "Search tasks, events, units, people" },
  "search.busy": { zh: "搜索中…", en: "Searching…" },
  "search.none": { zh: "没有找到“{q}”", en: "Nothing found for “{q}”" },
  "search.more": { zh: "还有更多结果", en: "More results" },
  "search.failed": { zh: "搜索失败：{detail}", en: "Search failed: {detail}" },
  "search.group.task": { zh: "任务", en: "Tasks" },
  "search.group.subEvent": { zh: "子活动", en: "Sub-events" },
  "search.group.subForum": { zh: "分论坛", en: "Sub-forums" },
  "search.group.project": { zh: "合作项目", en: "Projects" },
  "search.group.county": { zh: "县（市、区）", en: "Counties" },
  "search.group.university": { zh: "合作高校", en: "Universities" },
  "search.group.person": { zh: "人员", en: "People" },
  "search.clear": { zh: "清除", en: "Clear" },

  // Sign-in
  "login.heading": { zh: "登录", en: "Sign in" },
  "login.username": { zh: "用户名", en: "Username" },
  "login.password": { zh: "密码", en: "Password" },
  "login.submit": { zh: "登录", en: "Sign in" },
  "login.busy": { zh: "正在登录…", en: "Signing in…" },
  "login.failed": { zh: "用户名或密码错误，或账号已停用。", en: "Unknown username, wrong password or disabled account." },
  "login.throttled": { zh: "尝试次数过多，请稍后再试。", en: "Too many attempts; try again later." },
  "login.hint": { zh: "演示账号：leader、secretariat、county-pingyang、university-wmu、admin，密码 summit2020", en: "Demo accounts: leader, secretariat, county-pingyang, university-wmu, admin; password summit2020" },

  // Connection state
  "conn.connecting": { zh: "连接中", en: "Connecting" },
  "conn.live": { zh: "实时", en: "Live" },
  "conn.reconnecting": { zh: "重新连接中", en: "Reconnecting" },
  "conn.stale": { zh: "数据停留于 {time}", en: "Stale since {time}" },
  "conn.lastUpdated": { zh: "更新于 {time}", en: "Last updated {time}" },
  "conn.never": { zh: "尚未更新", en: "Not updated yet" },

  // Big screen
  "screen.countdown": { zh: "距峰会开幕", en: "Until the opening" },
  "screen.mode": { zh: "办会模式：{mode}", en: "Mode: {mode}" },
  "screen.modeSince": { zh: "自 {time} 起", en: "since {time}" },
  "summitMode.offline": { zh: "线下", en: "On site" },
  "summitMode.online": { zh: "线上", en: "Online" },
  "summitMode.hybrid": { zh: "线上线下结合", en: "Hybrid" },
  "screen.days": { zh: "天", en: "days" },
  "screen.hours": { zh: "时", en: "h" },
  "screen.minutes": { zh: "分", en: "min" },
  "screen.seconds": { zh: "秒", en: "s" },
  "screen.opened": { zh: "峰会已开幕", en: "The summit is open" },
  "screen.openingOn": { zh: "{date} 开幕 · {city}", en: "Opens {date} · {city}" },
  "screen.readiness": { zh: "总体就绪度", en: "Overall readiness" },
  "screen.reasons": { zh: "扣分原因", en: "Why not 100" },
  "screen.noReasons": { zh: "全部就绪", en: "Everything is ready" },
  "screen.readinessAsOf": { zh: "评分时间 {time}", en: "Scored at {time}" },
  "screen.points": { zh: "-{points}分", en: "-{points}" },
  "screen.inputs": { zh: "任务 {task} · 清单 {checklist} · 进度 {schedule}", en: "Tasks {task} · checklist {checklist} · schedule {schedule}" },
  "screen.tasks": { zh: "任务 {done}/{total} 已完成 · {open} 项进行中", en: "Tasks {done}/{total} done · {open} open" },
  "screen.counties": { zh: "各县（市、区）分会场", en: "County venues" },
  "screen.overdueLabel": { zh: "逾期", en: "late" },
  "screen.subEventsReadyLabel": { zh: "就绪活动", en: "ready" },
  "screen.checklistLabel": { zh: "清单", en: "checklist" },
  "screen.subForums": { zh: "子论坛进度", en: "Sub-forums" },
  "screen.speakers": { zh: "嘉宾 {confirmed}/{planned}", en: "Speakers {confirmed}/{planned}" },
  "screen.funnel": { zh: "合作项目漏斗", en: "Cooperation projects" },
  "screen.targets": { zh: "目标完成", en: "Against the targets" },
  "screen.notTracked": { zh: "暂无数据", en: "not tracked" },
  "screen.overdue": { zh: "逾期任务", en: "Overdue tasks" },
  "screen.dueThisWeek": { zh: "本周到期", en: "Due this week" },
  "screen.ofTotal": { zh: "共 {n} 项", en: "{n} in all" },
  "screen.none": { zh: "无", en: "None" },
  "screen.overdueBy": { zh: "逾期 {n} 天", en: "{n} d late" },
  "screen.overdueHours": { zh: "逾期 {n} 小时", en: "{n} h late" },
  "screen.dueOn": { zh: "{date} 到期", en: "due {date}" },
  "screen.feed": { zh: "实时动态", en: "Live activity" },
  "screen.feedEmpty": { zh: "暂无动态", en: "No activity yet" },
  "screen.projects": { zh: "项目", en: "projects" },
  "screen.atRisk": { zh: "开幕存在风险", en: "Opening at risk" },
  "screen.onSchedule": { zh: "进度正常", en: "On schedule" },
  "screen.negativeSlack": { zh: "{n} 项任务时差为负", en: "Tasks with negative slack: {n}" },
  "screen.projectedFinish": { zh: "筹备预计 {finish} 完成 · {opening} 开幕", en: "Preparation projected to finish {finish} · opening {opening}" },
  "screen.preparationDone": { zh: "筹备任务均已完成 · {opening} 开幕", en: "No preparation work open · opening {opening}" },
  "screen.criticalPath": { zh: "关键路径（{n} 项）：", en: "Critical path ({n}):" },
  "screen.countyBehind": { zh: "滞后 {n} 个工作日", en: "{n} workdays behind" },
  "screen.countyBehindTitle": { zh: "最小时差 {slack} 个工作日，预计 {finish} 完成", en: "Least slack {slack} working days; projected to finish {finish}" },
  "screen.enterprises": { zh: "企业", en: "enterprises" },

  // Secretariat task table
  "tasks.heading": { zh: "筹备任务", en: "Preparation tasks" },
  "tasks.category": { zh: "类别", en: "Category" },
  "tasks.text": { zh: "关键词", en: "Text" },
  "tasks.textHint": { zh: "标题、编号、负责人", en: "Title, id, assignee" },
  "tasks.unit": { zh: "责任单位", en: "Unit" },
  "tasks.status": { zh: "状态", en: "Status" },
  "tasks.dueFrom": { zh: "到期自", en: "Due from" },
  "tasks.dueTo": { zh: "到期至", en: "Due to" },
  "tasks.overdueOnly": { zh: "仅看逾期", en: "Overdue only" },
  "tasks.all": { zh: "全部", en: "All" },
  "tasks.reset": { zh: "清除筛选", en: "Clear filters" },
  "tasks.title": { zh: "任务", en: "Task" },
  "tasks.assignee": { zh: "负责人", en: "Assignee" },
  "tasks.due": { zh: "截止", en: "Due" },
  "tasks.progress": { zh: "进度", en: "Progress" },
  "tasks.count": { zh: "共 {total} 项，第 {from}–{to} 项", en: "{from}–{to} of {total}" },
  "tasks.empty": { zh: "没有符合条件的任务", en: "No tasks match" },
  "tasks.prev": { zh: "上一页", en: "Previous" },
  "tasks.next": { zh: "下一页", en: "Next" },
  "tasks.overdueBadge": { zh: "逾期", en: "overdue" },
  "tasks.milestone": { zh: "里程碑", en: "milestone" },
  "tasks.saved": { zh: "已保存：{title}", en: "Saved: {title}" },
  "tasks.conflict": { zh: "该任务已被他人修改，已刷新为最新内容，请重新操作。", en: "Someone else changed this task; it was reloaded, please try again." },
  "tasks.refused": { zh: "未保存：{detail}", en: "Not saved: {detail}" },
  "tasks.new": { zh: "新建任务", en: "New task" },
  "tasks.edit": { zh: "编辑", en: "Edit" },
  "tasks.start": { zh: "计划开始", en: "Start" },
  "tasks.duration": { zh: "工期", en: "Duration" },
  "tasks.days": { zh: "{n} 个工作日", en: "{n} working days" },
  "tasks.archivedOnly": { zh: "已归档", en: "Archived" },
  "tasks.archivedBadge": { zh: "已归档", en: "archived" },
  "tasks.select": { zh: "选择", en: "Select" },
  "tasks.selectAll": { zh: "全选本页", en: "Select the page" },

  // Task form (create and edit)
  "taskForm.createTitle": { zh: "新建任务", en: "New task" },
  "taskForm.editTitle": { zh: "编辑任务", en: "Edit task" },
  "taskForm.title": { zh: "任务名称", en: "Title" },
  "taskForm.category": { zh: "类别", en: "Category" },
  "taskForm.owner": { zh: "责任单位", en: "Owning unit" },
  "taskForm.assignee": { zh: "负责人", en: "Assignee" },
  "taskForm.dueDate": { zh: "截止日期", en: "Due date" },
  "taskForm.dueTime": { zh: "截止时间（可选）", en: "Due time (optional)" },
  "taskForm.milestone": { zh: "里程碑", en: "Milestone" },
  "taskForm.dependsOn": { zh: "前置任务", en: "Depends on" },
  "taskForm.dependsOnHint": { zh: "输入任务名称搜索", en: "Type a title to search" },
  "taskForm.start": { zh: "计划开始日期", en: "Planned start" },
  "taskForm.durationDays": { zh: "工期（工作日）", en: "Duration (working days)" },
  "taskForm.note": { zh: "说明（记入历史）", en: "Note (kept in the history)" },
  "taskForm.save": { zh: "保存", en: "Save" },
  "taskForm.cancel": { zh: "取消", en: "Cancel" },
  "taskForm.saving": { zh: "正在保存…", en: "Saving…" },
  "taskForm.created": { zh: "已新建：{title}", en: "Created: {title}" },
  "taskForm.nothingChanged": { zh: "没有需要保存的修改", en: "Nothing changed" },
  "taskForm.required": { zh: "必填", en: "Required" },
  "taskForm.tooLong": { zh: "内容过长", en: "Too long" },
  "taskForm.badNumber": { zh: "请输入 0–1000 的整数", en: "A whole number 0–1000" },
  "taskForm.startAfterDue": { zh: "开始日期不能晚于截止日期", en: "The start must be on or before the due date" },
  "taskForm.badTime": { zh: "时间格式为 时:分", en: "Time as HH:mm" },
  "taskForm.conflictTitle": { zh: "保存冲突：该任务已被他人修改", en: "Conflict: someone else changed this task" },
  "taskForm.conflictText": { zh: "{account} 于 {time} 先保存了该任务（版本 {version}）。您的修改尚未保存，请对比后选择：", en: "{account} saved this task first at {time} (version {version}). Your changes are not saved yet; compare and choose:" },
  "taskForm.field": { zh: "字段", en: "Field" },
  "taskForm.mine": { zh: "您的版本", en: "Yours" },
  "taskForm.theirs": { zh: "对方的版本（已保存）", en: "Theirs (saved)" },
  "taskForm.reload": { zh: "放弃我的修改，载入最新版本", en: "Discard mine and reload" },
  "taskForm.keepMine": { zh: "在最新版本上保留我的修改", en: "Keep my changes on the latest version" },

  // Task detail
  "taskDetail.back": { zh: "返回任务列表", en: "Back to the tasks" },
  "taskDetail.notFound": { zh: "找不到该任务，或无权查看。", en: "This task does not exist or is not yours to see." },
  "taskDetail.fields": { zh: "任务信息", en: "Details" },
  "taskDetail.history": { zh: "变更历史", en: "History" },
  "taskDetail.noHistory": { zh: "暂无变更记录", en: "No changes yet" },
  "taskDetail.who": { zh: "修改人", en: "Who" },
  "taskDetail.when": { zh: "时间", en: "When" },
  "taskDetail.what": { zh: "变更内容", en: "What changed" },
  "taskDetail.before": { zh: "修改前", en: "Before" },
  "taskDetail.after": { zh: "修改后", en: "After" },
  "taskDetail.note": { zh: "说明", en: "Note" },
  "taskDetail.created": { zh: "创建任务", en: "Created the task" },
  "taskDetail.archive": { zh: "归档", en: "Archive" },
  "taskDetail.restore": { zh: "恢复", en: "Restore" },
  "taskDetail.archiveNote": { zh: "归档/恢复原因（记入历史）", en: "Why (kept in the history)" },
  "taskDetail.archived": { zh: "该任务已归档：不在默认列表和大屏统计中。", en: "This task is archived: out of the default list and the dashboard figures." },
  "taskDetail.archivedDone": { zh: "已归档：{title}", en: "Archived: {title}" },
  "taskDetail.restoredDone": { zh: "已恢复：{title}", en: "Restored: {title}" },
  "taskDetail.dependencies": { zh: "前置任务", en: "Depends on" },
  "taskDetail.none": { zh: "无", en: "None" },
  "taskDetail.updated": { zh: "{account} 更新于 {time} · 版本 {version}", en: "Updated by {account} at {time} · version {version}" },
  "taskDetail.more": { zh: "加载更多", en: "Load more" },

  // Gantt view
  "gantt.heading": { zh: "筹备甘特图", en: "Preparation timeline" },
  "gantt.opening": { zh: "峰会开幕", en: "Opening day" },
  "gantt.legendTask": { zh: "任务", en: "Task" },
  "gantt.legendCritical": { zh: "关键路径", en: "Critical path" },
  "gantt.legendConflict": { zh: "进度冲突（时差为负）", en: "Schedule conflict (negative slack)" },
  "gantt.legendMilestone": { zh: "里程碑", en: "Milestone" },
  "gantt.dragHint": { zh: "拖动任务条可调整开始和截止日期", en: "Drag or stretch a bar to move its start and due date" },
  "gantt.conflicts": { zh: "进度冲突 {n} 处", en: "Schedule conflicts: {n}" },
  "gantt.conflictLine": { zh: "「{task}」的前置任务「{prerequisite}」预计 {finish} 完成，晚于其截止日期 {due}", en: "“{task}” waits for “{prerequisite}”, projected to finish {finish}, after its due date {due}" },
  "taskDetail.conflicts": { zh: "进度冲突", en: "Schedule conflicts" },

  // Bulk edit of the selected tasks
  "bulk.heading": { zh: "批量修改已选 {n} 项", en: "Change the {n} selected" },
  "bulk.owner": { zh: "改责任单位", en: "Move to unit" },
  "bulk.shift": { zh: "截止日期顺延（天，负数提前）", en: "Shift due dates by (days, negative = earlier)" },
  "bulk.status": { zh: "改状态", en: "Set status" },
  "bulk.keep": { zh: "不修改", en: "Keep" },
  "bulk.apply": { zh: "逐项应用", en: "Apply to each" },
  "bulk.clear": { zh: "取消选择", en: "Clear selection" },
  "bulk.result": { zh: "已完成：{ok} 项成功，{failed} 项失败，{skipped} 项无需修改", en: "Done: {ok} changed, {failed} failed, {skipped} unchanged" },
  "bulk.ok": { zh: "已保存", en: "Saved" },
  "bulk.skipped": { zh: "无需修改", en: "Unchanged" },
  "bulk.conflict": { zh: "已被他人修改，未保存", en: "Changed by someone else; not saved" },
  "bulk.failed": { zh: "未保存：{detail}", en: "Not saved: {detail}" },

  // County view
  "county.heading": { zh: "{name}分会场", en: "{name} venue" },
  "county.venue": { zh: "会场：{venue}", en: "Venue: {venue}" },
  "county.lead": { zh: "负责人：{lead}", en: "Lead: {lead}" },
  "county.readiness": { zh: "就绪度", en: "Readiness" },
  "county.subEvents": { zh: "子活动", en: "Sub-events" },
  "county.noSubEvents": { zh: "尚无子活动", en: "No sub-events yet" },
  "county.notFound": { zh: "找不到该县（市、区），或无权查看。", en: "This county does not exist or is not yours to see." },
  "county.choose": { zh: "选择县（市、区）", en: "Choose a county" },
  "county.move": { zh: "改为：", en: "Move to:" },
  "county.readyNeedsChecklist": { zh: "清单全部完成后才能设为就绪", en: "Ready needs every checklist item done" },
  "county.setAside": { zh: "预案外·已搁置", en: "Set aside" },
  "county.setAsideHint": { zh: "属于其他办会模式的预案，切换模式后恢复", en: "Belongs to another mode's contingency plan; restored when the mode switches back" },
  "county.saved": { zh: "已更新", en: "Updated" },
  "county.conflict": { zh: "内容已被他人更新，已刷新，请重新操作。", en: "Someone else updated this; it was reloaded, please try again." },
  "county.refused": { zh: "未保存：{detail}", en: "Not saved: {detail}" },
  "county.updatedBy": { zh: "{account} 更新于 {time}", en: "Updated by {account} at {time}" },
  "county.tapHint": { zh: "点按清单项切换：未开始 → 进行中 → 已完成", en: "Tap an item to move it: open → in progress → done" },
  "county.readOnly": { zh: "只读", en: "Read only" },
  "county.schedule": { zh: "预计 {finish} 完成 · 最小时差 {slack} 个工作日", en: "Projected to finish {finish} · least slack {slack} working days" },
  "county.scheduleNone": { zh: "暂无未完成任务", en: "No open tasks" },
  "county.editDetails": { zh: "修改信息", en: "Edit details" },

  // Account management (admin)
  "accounts.heading": { zh: "账号管理", en: "Accounts" },
  "accounts.create": { zh: "新建账号", en: "New account" },
  "accounts.username": { zh: "用户名", en: "Username" },
  "accounts.displayName": { zh: "显示名称", en: "Display name" },
  "accounts.role": { zh: "角色", en: "Role" },
  "accounts.unit": { zh: "所属单位", en: "Unit" },
  "accounts.password": { zh: "初始密码", en: "Initial password" },
  "accounts.newPassword": { zh: "新密码", en: "New password" },
  "accounts.state": { zh: "状态", en: "State" },
  "accounts.enabled": { zh: "启用", en: "Enabled" },
  "accounts.disabled": { zh: "已停用", en: "Disabled" },
  "accounts.actions": { zh: "操作", en: "Actions" },
  "accounts.edit": { zh: "修改", en: "Edit" },
  "accounts.resetPassword": { zh: "重置密码", en: "Reset password" },
  "accounts.disable": { zh: "停用", en: "Disable" },
  "accounts.enable": { zh: "启用", en: "Enable" },
  "accounts.noUnit": { zh: "—", en: "—" },
  "accounts.count": { zh: "共 {total} 个账号，第 {from}–{to} 个", en: "{from}–{to} of {total} accounts" },
  "accounts.empty": { zh: "暂无账号", en: "No accounts" },
  "accounts.createTitle": { zh: "新建账号", en: "New account" },
  "accounts.editTitle": { zh: "修改账号 {username}", en: "Edit account {username}" },
  "accounts.passwordTitle": { zh: "重置 {username} 的密码", en: "Reset the password of {username}" },
  "accounts.passwordHint": { zh: "8–128 个字符；重置后该账号需用新密码重新登录。", en: "8-128 characters; the account must sign in again with it." },
  "accounts.unitHint": { zh: "更换所属单位后，该账号需重新登录。", en: "After a change of unit the account must sign in again." },
  "accounts.usernameHint": { zh: "小写字母、数字及 . _ @ -，如 county-pingyang", en: "Lower-case letters, digits, . _ @ -, e.g. county-pingyang" },
  "accounts.chooseUnit": { zh: "请选择", en: "Choose" },
  "accounts.save": { zh: "保存", en: "Save" },
  "accounts.cancel": { zh: "取消", en: "Cancel" },
  "accounts.confirm": { zh: "确定", en: "Confirm" },
  "accounts.confirmTitle": { zh: "请确认", en: "Please confirm" },
  "accounts.confirmCreate": { zh: "确定新建账号 {username}（{role}{unit}）？", en: "Create the account {username} ({role}{unit})?" },
  "accounts.confirmEdit": { zh: "确定保存对 {username} 的修改？", en: "Save the changes to {username}?" },
  "accounts.confirmUnit": { zh: "确定将 {username} 的所属单位改为 {unit}？该账号需重新登录。", en: "Move {username} to {unit}? The account must sign in again." },
  "accounts.confirmDisable": { zh: "确定停用账号 {username}？停用后无法登录，已登录的会话立即失效。", en: "Disable {username}? It can no longer sign in and its sessions end at once." },
  "accounts.confirmEnable": { zh: "确定启用账号 {username}？", en: "Enable {username}?" },
  "accounts.confirmPassword": { zh: "确定重置 {username} 的密码？其已登录的会话将失效。", en: "Reset the password of {username}? Its sessions end." },
  "accounts.created": { zh: "已新建账号 {username}", en: "Created {username}" },
  "accounts.saved": { zh: "已保存 {username}", en: "Saved {username}" },
  "accounts.disabledDone": { zh: "已停用 {username}", en: "Disabled {username}" },
  "accounts.enabledDone": { zh: "已启用 {username}", en: "Enabled {username}" },
  "accounts.passwordDone": { zh: "已重置 {username} 的密码", en: "Reset the password of {username}" },
  "accounts.refused": { zh: "未保存：{detail}", en: "Not saved: {detail}" },
  "role.secretariat": { zh: "秘书处", en: "Secretariat" },
  "role.leader": { zh: "领导", en: "Leader" },
  "role.county": { zh: "县（市、区）", en: "County" },
  "role.university": { zh: "高校", en: "University" },
  "role.admin": { zh: "系统管理员", en: "Administrator" },

  // A field's problem as the API reports it, led by the field's name
  "problem.field": { zh: "{field}：{message}", en: "{field}: {message}" },

  // A university's sub-forums and projects
  "university.heading": { zh: "{name}", en: "{name}" },
  "university.contact": { zh: "联系部门：{unit}", en: "Contact: {unit}" },
  "university.engagement": { zh: "合作状态：{state}", en: "Engagement: {state}" },
  "university.choose": { zh: "选择高校", en: "Choose a university" },
  "university.notFound": { zh: "找不到该高校，或无权查看。", en: "This university does not exist or is not yours to see." },
  "university.subForums": { zh: "承办的子论坛", en: "Hosted sub-forums" },
  "university.noSubForums": { zh: "暂无承办的子论坛", en: "No hosted sub-forums" },
  "university.projects": { zh: "参与的合作项目", en: "Partner projects" },
  "university.noProjects": { zh: "暂无合作项目", en: "No partner projects" },
  "university.readOnly": { zh: "只读", en: "Read only" },
  "university.edit": { zh: "编辑", en: "Edit" },
  "university.save": { zh: "保存", en: "Save" },
  "university.cancel": { zh: "取消", en: "Cancel" },
  "university.editSubForum": { zh: "编辑子论坛", en: "Edit sub-forum" },
  "university.editProject": { zh: "编辑合作项目", en: "Edit project" },
  "university.time": { zh: "{day} {start}–{end}", en: "{day} {start}-{end}" },
  "university.speakers": { zh: "嘉宾 {confirmed}/{planned} 已确认", en: "Speakers {confirmed}/{planned} confirmed" },
  "university.countyOf": { zh: "落地：{county}", en: "Lands in: {county}" },
  "university.enterprises": { zh: "对接企业 {n} 家", en: "{n} enterprises" },
  "university.signing": { zh: "签约日期 {date}", en: "Signing {date}" },
  "university.note": { zh: "修改说明（选填）", en: "Why (optional)" },
  "university.nothingChanged": { zh: "没有修改", en: "Nothing changed" },
  "university.saved": { zh: "已保存：{title}", en: "Saved: {title}" },
  "university.conflict": { zh: "保存前已有他人修改了“{title}”，表单已刷新为最新内容，请核对后重新保存。", en: "Someone else changed “{title}” first; the form now shows their version, check it and save again." },
  "university.refused": { zh: "未保存：{detail}", en: "Not saved: {detail}" },
  "university.updatedBy": { zh: "{account} 更新于 {time}", en: "Updated by {account} at {time}" },
  "format.offline": { zh: "线下", en: "On site" },
  "format.online": { zh: "线上", en: "Online" },
  "format.hybrid": { zh: "线上线下结合", en: "Hybrid" },

  // A county's own tasks
  "countyTasks.tabVenue": { zh: "分会场", en: "Venue" },
  "countyTasks.tabTasks": { zh: "本县任务", en: "Our tasks" },
  "countyTasks.heading": { zh: "{name}负责的任务", en: "Tasks {name} owns" },
  "countyTasks.empty": { zh: "暂无任务", en: "No tasks" },
  "countyTasks.count": { zh: "共 {total} 项，第 {from}–{to} 项", en: "{from}–{to} of {total}" },
  "countyTasks.due": { zh: "截止 {date}", en: "Due {date}" },
  "countyTasks.assignee": { zh: "负责人：{name}", en: "Assignee: {name}" },
  "countyTasks.update": { zh: "更新进度", en: "Update" },
  "countyTasks.status": { zh: "状态", en: "Status" },
  "countyTasks.percent": { zh: "完成百分比", en: "Percent complete" },
  "countyTasks.note": { zh: "进展说明", en: "Progress note" },
  "countyTasks.save": { zh: "保存", en: "Save" },
  "countyTasks.cancel": { zh: "取消", en: "Cancel" },
  "countyTasks.saved": { zh: "已更新：{title}", en: "Updated: {title}" },
  "countyTasks.conflict": { zh: "保存前已有他人更新了“{title}”，已刷新为最新内容，请核对后重新保存。", en: "Someone else updated “{title}” first; it was reloaded, check it and save again." },
  "countyTasks.refused": { zh: "未保存：{detail}", en: "Not saved: {detail}" },
  "countyTasks.nothingChanged": { zh: "没有修改", en: "Nothing changed" },

  // Notifications (the bell in the app bar)
  "notify.title": { zh: "通知", en: "Notifications" },
  "notify.bell": { zh: "通知，{n} 条未读", en: "Notifications, {n} unread" },
  "notify.markAllRead": { zh: "全部标为已读", en: "Mark all read" },
  "notify.markRead": { zh: "标为已读", en: "Mark read" },
  "notify.empty": { zh: "暂无通知", en: "No notifications" },
  "notify.failed": { zh: "通知未能更新：{detail}", en: "Notifications not updated: {detail}" },
  "notifyKind.dueSoon": { zh: "即将到期", en: "Due soon" },
  "notifyKind.dueToday": { zh: "今日到期", en: "Due today" },
  "notifyKind.overdue": { zh: "已逾期", en: "Overdue" },
  "notifyKind.escalated": { zh: "逾期升级", en: "Escalated" },
  "notifyKind.modeSwitched": { zh: "办会模式切换", en: "Mode switched" },

  // Feed texts
  "feed.by": { zh: "{account}", en: "{account}" },
  "feed.created": { zh: "新建", en: "created" },
  "feed.separator": { zh: "；", en: "; " },
  "actor.system": { zh: "系统", en: "system" },

  // Entity kinds
  "kind.summit": { zh: "峰会", en: "Summit" },
  "kind.task": { zh: "任务", en: "Task" },
  "kind.subForum": { zh: "子论坛", en: "Sub-forum" },
  "kind.county": { zh: "分会场", en: "County" },
  "kind.subEvent": { zh: "子活动", en: "Sub-event" },
  "kind.project": { zh: "合作项目", en: "Project" },
  "kind.university": { zh: "合作高校", en: "University" },

  // Task statuses
  "workStatus.notStarted": { zh: "未开始", en: "Not started" },
  "workStatus.inProgress": { zh: "进行中", en: "In progress" },
  "workStatus.blocked": { zh: "受阻", en: "Blocked" },
  "workStatus.done": { zh: "已完成", en: "Done" },
  "workStatus.cancelled": { zh: "已取消", en: "Cancelled" },

  // Sub-event statuses
  "subEventStatus.planned": { zh: "筹划中", en: "Planned" },
  "subEventStatus.preparing": { zh: "筹备中", en: "Preparing" },
  "subEventStatus.ready": { zh: "已就绪", en: "Ready" },
  "subEventStatus.held": { zh: "已举办", en: "Held" },
  "subEventStatus.cancelled": { zh: "已取消", en: "Cancelled" },

  // Checklist
  "checklist.venue": { zh: "场地", en: "Venue" },
  "checklist.programme": { zh: "议程", en: "Programme" },
  "checklist.guests": { zh: "嘉宾邀请", en: "Guests" },
  "checklist.epidemicPrevention": { zh: "疫情防控", en: "Epidemic prevention" },
  "checklist.publicity": { zh: "宣传", en: "Publicity" },
  "checklist.logistics": { zh: "会务保障", en: "Logistics" },
  "checklistState.open": { zh: "未开始", en: "Open" },
  "checklistState.inProgress": { zh: "进行中", en: "In progress" },
  "checklistState.done": { zh: "已完成", en: "Done" },

  // Sub-forum statuses
  "subForumStatus.planned": { zh: "筹划中", en: "Planned" },
  "subForumStatus.programmeSet": { zh: "议程已定", en: "Programme set" },
  "subForumStatus.speakersConfirmed": { zh: "嘉宾已确认", en: "Speakers confirmed" },
  "subForumStatus.venueReady": { zh: "会场就绪", en: "Venue ready" },
  "subForumStatus.rehearsed": { zh: "已彩排", en: "Rehearsed" },
  "subForumStatus.live": { zh: "进行中", en: "Live" },
  "subForumStatus.concluded": { zh: "已结束", en: "Concluded" },

  // Project stages
  "projectStage.identified": { zh: "已识别", en: "Identified" },
  "projectStage.matched": { zh: "已对接", en: "Matched" },
  "projectStage.negotiating": { zh: "洽谈中", en: "Negotiating" },
  "projectStage.readyToSign": { zh: "待签约", en: "Ready to sign" },
  "projectStage.signed": { zh: "已签约", en: "Signed" },
  "projectStage.landed": { zh: "已落地", en: "Landed" },

  // Targets
  "target.innovationAlliances": { zh: "创新联盟", en: "Innovation alliances" },
  "target.cooperationProjects": { zh: "合作项目", en: "Cooperation projects" },
  "target.enterprises": { zh: "对接企业", en: "Enterprises" },
  "target.startupFinalists": { zh: "创业大赛决赛项目", en: "Startup finalists" },

  // Task categories
  "category.approval": { zh: "报批", en: "Approvals" },
  "category.plan": { zh: "方案", en: "Plan" },
  "category.organisation": { zh: "组织架构", en: "Organisation" },
  "category.budget": { zh: "预算", en: "Budget" },
  "category.logistics": { zh: "会务保障", en: "Logistics" },
  "category.office": { zh: "集中办公", en: "Office" },
  "category.venue": { zh: "会场", en: "Venues" },
  "category.publicity": { zh: "宣传", en: "Publicity" },
  "category.epidemicPrevention": { zh: "疫情防控", en: "Epidemic prevention" },
  "category.contingency": { zh: "预案", en: "Contingency" },
  "category.partnership": { zh: "对接", en: "Partnerships" },
  "category.awards": { zh: "专项奖", en: "Awards" },
  "category.policy": { zh: "专项政策", en: "Policies" },

  // Units
  "unitKind.secretariat": { zh: "秘书处", en: "Secretariat" },
  "unitKind.county": { zh: "县（市、区）", en: "County" },
  "unitKind.university": { zh: "高校", en: "University" },
  "dept.office": { zh: "秘书处办公室", en: "Secretariat office" },
  "dept.academic": { zh: "学术活动部", en: "Academic events" },
  "dept.publicity": { zh: "宣传部", en: "Publicity" },
  "dept.liaison": { zh: "联络对接部", en: "Liaison" },
  "dept.logistics": { zh: "会务保障部", en: "Logistics" },
  "dept.international": { zh: "国际联络部", en: "International liaison" },
  "dept.finance": { zh: "财务组", en: "Finance" },
  "countyName.lucheng": { zh: "鹿城区", en: "Lucheng" },
  "countyName.longwan": { zh: "龙湾区", en: "Longwan" },
  "countyName.ouhai": { zh: "瓯海区", en: "Ouhai" },
  "countyName.dongtou": { zh: "洞头区", en: "Dongtou" },
  "countyName.yueqing": { zh: "乐清市", en: "Yueqing" },
  "countyName.ruian": { zh: "瑞安市", en: "Ruian" },
  "countyName.yongjia": { zh: "永嘉县", en: "Yongjia" },
  "countyName.wencheng": { zh: "文成县", en: "Wencheng" },
  "countyName.pingyang": { zh: "平阳县", en: "Pingyang" },
  "countyName.taishun": { zh: "泰顺县", en: "Taishun" },
  "countyName.cangnan": { zh: "苍南县", en: "Cangnan" },
  "countyName.longgang": { zh: "龙港市", en: "Longgang" },
  "universityName.wmu": { zh: "温州医科大学", en: "Wenzhou Medical University" },
  "universityName.wzu": { zh: "温州大学", en: "Wenzhou University" },
  "universityName.wzpt": { zh: "温州职业技术学院", en: "Wenzhou Polytechnic" },
  "universityName.wzvcst": { zh: "温州科技职业学院", en: "Wenzhou Vocational College of Sci. & Tech." },

  // Field names in change records
  "field.status": { zh: "状态", en: "status" },
  "field.percentComplete": { zh: "进度", en: "progress" },
  "field.assignee": { zh: "负责人", en: "assignee" },
  "field.dueDate": { zh: "截止日期", en: "due date" },
  "field.due": { zh: "截止日期", en: "due date" },
  "field.stage": { zh: "阶段", en: "stage" },
  "field.title": { zh: "标题", en: "title" },
  "field.theme": { zh: "主题", en: "theme" },
  "field.speakers": { zh: "嘉宾", en: "speakers" },
  "field.engagement": { zh: "合作状态", en: "engagement" },
  "field.enterprisesInvolved": { zh: "对接企业", en: "enterprises" },
  "field.lead": { zh: "负责人", en: "lead" },
  "field.venue": { zh: "场地", en: "venue" },
  "field.date": { zh: "日期", en: "date" },
  "field.category": { zh: "类别", en: "category" },
  "field.owner": { zh: "责任单位", en: "unit" },
  "field.milestone": { zh: "里程碑", en: "milestone" },
  "field.dependsOn": { zh: "前置任务", en: "depends on" },
  "field.name": { zh: "名称", en: "name" },
  "field.industry": { zh: "产业", en: "industry" },
  "field.partners": { zh: "合作方", en: "partners" },
  "field.signingDate": { zh: "签约日期", en: "signing date" },
  "field.day": { zh: "日期", en: "day" },
  "field.start": { zh: "开始", en: "start" },
  "field.end": { zh: "结束", en: "end" },
  "field.format": { zh: "形式", en: "format" },
  "field.hostUniversity": { zh: "承办高校", en: "host" },
  "field.contactUnit": { zh: "联系部门", en: "contact" },
  "field.subEvents": { zh: "子活动", en: "sub-events" },
  "field.username": { zh: "用户名", en: "username" },
  "field.displayName": { zh: "显示名称", en: "display name" },
  "field.role": { zh: "角色", en: "role" },
  "field.unit": { zh: "所属单位", en: "unit" },
  "field.password": { zh: "密码", en: "password" },
  "field.note": { zh: "说明", en: "note" },
  "field.county": { zh: "落地县（市、区）", en: "county" },
  "field.universities": { zh: "合作高校", en: "universities" },
  "field.plan": { zh: "预案", en: "plan" },
  "field.durationDays": { zh: "工期（工作日）", en: "duration (working days)" },
  "field.archived": { zh: "归档", en: "archived" },
  "field.remainingDays": { zh: "剩余工作日", en: "remaining days" },
  "field.subForum": { zh: "子论坛", en: "sub-forum" },
  "field.setAside": { zh: "预案外搁置", en: "set aside" },
  "flag.true": { zh: "是", en: "yes" },
  "flag.false": { zh: "否", en: "no" },
  "engagement.contacted": { zh: "已联系", en: "contacted" },
  "engagement.engaged": { zh: "已对接", en: "engaged" },
  "engagement.committed": { zh: "已确定", en: "committed" },
  "engagement.withdrawn": { zh: "已退出", en: "withdrawn" },
} as const satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof table;

const storageKey = "summit.lang";
/** Reactive: templates and computed values that call t() follow a switch of language by themselves. */
const current = ref<Lang>(initialLang());

function initialLang(): Lang {
  const fromQuery = new URLSearchParams(location.search).get("lang");
  if (fromQuery === "en" || fromQuery === "zh") return fromQuery;
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored === "en" || stored === "zh") return stored;
  } catch {
    // Storage may be unavailable (private mode, kiosk policies); Chinese is the default anyway.
  }
  return "zh";
}

export function lang(): Lang {
  return current.value;
}

/** The language as a read-only ref, for watchers (the charts draw again) and Element Plus's locale. */
export const langRef: Readonly<Ref<Lang>> = readonly(current);

export function setLang(value: Lang): void {
  if (value === current.value) return;
  current.value = value;
  try {
    localStorage.setItem(storageKey, value);
  } catch {
    // Not remembered, still switched.
  }
  document.documentElement.lang = value === "zh" ? "zh-CN" : "en";
}

export function toggleLang(): void {
  setLang(current.value === "zh" ? "en" : "zh");
}

export function t(key: TextKey, params?: Record<string, string | number>): string {
  let text: string = table[key][current.value];
  if (params) for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

/** A label from the table by dynamic key (enum values, codes), or the fallback when the table has none. */
export function label(prefix: string, value: string | null | undefined, fallback?: string): string {
  if (value == null) return fallback ?? "";
  const key = `${prefix}.${value}` as TextKey;
  return key in table ? t(key) : fallback ?? value;
}

export function hasLabel(prefix: string, value: string): boolean {
  return `${prefix}.${value}` in table;
}

/** Chooses the server-supplied text in the current language (readiness reasons carry both). */
export function pick(zh: string, en: string): string {
  return current.value === "zh" ? zh : en;
}

document.documentElement.lang = current.value === "zh" ? "zh-CN" : "en";
