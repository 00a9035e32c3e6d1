using System.Text.RegularExpressions;
using Summit.Gateway.Api;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Api;

/// <summary>The Chinese wording of problems (<see cref="ProblemLanguage"/>): labels, messages, and a table kept complete.</summary>
public sealed partial class ProblemLanguageTests
{
    [Theory]
    [InlineData("dueDate", "截止日期")]
    [InlineData("owner.kind", "负责单位·类型")]
    [InlineData("dependsOn[2]", "前置任务（第 3 项）")]
    [InlineData("body", "请求内容")]
    [InlineData("somethingNew", "somethingNew")]
    public void Fields_are_named_by_their_labels(string field, string label) => Assert.Equal(label, ProblemLanguage.Label(field));

    [Theory]
    [InlineData("is required.", "必填。")]
    [InlineData("must be at most 200 characters.", "最多 200 个字符。")]
    [InlineData("must be between 0 and 100.", "须在 0 到 100 之间。")]
    [InlineData("'finished' is not one of: notStarted, inProgress, blocked, done.", "“finished”不是可选值之一：notStarted, inProgress, blocked, done。")]
    [InlineData("task 't-9' does not exist in summit 'wyss-2020'.", "任务“t-9”不存在。")]
    [InlineData("cannot be Done while prerequisites are open: t-1, t-2. The secretariat may override this with overrideOpenPrerequisites: true and a note saying why.",
        "前置任务未完成，不能标记为完成：t-1, t-2。秘书处可选择“忽略未完成的前置任务”并在备注中说明原因。")]
    [InlineData("must be on or before the due date 2020-07-15.", "不能晚于截止日期 2020-07-15。")]
    [InlineData("must be on or after the planned start 2020-06-22.", "不能早于计划开始日期 2020-06-22。")]
    [InlineData("an unknown sentence.", "an unknown sentence.")]
    public void Messages_are_translated_with_their_values(string english, string chinese) => Assert.Equal(chinese, ProblemLanguage.Message(english));

    /// <summary>
    /// Every fixed field message the rules, grains and API can give (string literals passed to <c>FieldErrors</c>) has a
    /// Chinese wording, so a new rule cannot ship an English-only refusal.
    /// </summary>
    [Fact]
    public void Every_fixed_field_message_in_the_code_has_a_Chinese_wording()
    {
        var untranslated = new List<string>();
        foreach (var folder in new[] { "Grains", "Gateway", "Data" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
                foreach (Match match in FixedMessage().Matches(File.ReadAllText(file)))
                {
                    var message = match.Groups["message"].Value;
                    if (!ProblemLanguage.Translates(message)) untranslated.Add($"{Path.GetFileName(file)}: {message}");
                }
            }
        Assert.True(untranslated.Count == 0, "No Chinese wording for:\n" + string.Join("\n", untranslated));
    }

    // errors.Add("field", "message.") and FieldErrors' own helpers: a plain (not interpolated) literal as the message.
    [GeneratedRegex("""(?:errors|FieldErrors|this)\s*\.?\s*Add\(\s*(?:\$?"[^"]*"|[A-Za-z_.\[\]]+)\s*,\s*"(?<message>[^"{}]+)"\s*\)""")]
    private static partial Regex FixedMessage();
}
