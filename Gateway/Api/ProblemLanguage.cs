using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Summit.Domain;

namespace Summit.Gateway.Api;

/// <summary>
/// The language of every problem response: Chinese (zh-CN) unless the request's <c>Accept-Language</c> prefers English.
/// The rules and the grains word their refusals in English; this is the one place that turns a problem's title, detail
/// and field messages into Chinese, and names each field by its Chinese label in the detail. The <c>errors</c> map keeps
/// the API's field names as keys, so a client can still place each message beside its field.
/// </summary>
public static partial class ProblemLanguage
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>Chinese unless the first language the request accepts (by quality, then order) is English.</summary>
    public static string Of(HttpContext http)
    {
        IList<StringWithQualityHeaderValue> accepted;
        try
        {
            accepted = http.Request.GetTypedHeaders().AcceptLanguage;
        }
        catch (FormatException)
        {
            return Chinese;
        }
        foreach (var language in accepted.OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return English;
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || tag == "*") return Chinese;
        }
        return Chinese;
    }

    /// <summary>Puts a problem into the request's language and says which one in <c>Content-Language</c>.</summary>
    public static void Apply(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var language = Of(http);
        if (!http.Response.HasStarted) http.Response.Headers.ContentLanguage = language;
        if (language == English) return;

        if (problem.Title is { } title) problem.Title = Title(title, problem.Status);
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } invalid)
        {
            foreach (var field in invalid.Errors.Keys.ToArray())
                invalid.Errors[field] = invalid.Errors[field].Select(Message).ToArray();
            var fields = string.Join("；", invalid.Errors.Select(e => $"{Label(e.Key)}：{string.Join(" ", e.Value)}"));
            problem.Detail = problem.Status == StatusCodes.Status403Forbidden ? $"您无权修改：{fields}" : $"请检查：{fields}";
        }
        else if (problem.Detail is { } detail)
        {
            problem.Detail = Detail(detail);
        }
    }

    /// <summary>The Chinese label of a field as the API names it: <c>owner.kind</c> → 负责单位·类型, <c>dependsOn[2]</c> → 前置任务（第 3 项）.</summary>
    public static string Label(string field)
    {
        var parts = field.Split('.');
        return string.Join("·", parts.Select(part =>
        {
            var indexed = IndexedField().Match(part);
            if (!indexed.Success) return Labels.GetValueOrDefault(part, part);
            var name = indexed.Groups["name"].Value;
            var index = int.TryParse(indexed.Groups["index"].Value, out var i) ? i + 1 : 0;
            return $"{Labels.GetValueOrDefault(name, name)}（第 {index} 项）";
        }));
    }

    /// <summary>A field message in Chinese, or as it is when no translation is known.</summary>
    /// <summary>The Chinese name of an entity kind (任务, 分论坛…), as problems name it.</summary>
    public static string KindName(EntityKind kind, string id = "")
    {
        var english = Summit.Rules.EntityNames.Kind(kind, id);
        return KindNames.GetValueOrDefault(english, english);
    }

    /// <summary>The Chinese name of a role (秘书处, 县（市、区）…).</summary>
    public static string RoleName(Role role)
    {
        var english = Summit.Rules.EntityNames.Role(role);
        return RoleNames.GetValueOrDefault(english, english);
    }

    public static string Message(string english)
    {
        foreach (var (pattern, chinese) in Messages)
        {
            var match = pattern.Match(english);
            if (match.Success) return match.Result(chinese);
        }
        return english;
    }

    /// <summary>Whether a message has a Chinese translation (for tests that keep the table complete).</summary>
    public static bool Translates(string english) => Messages.Any(m => m.Pattern.IsMatch(english));

    private static string Title(string english, int? status) => Titles.TryGetValue(english, out var chinese)
        ? chinese
        : status switch
        {
            StatusCodes.Status400BadRequest => "请求有误",
            StatusCodes.Status401Unauthorized => "请先登录",
            StatusCodes.Status403Forbidden => "无权操作",
            StatusCodes.Status404NotFound => "未找到",
            StatusCodes.Status409Conflict => "冲突",
            StatusCodes.Status412PreconditionFailed => "内容已被他人修改",
            StatusCodes.Status413PayloadTooLarge => "请求内容过大",
            StatusCodes.Status415UnsupportedMediaType => "不支持的内容类型",
            StatusCodes.Status429TooManyRequests => "请求过于频繁",
            StatusCodes.Status503ServiceUnavailable => "服务暂时不可用",
            _ => english,
        };

    private static string Detail(string english)
    {
        foreach (var (pattern, chinese) in Details)
        {
            var match = pattern.Match(english);
            if (!match.Success) continue;
            var text = match.Result(chinese);
            if (match.Groups["k"].Success) text = text.Replace("{kind}", KindNames.GetValueOrDefault(match.Groups["k"].Value, match.Groups["k"].Value));
            if (match.Groups["r"].Success) text = text.Replace("{role}", RoleNames.GetValueOrDefault(match.Groups["r"].Value, match.Groups["r"].Value));
            if (match.Groups["what"].Success) text = text.Replace("{what}", match.Groups["what"].Value switch
            {
                "database is unavailable" => "数据库暂时不可用",
                "file store is unavailable" => "文件存储暂时不可用",
                "cluster did not answer in time" => "服务集群未能及时响应",
                _ => "服务集群暂时不可用或正在切换",
            });
            if (match.Groups["kinds"].Success) text = text.Replace("{kinds}", string.Join("、", match.Groups["kinds"].Value.Split(", ").Select(k => FileKindNames.GetValueOrDefault(k, k))));
            if (match.Groups["f"].Success) text = text.Replace("{fields}", string.Join("、", match.Groups["f"].Value.Split(", ").Select(Label)));
            return text;
        }
        return english;
    }

    private static readonly Dictionary<string, string> KindNames = new(StringComparer.Ordinal)
    {
        ["task"] = "任务", ["sub-forum"] = "分论坛", ["sub-event"] = "子活动", ["county venue"] = "县（市、区）分会场",
        ["cooperation project"] = "合作项目", ["partner university"] = "合作高校", ["innovation alliance"] = "创新联盟",
        ["startup finalist"] = "创业世界杯晋级项目", ["summit"] = "峰会", ["account"] = "账号", ["notification"] = "通知",
        ["comment"] = "评论", ["campaign"] = "征集通知", ["submission"] = "报送材料", ["submission version"] = "报送材料版本",
        ["organisation"] = "下属单位", ["calendar feed"] = "日历订阅",
    };

    private static readonly Dictionary<string, string> FileKindNames = new(StringComparer.Ordinal)
    {
        ["image"] = "图片", ["document"] = "文档", ["video"] = "视频", ["spreadsheet"] = "表格", ["other"] = "其他",
    };

    private static readonly Dictionary<string, string> RoleNames = new(StringComparer.Ordinal)
    {
        ["secretariat"] = "秘书处", ["county"] = "县（市、区）", ["university"] = "高校", ["leader"] = "领导", ["admin"] = "管理员",
        ["organization"] = "下属单位",
    };

    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        ["The request has invalid fields."] = "请求中有不正确的内容",
        ["Not found."] = "未找到",
        ["Forbidden."] = "无权操作",
        ["You may not change these fields."] = "您无权修改这些内容",
        ["Reminded too recently."] = "催报过于频繁",
        ["Already exists."] = "已经存在",
        ["The resource has changed since you read it."] = "内容已被他人修改",
        ["A request with this Idempotency-Key is still in progress."] = "相同幂等键的请求仍在处理中",
        ["Idempotency-Key reused with a different request."] = "幂等键已用于另一个不同的请求",
        ["Unsupported media type."] = "不支持的内容类型",
        ["The request body is too large."] = "请求内容过大",
        ["The file is too large."] = "文件过大",
        ["The file cannot be read."] = "文件无法读取",
        ["Service temporarily unavailable."] = "服务暂时不可用",
        ["Sign-in failed."] = "登录失败",
        ["Bad request."] = "请求有误",
        ["Conflict."] = "冲突",
        ["Sign-in required."] = "请先登录",
        ["Missing or invalid antiforgery token."] = "缺少或无效的防伪令牌（antiforgery）",
        ["Origin not allowed."] = "不允许的来源（Origin）",
        ["The server is busy."] = "服务器繁忙",
        ["Unauthorized"] = "请先登录",
        ["Forbidden"] = "无权操作",
        ["Not Found"] = "未找到",
        ["Too Many Requests"] = "请求过于频繁",
    };

    /// <summary>The API's field names and their labels on the screens.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [JsonBodyErrors.Body] = "请求内容",
        ["id"] = "编号", ["code"] = "代码", ["title"] = "标题", ["name"] = "名称", ["theme"] = "主题",
        ["owner"] = "负责单位", ["kind"] = "类型", ["unit"] = "单位", ["assignee"] = "经办人", ["category"] = "类别",
        ["status"] = "状态", ["percentComplete"] = "完成百分比", ["note"] = "备注", ["dueDate"] = "截止日期",
        ["dueInWorkingDays"] = "截止工作日数", ["dependsOn"] = "前置任务", ["subForum"] = "分论坛", ["milestone"] = "里程碑",
        ["start"] = "开始时间", ["end"] = "结束时间", ["venue"] = "场地", ["speakers"] = "嘉宾", ["hostUniversity"] = "承办高校",
        ["county"] = "县（市、区）", ["city"] = "城市", ["stage"] = "阶段", ["checklist"] = "检查清单", ["lead"] = "牵头人",
        ["partners"] = "合作单位", ["industry"] = "产业", ["signingDate"] = "签约日期", ["enterprisesInvolved"] = "涉及企业数",
        ["contactUnit"] = "联系单位", ["engagement"] = "参与方式", ["targets"] = "目标", ["timeZone"] = "时区",
        ["openingDate"] = "开幕日期", ["closingDate"] = "闭幕日期", ["preparationStart"] = "筹备开始日期", ["mode"] = "办会模式",
        ["plan"] = "应急预案", ["holidays"] = "节假日", ["makeUpWorkingDays"] = "调休工作日", ["leadDays"] = "提前提醒天数",
        ["leadAfterDays"] = "升级至牵头人天数", ["secretariatAfterDays"] = "升级至秘书处天数", ["remainingDays"] = "剩余天数",
        ["overrideOpenPrerequisites"] = "忽略未完成的前置任务", ["reason"] = "原因", ["username"] = "用户名", ["password"] = "密码",
        ["displayName"] = "显示名称", ["role"] = "角色", ["url"] = "地址", ["robot"] = "机器人", ["format"] = "格式",
        ["limit"] = "每页条数", ["q"] = "搜索词", ["offset"] = "起始位置", ["after"] = "游标", ["path"] = "路径", ["entityId"] = "对象编号",
        ["source"] = "来源", ["to"] = "目标状态", ["keyword"] = "关键词", ["task"] = "任务", ["tasks"] = "任务",
        ["due"] = "到期", ["dueFrom"] = "截止日期起", ["dueTo"] = "截止日期止", ["overdue"] = "已逾期", ["q"] = "搜索词",
        ["description"] = "说明", ["startDate"] = "开始日期", ["durationDays"] = "工期（工作日）", ["archived"] = "已归档",
        ["nameEn"] = "英文名称", ["field"] = "领域（产业）", ["leadUnit"] = "牵头单位", ["memberUnits"] = "成员单位",
        ["memberEnterprises"] = "成员企业", ["projectName"] = "项目名称", ["team"] = "团队", ["university"] = "高校",
        ["country"] = "国家（地区）", ["track"] = "赛道",
        ["organizations"] = "下属单位", ["allOrganizations"] = "全部下属单位", ["parentUnit"] = "上级单位", ["contact"] = "联系人",
        ["forwardedFrom"] = "转发自",
        ["text"] = "评论内容", ["parent"] = "回复的评论", ["mentions"] = "提及的单位",
        ["Idempotency-Key"] = "幂等键", ["items"] = "条目", ["enabled"] = "启用", ["disabled"] = "停用", ["from"] = "起",
        ["scope"] = "范围", ["key"] = "范围对象",
        ["replace"] = "重新批准",
        ["files"] = "文件",
        ["periodStart"] = "活动开始日期", ["periodEnd"] = "活动结束日期", ["audience"] = "发送对象",
        ["allOf"] = "全部单位类型", ["units"] = "逐个选择的单位", ["deadline"] = "报送截止时间", ["template"] = "报送要求",
        ["sections"] = "报送栏目", ["minImages"] = "最少图片数", ["fileKinds"] = "允许的文件类型", ["receivers"] = "接收部门",
        ["unitKind"] = "单位类型", ["department"] = "部门", ["campaign"] = "征集通知", ["action"] = "操作",
        ["late"] = "逾期报送", ["number"] = "版本号", ["secret"] = "订阅密钥",
    };

    // English message → Chinese, by pattern; $1, ${name} are the captured parts (numbers, dates, codes).
    private static readonly (Regex Pattern, string Chinese)[] Messages =
    [
        (Rx(@"^is required\.$"), "必填。"),
        (Rx(@"^is required \(an empty list for none\)\.$"), "必填（没有时填空列表）。"),
        (Rx(@"^is required \(an empty list turns due-soon off\)\.$"), "必填（空列表表示关闭临期提醒）。"),
        (Rx(@"^is required when the stage is (?<s>.+)\.$"), "阶段为 ${s} 时必填。"),
        (Rx(@"^is required when the status is (?<s>.+)\.$"), "状态为 ${s} 时必填。"),
        (Rx(@"^is required to mark the task done while prerequisites are open \((?<n>.*)\)\.$"), "前置任务（${n}）未完成时，将任务标记为完成须填写。"),
        (Rx(@"^is required for a (county|university|organization) account.*$"), "县（市、区）、高校和下属单位账号必须填写。"),
        (Rx(@"^must be at most (?<n>\d+) characters\.$"), "最多 ${n} 个字符。"),
        (Rx(@"^must not contain control characters\.$"), "不能包含控制字符。"),
        (Rx(@"^must be published to remind its units\.$"), "通知须为已发布状态才能催报。"),
        (Rx(@"^must be between (?<a>-?\d+) and (?<b>-?\d+)\.$"), "须在 ${a} 到 ${b} 之间。"),
        (Rx(@"^must be between (?<a>\S+) and (?<b>\S+) \((?<w>.*)\)\.$"), "须在 ${a} 到 ${b} 之间（${w}）。"),
        (Rx(@"^'(?<v>.*)' is not a known value\.$"), "“${v}”不是有效的值。"),
        (Rx(@"^'(?<v>.*)' is not one of: (?<o>.*)\.$"), "“${v}”不是可选值之一：${o}。"),
        (Rx(@"^is not taken with the overall scope\.$"), "范围为全局（overall）时不可填写。"),
        (Rx(@"^'(?<v>.*)' is not a date like 2020-06-12\.$"), "“${v}”不是日期（格式如 2020-06-12）。"),
        (Rx(@"^'(?<v>.*)' is not a unit like county:pingyang.*$"), "“${v}”不是单位（格式如 county:pingyang）。"),
        (Rx(@"^'(?<v>.*)' is not a known checklist item\.$"), "“${v}”不是检查清单中的项目。"),
        (Rx(@"^'(?<v>.*)' is not a known time zone id.*$"), "“${v}”不是有效的时区（如 Asia/Shanghai）。"),
        (Rx(@"^must be 1-48 characters of a-z, 0-9 and '-', starting with a letter or digit\.$"), "须为 1–48 个小写字母、数字或“-”，以字母或数字开头。"),
        (Rx(@"^must be 1-64 characters of a-z, 0-9, '\.', '_', '@' and '-', starting with a letter or digit\.$"), "须为 1–64 个小写字母、数字或“.”“_”“@”“-”，以字母或数字开头。"),
        (Rx(@"^must have at most (?<n>\d+) (entries|dates)\.$"), "最多 ${n} 项。"),
        (Rx(@"^lists (?<v>.*) more than once\.$"), "${v} 重复出现。"),
        (Rx(@"^is listed twice\.$"), "重复出现。"),
        (Rx(@"^(?<d>\d{4}-\d\d-\d\d) is listed twice\.$"), "${d} 重复出现。"),
        (Rx(@"^(?<d>\d{4}-\d\d-\d\d) is also a make-up working day\.$"), "${d} 同时也是调休工作日。"),
        (Rx(@"^(?<d>\d{4}-\d\d-\d\d) is a \w+; make-up working days fall on a Saturday or Sunday\.$"), "${d} 不是周末；调休工作日只能在周六或周日。"),
        (Rx(@"^must be after start\.$"), "须晚于开始时间。"),
        (Rx(@"^must be on or before the due date (?<d>\d{4}-\d\d-\d\d)\.$"), "不能晚于截止日期 ${d}。"),
        (Rx(@"^must be on or after the planned start (?<d>\d{4}-\d\d-\d\d)\.$"), "不能早于计划开始日期 ${d}。"),
        (Rx(@"^must be before end\.$"), "须早于结束时间。"),
        (Rx(@"^must be before openingDate\.$"), "须早于开幕日期。"),
        (Rx(@"^must not be before openingDate\.$"), "不能早于开幕日期。"),
        (Rx(@"^must not be before from\.$"), "不能早于起始值。"),
        (Rx(@"^must not be less than leadAfterDays\.$"), "不能小于升级至牵头人天数。"),
        (Rx(@"^must be 0 or more\.$"), "须大于或等于 0。"),
        (Rx(@"^must not contain blank ids\.$"), "不能包含空编号。"),
        (Rx(@"^must be (?<a>\d+) to (?<b>\d+) characters\.$"), "须为 ${a}–${b} 个字符。"),
        (Rx(@"^must be one of (?<o>.*)\.$"), "须为以下之一：${o}。"),
        (Rx(@"^must be one of: (?<o>.*)\.$"), "须为以下之一：${o}。"),
        (Rx(@"^must be empty: only county, university and organisation accounts are bound to a unit\.$"), "须为空：只有县（市、区）、高校和下属单位账号属于某个单位。"),
        (Rx(@"^must be an absolute http or https address\.$"), "须为完整的 http 或 https 地址。"),
        (Rx(@"^must be an ISO instant such as .*$"), "须为 ISO 时刻（如 2020-06-10T09:00:00+08:00）。"),
        (Rx(@"^would create a (dependency )?cycle: (?<p>.*)\.$"), "会形成循环依赖：${p}。"),
        (Rx(@"^a task cannot depend on itself\.$"), "任务不能依赖自身。"),
        (Rx(@"^task '(?<t>.*)' does not exist in summit '(?<s>.*)'\.$"), "任务“${t}”不存在。"),
        (Rx(@"^sub-forum '(?<t>.*)' does not exist in summit '(?<s>.*)'\.$"), "分论坛“${t}”不存在。"),
        (Rx(@"^university '(?<t>.*)' is not a partner of summit '(?<s>.*)'\.$"), "高校“${t}”不是本届峰会的合作高校。"),
        (Rx(@"^only the secretariat may mark a task done while its prerequisites are open\.$"), "前置任务未完成时，只有秘书处可以将任务标记为完成。"),
        (Rx(@"^cannot move from (?<a>\w+) to (?<b>\w+); allowed next: (?<o>.*)\.$"), "不能从 ${a} 改为 ${b}；可改为：${o}。"),
        (Rx(@"^cannot leave Done while the sub-event is Ready\.$"), "子活动已就绪时，不能撤销“已完成”。"),
        (Rx(@"^cannot be Done while prerequisites are open: (?<n>[^.]*)\.\s*The secretariat may override.*$"), "前置任务未完成，不能标记为完成：${n}。秘书处可选择“忽略未完成的前置任务”并在备注中说明原因。"),
        (Rx(@"^cannot be Done while prerequisites are open: (?<n>[^.]*)\.\s*$"), "前置任务未完成，不能标记为完成：${n}。"),
        (Rx(@"^a county runs at most (?<n>\d+) sub-events\.$"), "每个县（市、区）最多 ${n} 个子活动。"),
        (Rx(@"^Ready needs every checklist item Done; not yet: (?<n>.*)\.$"), "检查清单全部完成后才能就绪；未完成：${n}。"),
        (Rx(@"^give either dueDate or dueInWorkingDays, not both\.$"), "截止日期和截止工作日数只能填一个。"),
        (Rx(@"^is '(?<m>.*)'; switch it with PUT .*$"), "当前为“${m}”；请通过切换办会模式来修改。"),
        (Rx(@"^is not a query parameter.*$"), "不是有效的查询参数。"),
        (Rx(@"^is not a known query parameter.*$"), "不是有效的查询参数。"),
        (Rx(@"^is not a parameter of this list \(it takes none\)\.$"), "不是本列表的参数（本列表不接受参数）。"),
        (Rx(@"^is not a parameter of this list \(it takes: (?<o>.*)\)\.$"), "不是本列表的参数（可用：${o}）。"),
        (Rx(@"^is required: the words to find\.$"), "必填：要查找的词。"),
        (Rx(@"^must be at most (?<n>\d+) characters \(got (?<g>\d+)\)\.$"), "最多 ${n} 个字符（实际 ${g} 个）。"),
        (Rx(@"^may have at most (?<n>\d+) words \(got (?<g>\d+)\)\.$"), "最多 ${n} 个词（实际 ${g} 个）。"),
        (Rx(@"^is not valid text \(a lone surrogate\)\.$"), "不是有效的文本（含不成对的代理字符）。"),
        (Rx(@"^is not a cursor of this list.*$"), "不是本列表的游标：请使用上一页返回的 next 值。"),
        (Rx(@"^you may not change this field\.$"), "您无权修改此项。"),
        (Rx(@"^you may not give this away\.$"), "修改后将超出您的管理范围。"),
        (Rx(@"^is not valid JSON: .*$"), "不是有效的 JSON。"),
        (Rx(@"^must be true to approve the plan again: baseline version (?<n>\d+) is in force\.$"), "须勾选“重新批准”：当前已有第 ${n} 版计划基线。"),
        (Rx(@"^is required to approve the plan again: say why it changed\.$"), "重新批准计划基线时必填：请说明计划为何调整。"),
        (Rx(@"^a JSON body is required\.$"), "须提供 JSON 格式的请求内容。"),
        (Rx(@"^must be one value of 1-(?<n>\d+) visible ASCII characters.*$"), "须为 1–${n} 个可见 ASCII 字符（如 UUID）。"),
        (Rx(@"^is not a known field\.$"), "不是有效的字段。"),
        (Rx(@"^has a value of the wrong type\.$"), "值的类型不正确。"),
        (Rx(@"^must be a whole number within range\.$"), "须为范围内的整数。"),
        (Rx(@"^must be true or false\.$"), "须为 true 或 false。"),
        (Rx(@"^must be a string\.$"), "须为文本。"),
        (Rx(@"^must be a date like 2020-06-12\.$"), "须为日期（格式如 2020-06-12）。"),
        (Rx(@"^must be a time of day like .*$"), "须为时间（格式如 14:30）。"),
        (Rx(@"^must be a date \(2020-06-12\) or a local date-time .*$"), "须为日期（2020-06-12）或不带时区的本地时间（2020-06-12T17:00）。"),
        (Rx(@"^must be an instant like .*$"), "须为时刻（格式如 2020-06-12T09:00:00Z）。"),
        (Rx(@"^must be an array\.$"), "须为列表。"),
        (Rx(@"^is not a comment of this task\.$"), "不是本任务的评论。"),
        (Rx(@"^is a reply: replies are one level deep.*$"), "是一条回复：回复只有一层，请回复它所回复的那条评论。"),
        (Rx(@"^'(?<v>.*)' is not a unit of this summit\.$"), "“${v}”不是本届峰会的单位。"),
        (Rx(@"^'(?<v>.*)' may not read this task, so it cannot be mentioned\.$"), "“${v}”无权查看此任务，不能提及。"),
        (Rx(@"^must be an object\.$"), "须为对象。"),
        (Rx(@"^is not a file \(a form field without a file name\)\.$"), "不是文件（缺少文件名的表单字段）。"),
        (Rx(@"^must hold at least one file\.$"), "至少须包含一个文件。"),
        (Rx(@"^is not valid multipart/form-data\.$"), "不是有效的 multipart/form-data 内容。"),
        (Rx(@"^can be changed only while the campaign is a draft\.$"), "只能在通知仍为草稿时修改。"),
        (Rx(@"^is required to publish the campaign\.$"), "发布通知前必须填写。"),
        (Rx(@"^must name at least one unit to publish the campaign\.$"), "发布通知前须至少选择一个单位。"),
        (Rx(@"^must name the receiving department for: (?<k>.*)\.$"), "须为以下单位类型指定接收部门：${k}。"),
        (Rx(@"^must not be before periodStart\.$"), "不能早于活动开始日期。"),
        (Rx(@"^(?<d>\d{4}-\d\d-\d\d) is not a working day of the summit's calendar\.$"), "${d} 不是峰会工作日历上的工作日。"),
        (Rx(@"^must be county or university; choose departments and organisations one by one\.$"), "只能为县（市、区）或高校；部门和下属单位请逐个选择。"),
        (Rx(@"^only a published campaign can be forwarded\.$"), "只有已发布的通知才能转发。"),
        (Rx(@"^a forwarded campaign cannot be forwarded again\.$"), "转发的通知不能再次转发。"),
        (Rx(@"^must be no later than the deadline of the campaign forwarded \((?<d>.*)\)\.$"), "不能晚于所转发通知的截止时间（${d}）。"),
        (Rx(@"^must be left out when allOrganizations is true\.$"), "选择“全部下属单位”时不能再逐个选择。"),
        (Rx(@"^no organisation is registered under the forwarding unit\.$"), "本单位还没有登记下属单位。"),
        (Rx(@"^must name at least one organisation \(or set allOrganizations\)\.$"), "须至少选择一个下属单位（或选择全部下属单位）。"),
        (Rx(@"^'(?<v>.*)' is not an active organisation registered under the forwarding unit\.$"), "“${v}”不是本单位登记在册的下属单位。"),
        (Rx(@"^is fixed for a forwarded campaign \(forward it again to other organisations instead\)\.$"), "转发的通知不能修改此项。"),
        (Rx(@"^must be a county or a university\.$"), "只能为县（市、区）或高校。"),
        (Rx(@"^county '(?<v>.*)' is not a county of summit '(?<s>.*)'\.$"), "“${v}”不是本届峰会的县（市、区）。"),
        (Rx(@"^must name at least one kind of file\.$"), "须至少允许一种文件类型。"),
        (Rx(@"^must allow images when images are required\.$"), "要求上传图片时，须允许图片类型。"),
        (Rx(@"^'(?<v>.*)' is not a secretariat department\.$"), "“${v}”不是秘书处的部门。"),
        (Rx(@"^names a kind of unit twice\.$"), "同一单位类型出现了两次。"),
        (Rx(@"^is not a file id\.$"), "不是有效的文件编号。"),
        (Rx(@"^is closed: it takes no more submissions\.$"), "通知已截止，不再接收报送。"),
        (Rx(@"^is submitted: it can change again only when the secretariat returns it\.$"), "已报送：秘书处退回后才能再修改。"),
        (Rx(@"^is accepted: it can no longer change\.$"), "已通过审核，不能再修改。"),
        (Rx(@"^cannot be changed by a review\.$"), "审核时不能修改。"),
        (Rx(@"^must be Submitted to be reviewed \(it is (?<s>.*)\)\.$"), "须为已报送状态才能审核（当前：${s}）。"),
        (Rx(@"^is required to return a submission: say what to revise\.$"), "退回时必填：请说明需要修改的内容。"),
        (Rx(@"^'(?<v>.*)' is not a section of the campaign's template\.$"), "“${v}”不是本通知报送要求中的栏目。"),
        (Rx(@"^must be written before submitting: (?<n>.*)\.$"), "报送前须填写：${n}。"),
        (Rx(@"^needs at least (?<n>\d+) images \(attached: (?<m>\d+)\)\.$"), "至少需要 ${n} 张图片（已上传 ${m} 个）。"),
        (Rx(@"^'(?<v>.*)' is not a file uploaded for this unit\.$"), "“${v}”不是本单位上传的文件。"),
        (Rx(@"^'(?<v>.*)' is attached to something else\.$"), "“${v}”已附在其他报送材料中。"),
        (Rx(@"^'(?<v>.*)' is a kind of file this campaign does not accept \((?<k>.*)\)\.$"), "“${v}”的文件类型不在本通知允许的类型之内（${k}）。"),
        (Rx(@"^hold (?<x>[\d.]+) MiB together, more than the (?<y>[\d.]+) MiB a submission may hold\.$"), "附件合计 ${x} MiB，超过每份报送 ${y} MiB 的上限。"),
    ];

    private static readonly (Regex Pattern, string Chinese)[] Details =
    [
        (Rx(@"^No (?<k>task|sub-forum|sub-event|county venue|cooperation project|partner university|innovation alliance|startup finalist|summit|account|notification|comment|campaign|submission|submission version|organisation|calendar feed) '(?<id>.*)'\.$"), "找不到{kind}“${id}”。"),
        (Rx(@"^No calendar feed at this address\.$"), "此地址没有日历订阅：订阅可能已被撤销，请在“日历订阅”页面重新创建。"),
        (Rx(@"^A (?<k>[\w -]+) '(?<id>.*)' already exists\.$"), "{kind}“${id}”已经存在。"),
        (Rx(@"^An account '(?<id>.*)' already exists\.$"), "账号“${id}”已经存在。"),
        (Rx(@"^You cannot disable your own account\.$"), "不能停用自己正在使用的账号。"),
        (Rx(@"^This is the last enabled admin account\.$"), "这是最后一个启用的管理员账号，不能停用。"),
        (Rx(@"^If-Match named version (?<e>\d+), but the current version is (?<c>\d+)\..*$"), "您看到的是第 ${e} 版，当前已是第 ${c} 版：请重新读取后再修改。"),
        (Rx(@"^If-Match named no version of this resource.*$"), "If-Match 中的版本不是此内容的版本：请重新读取后再修改。"),
        (Rx(@"^A (?<r>\w+) account may not change (?<f>.*) of a task\.$"), "{role}账号不能修改任务的{fields}。"),
        (Rx(@"^A (?<r>\w+) account may not register an organisation.*\.$"), "{role}账号只能在本单位名下登记下属单位。"),
        (Rx(@"^A (?<r>\w+) account may not forward this campaign.*\.$"), "{role}账号不能转发此通知。"),
        (Rx(@"^campaign '(?<id>.*)' is not addressed to (?<u>.*)\.$"), "通知“${id}”并未发给该单位。"),
        (Rx(@"^A (?<r>\w+) account may not (?<what>.*)\.$"), "{role}账号无权执行此操作。"),
        (Rx(@"^Only the secretariat assigns contingency plans\.$"), "只有秘书处可以指定应急预案。"),
        (Rx(@"^Unknown username, wrong password or disabled account\.$"), "用户名或密码错误，或账号已停用。"),
        (Rx(@"^Try again in (?<n>\d+) s\.$"), "请在 ${n} 秒后重试。"),
        (Rx(@"^The (?<what>database is unavailable|file store is unavailable|cluster did not answer in time|cluster is unavailable or failing over)\. Retry after (?<n>\d+) seconds\..*$"),
            "{what}，请在 ${n} 秒后重试。超时的修改可能已经保存：请重新读取，或用同一个 Idempotency-Key 重试。"),
        (Rx(@"^This key was already used for a request with another body\..*$"), "此幂等键已用于另一个内容不同的请求，新的请求请使用新的键。"),
        (Rx(@"^API request bodies are limited to (?<n>\d+) KB\.$"), "请求内容不能超过 ${n} KB。"),
        (Rx(@"^The body must be UTF-8 JSON.*$"), "请求内容须为 UTF-8 编码的 JSON（Content-Type: application/json; charset=utf-8）。"),
        (Rx(@"^No (?<u>.+) in this summit\.$"), "本届峰会中没有 ${u}。"),
        (Rx(@"^No webhook for (?<u>.*)\.$"), "${u} 没有配置推送地址。"),
        (Rx(@"^The plan baseline holds no task '(?<id>.*)'\.$"), "计划基线中没有任务“${id}”。"),
        (Rx(@"^Another attempt of this request was applied.*$"), "此请求的另一次尝试已被执行，请稍后重试以取得其结果。"),
        (Rx(@"^Send the body as JSON with Content-Type: application/json\.$"), "请以 JSON 发送请求内容（Content-Type: application/json）。"),
        (Rx(@"^Send the files as multipart/form-data\.$"), "请以 multipart/form-data 格式上传文件。"),
        (Rx(@"^No file '(?<id>.*)'\.$"), "找不到文件“${id}”。"),
        (Rx(@"^The file '(?<n>.*)' is larger than the limit of (?<l>.+) per file\.$"), "文件“${n}”超过了单个文件 ${l} 的大小上限。"),
        (Rx(@"^The files of one upload may total at most (?<l>.+)\.$"), "一次上传的文件合计不能超过 ${l}。"),
        (Rx(@"^The file '(?<n>.*)' is not of an accepted type \(its content is (?<t>.*); accepted: (?<kinds>.*)\)\.$"),
            "文件“${n}”的类型不在允许之列（其内容为 ${t}；允许的类型：{kinds}）。"),
        (Rx(@"^The file '(?<n>.*)' is empty\.$"), "文件“${n}”是空文件。"),
        (Rx(@"^The file '(?<n>.*)' is truncated: it ends before its format \((?<t>.*)\) says it does\.$"), "文件“${n}”不完整：内容在 ${t} 格式的结尾之前就中断了，请重新上传完整的文件。"),
        (Rx(@"^The file '(?<n>.*)' is damaged: its content does not follow its format \((?<t>.*)\)\.$"), "文件“${n}”已损坏：内容不符合 ${t} 格式，无法读取。"),
        (Rx(@"^The image '(?<n>.*)' has more than (?<l>\d+) pixels\.$"), "图片“${n}”超过了 ${l} 像素的上限。"),
        (Rx(@"^The image '(?<n>.*)' was not processed: (?<q>\d+) images are already waiting\. Nothing was stored; try again in (?<s>\d+) s\.$"),
            "服务器正忙：已有 ${q} 张图片在排队处理，图片“${n}”未能处理，本次上传的文件均未保存。请在 ${s} 秒后重试。"),
        (Rx(@"^The image '(?<n>.*)' waited (?<t>\d+) s to be processed\. Nothing was stored; try again in (?<s>\d+) s\.$"),
            "服务器正忙：图片“${n}”等待处理已超过 ${t} 秒，本次上传的文件均未保存。请在 ${s} 秒后重试。"),
    ];

    private static Regex Rx(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(50));

    [GeneratedRegex(@"^(?<name>[^\[]+)\[(?<index>\d+)\]$")]
    private static partial Regex IndexedField();
}
