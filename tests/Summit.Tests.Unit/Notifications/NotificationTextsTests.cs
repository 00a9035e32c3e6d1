using NodaTime;
using Summit.Domain;
using Summit.Notifications;

namespace Summit.Tests.Notifications;

/// <summary>
/// The English side of notifications counts in proper English: one day, two days; never "1 days" or "task(s)". Units are
/// named, never shown by their codes.
/// </summary>
public sealed class NotificationTextsTests
{
    private static readonly Deadline Due = new(new LocalDate(2020, 6, 30));
    private static readonly LocalizedText Pingyang = UnitNames.Text(OwningUnit.County("pingyang"), "平阳县");

    [Theory]
    [InlineData(0, "day", "0 days")]
    [InlineData(1, "day", "1 day")]
    [InlineData(2, "day", "2 days")]
    [InlineData(1, "sub-forum", "1 sub-forum")]
    [InlineData(12, "task", "12 tasks")]
    public void Counts_take_the_plural_only_when_not_one(int n, string noun, string expected) =>
        Assert.Equal(expected, NotificationTexts.Count(n, noun));

    [Fact]
    public void Escalations_and_switches_read_as_english()
    {
        Assert.Contains("is 1 day overdue", NotificationTexts.LeadEscalation("布置主会场", Due, Pingyang, 1, null).En, StringComparison.Ordinal);
        Assert.Contains("is 3 days overdue", NotificationTexts.SecretariatEscalation("布置主会场", Due, Pingyang, 3).En, StringComparison.Ordinal);
        var switched = NotificationTexts.ModeSwitched(SummitMode.Offline, SummitMode.Online, "typhoon", 1, 2, 1, 0).En;
        Assert.Contains("1 task restored, 2 set aside; 1 sub-forum restored", switched, StringComparison.Ordinal);
        Assert.DoesNotContain("(s)", switched, StringComparison.Ordinal);
        // Chinese needs no plural.
        Assert.Contains("逾期3天", NotificationTexts.SecretariatEscalation("布置主会场", Due, Pingyang, 3).Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Units_are_named_by_their_names_not_their_codes()
    {
        var overdue = NotificationTexts.Overdue("布置主会场", Due, Pingyang);
        Assert.Contains("责任单位：平阳县", overdue.Zh, StringComparison.Ordinal);
        Assert.Contains("owner 平阳县 (Pingyang)", overdue.En, StringComparison.Ordinal);
        Assert.StartsWith("督办：平阳县的任务", NotificationTexts.LeadEscalation("布置主会场", Due, Pingyang, 1, "陈立").Zh, StringComparison.Ordinal);
        Assert.DoesNotContain("county:", overdue.Zh + overdue.En, StringComparison.Ordinal);

        Assert.Equal(new LocalizedText("联络对接部", "Liaison"), UnitNames.Text(OwningUnit.Department("liaison"), SecretariatDepartments.Find("liaison")?.Name));
        Assert.Equal(new LocalizedText("温州医科大学", "温州医科大学 (WMU)"), UnitNames.Text(OwningUnit.University("wmu"), "温州医科大学"));
        // A unit with no record keeps its code rather than a blank.
        Assert.Equal("secretariat:press", UnitNames.Text(OwningUnit.Department("press"), null).Zh);
    }
}
