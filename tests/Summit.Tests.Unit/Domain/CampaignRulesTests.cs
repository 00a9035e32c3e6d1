using NodaTime;
using Summit.Domain;
using Summit.Rules;
using Summit.Scheduling;
using Summit.Storage;
using static Summit.Tests.Domain.RuleTestData;

namespace Summit.Tests.Domain;

/// <summary>The rules of campaigns (notices with a submission deadline) and of the units' submissions, and who may do what.</summary>
public class CampaignRulesTests
{
    private static readonly CampaignFacts Facts = new(["lucheng", "ouhai", "pingyang"], ["wmu", "wzu"], new WorkingCalendar(WorkingCalendar.China2020Definition));

    private static readonly CampaignDraft Draft = new(
        "关于开展2020年全国科技工作者日活动的通知",
        "<p>各单位：请于6月15日前报送活动总结。</p><script>alert(1)</script><p onclick=\"x()\">附件<a href=\"javascript:alert(1)\">下载</a></p>",
        June(1), June(10),
        new CampaignAudience([UnitKind.County], [OwningUnit.University("wmu"), OwningUnit.Department("academic")]),
        new Deadline(June(15)),
        new SubmissionTemplate(["活动总结", "主要成效"], 2, [FileKind.Image, FileKind.Document]),
        [new ReceivingOffice(UnitKind.County, "office"), new ReceivingOffice(UnitKind.University, "academic"), new ReceivingOffice(UnitKind.Secretariat, "office")]);

    private static Campaign Create(CampaignDraft? draft = null) =>
        CampaignRules.Create("wyss-2020", "workers-day", draft ?? Draft, Edition, Facts, Secretariat, Now).Entity;

    private static Campaign Published() =>
        CampaignRules.Apply(Create(), new CampaignChange(Status: CampaignStatus.Published), Edition, Facts, Secretariat, Now).Entity;

    [Fact]
    public void The_body_is_sanitised_when_it_enters_and_a_draft_has_no_addressees()
    {
        var campaign = Create();
        Assert.Equal(CampaignStatus.Draft, campaign.Status);
        Assert.Empty(campaign.Addressees);
        Assert.DoesNotContain("script", campaign.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", campaign.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript", campaign.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<p>各单位：请于6月15日前报送活动总结。</p>", campaign.Body, StringComparison.Ordinal);
        var changed = CampaignRules.Apply(campaign, new CampaignChange(Body: "<img src=x onerror=alert(1)><b>新</b>"), Edition, Facts, Secretariat, Later).Entity;
        Assert.Equal("<b>新</b>", changed.Body);
    }

    [Fact]
    public void Publishing_resolves_the_audience_into_units_in_order()
    {
        var campaign = Published();
        Assert.Equal(CampaignStatus.Published, campaign.Status);
        Assert.Equal(
            ["county:lucheng", "county:ouhai", "county:pingyang", "university:wmu", "secretariat:academic"],
            campaign.Addressees.Select(u => u.ToString()));
        Assert.Equal(Now, campaign.PublishedAt);
        Assert.Equal("office", campaign.ReceiverOf(OwningUnit.County("ouhai")));
    }

    [Fact]
    public void Publishing_needs_a_deadline_and_a_receiver_for_every_kind_addressed()
    {
        var bare = Create(Draft with { Deadline = null, Receivers = [new ReceivingOffice(UnitKind.County, "office")] });
        var error = Invalid(() => CampaignRules.Apply(bare, new CampaignChange(Status: CampaignStatus.Published), Edition, Facts, Secretariat, Later), "deadline");
        Assert.Contains("university, secretariat", Message(error, "receivers"), StringComparison.Ordinal);
        var nobody = Create(Draft with { Audience = CampaignAudience.None });
        Invalid(() => CampaignRules.Apply(nobody, new CampaignChange(Status: CampaignStatus.Published), Edition, Facts, Secretariat, Later), "audience");
    }

    [Fact]
    public void The_deadline_is_a_working_day_in_the_preparation_window()
    {
        // Saturday 13 June 2020 and the Dragon Boat holiday (25 June) are refused; Sunday 28 June is a make-up working day.
        Invalid(() => Create(Draft with { Deadline = new Deadline(June(13)) }), "deadline");
        Invalid(() => Create(Draft with { Deadline = new Deadline(June(25), new LocalTime(17, 0)) }), "deadline");
        Invalid(() => Create(Draft with { Deadline = new Deadline(new LocalDate(2020, 3, 2)) }), "deadline");
        Assert.Equal(new Deadline(June(28)), Create(Draft with { Deadline = new Deadline(June(28)) }).Deadline);
    }

    [Fact]
    public void Bad_audiences_templates_and_receivers_are_refused_by_field()
    {
        Invalid(() => Create(Draft with { Audience = new CampaignAudience([UnitKind.Secretariat], []) }), "audience.allOf[0]");
        Invalid(() => Create(Draft with { Audience = new CampaignAudience([], [OwningUnit.County("nowhere")]) }), "audience.units[0]");
        Invalid(() => Create(Draft with { Audience = new CampaignAudience([], [OwningUnit.Department("kitchen")]) }), "audience.units[0]");
        Invalid(() => Create(Draft with { Audience = new CampaignAudience([], [OwningUnit.County("ouhai"), OwningUnit.County("ouhai")]) }), "audience.units");
        Invalid(() => Create(Draft with { Template = new SubmissionTemplate(["总结", "总结"], 0, [FileKind.Image]) }), "template.sections");
        Invalid(() => Create(Draft with { Template = new SubmissionTemplate(["总结"], 2, [FileKind.Document]) }), "template.fileKinds");
        Invalid(() => Create(Draft with { Template = new SubmissionTemplate(["总结"], 51, [FileKind.Image]) }), "template.minImages");
        Invalid(() => Create(Draft with { Receivers = [new ReceivingOffice(UnitKind.County, "kitchen")] }), "receivers[0].department");
        Invalid(() => Create(Draft with { PeriodStart = June(10), PeriodEnd = June(1) }), "periodEnd");
    }

    [Fact]
    public void Status_moves_and_what_is_fixed_after_publishing()
    {
        var published = Published();
        Invalid(() => CampaignRules.Apply(published, new CampaignChange(Template: new SubmissionTemplate(["别的"], 0, [FileKind.Image])), Edition, Facts, Secretariat, Later), "template");
        Invalid(() => CampaignRules.Apply(published, new CampaignChange(Audience: new CampaignAudience([UnitKind.University], [])), Edition, Facts, Secretariat, Later), "audience");
        Invalid(() => CampaignRules.Apply(published, new CampaignChange(Status: CampaignStatus.Archived), Edition, Facts, Secretariat, Later), "status");
        // The same template sent again is no change; the deadline and title may still change.
        var moved = CampaignRules.Apply(published, new CampaignChange(Template: published.Template, Deadline: new Deadline(June(19)), Title: "延期通知"), Edition, Facts, Secretariat, Later);
        Assert.Equal(["title", "deadline"], moved.Changes.Select(c => c.Field));
        var closed = CampaignRules.Apply(moved.Entity, new CampaignChange(Status: CampaignStatus.Closed), Edition, Facts, Secretariat, Later).Entity;
        var reopened = CampaignRules.Apply(closed, new CampaignChange(Status: CampaignStatus.Published), Edition, Facts, Secretariat, Later).Entity;
        Assert.Equal(published.Addressees, reopened.Addressees);
        Assert.Equal([CampaignStatus.Published, CampaignStatus.Archived], CampaignRules.Next(CampaignStatus.Draft));
    }

    private static SubmissionRules.Outcome Act(
        Submission? current, Campaign campaign, SubmissionChange change, Instant? at = null, Actor? actor = null, AttachedFiles? files = null) =>
        SubmissionRules.Apply(current, "wyss-2020", Submission.IdOf(campaign.Id, OwningUnit.County("pingyang")), campaign, OwningUnit.County("pingyang"),
            change, DateTimeZoneProviders.Tzdb["Asia/Shanghai"], actor ?? Pingyang, at ?? Now, files ?? Uploads);

    private static StoredFile Upload(string id, FileKind kind = FileKind.Image, string owner = "pingyang", long length = 1024, string? attachedTo = null) =>
        new(id, "wyss-2020", OwningUnit.County(owner), $"county-{owner}", $"{id}.{(kind == FileKind.Image ? "jpg" : "pdf")}",
            kind == FileKind.Image ? "image/jpeg" : "application/pdf", kind, length, new string('0', 64), kind == FileKind.Image, Now, attachedTo);

    /// <summary>What the file store holds for Pingyang in these tests: four photos of its own.</summary>
    private static readonly AttachedFiles Uploads = new(
        new[] { "img-1", "img-2", "a", "b" }.Select(id => Upload(id)).ToDictionary(f => f.Id), AttachmentLimits.Default.MaxBytes);

    private static readonly SubmissionSection[] Written = [new("活动总结", "<p>举办科技工作者座谈会</p>"), new("主要成效", "覆盖科技工作者 <b>300</b> 人")];

    [Fact]
    public void A_submission_is_saved_submitted_returned_and_resubmitted_with_a_version_each_time()
    {
        var campaign = Published();
        var draft = Act(null, campaign, new SubmissionChange(SubmissionAction.Save, [new("活动总结", "草稿<script>x</script>")]));
        Assert.Null(draft.Version);
        Assert.Equal((SubmissionStatus.Draft, 1, "草稿", "office"), (draft.Result.Entity.Status, draft.Result.Entity.Version, draft.Result.Entity.Sections[0].Text, draft.Result.Entity.Receiver));

        // Not every section written, too few images.
        var incomplete = Invalid(() => Act(draft.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Submit)), "sections");
        Assert.Contains("主要成效", Message(incomplete, "sections"), StringComparison.Ordinal);
        Invalid(() => Act(draft.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Submit, Written, ["img-1"])), "files");

        var submitted = Act(draft.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Submit, Written, ["img-1", "img-2"]));
        Assert.Equal((SubmissionStatus.Submitted, 1, false), (submitted.Result.Entity.Status, submitted.Version!.Number, submitted.Version.Late));
        Assert.Equal(["活动总结", "主要成效"], submitted.Result.Entity.Sections.Select(s => s.Title));
        // Locked while under review; returning needs a comment.
        Invalid(() => Act(submitted.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Save, Written)), "status");
        Invalid(() => Act(submitted.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Return), actor: Secretariat), "comment");

        var returned = Act(submitted.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Return, Comment: "请补充活动照片说明"), actor: Secretariat);
        Assert.Equal((SubmissionStatus.Returned, "请补充活动照片说明"), (returned.Result.Entity.Status, returned.Result.Entity.ReviewComment));
        var revised = Act(returned.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Save, [Written[0], new("主要成效", "覆盖 320 人")]));
        Assert.Equal(SubmissionStatus.Returned, revised.Result.Entity.Status);
        // Resubmitted after the deadline: version 2 is late, the submission (first handed in on time) is not.
        var afterDeadline = Instant.FromUtc(2020, 6, 16, 2, 0);
        var again = Act(revised.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Submit), afterDeadline);
        Assert.Equal((2, true, false), (again.Version!.Number, again.Version.Late, again.Result.Entity.Late));
        var accepted = Act(again.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Accept), afterDeadline, Secretariat);
        Assert.Equal(SubmissionStatus.Accepted, accepted.Result.Entity.Status);
        Invalid(() => Act(accepted.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Save, Written)), "status");
    }

    [Fact]
    public void A_first_submission_after_the_deadline_is_late_and_a_closed_campaign_takes_none()
    {
        var campaign = Published();
        // Due by the end of 15 June in Wenzhou: 16:00 UTC.
        var onTime = Act(null, campaign, new SubmissionChange(SubmissionAction.Submit, Written, ["a", "b"]), Instant.FromUtc(2020, 6, 15, 15, 59));
        Assert.False(onTime.Result.Entity.Late);
        var late = Act(null, campaign, new SubmissionChange(SubmissionAction.Submit, Written, ["a", "b"]), Instant.FromUtc(2020, 6, 15, 16, 1));
        Assert.True(late.Result.Entity.Late);
        var closed = CampaignRules.Apply(campaign, new CampaignChange(Status: CampaignStatus.Closed), Edition, Facts, Secretariat, Later).Entity;
        Invalid(() => Act(null, closed, new SubmissionChange(SubmissionAction.Save, Written)), "campaign");
    }

    [Fact]
    public void Sections_and_files_are_checked_in_one_place()
    {
        var campaign = Published();
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, [new("不存在的栏目", "x")])), "sections[0].title");
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["ok", "ok"])), "files");
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["../etc/passwd"])), "files[0]");
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: Enumerable.Range(0, 51).Select(i => $"f{i}").ToArray())), "files");
    }

    [Fact]
    public void Attached_files_must_be_the_units_own_of_an_accepted_kind_within_the_size_a_submission_holds()
    {
        var campaign = Published();
        var mine = Submission.IdOf(campaign.Id, OwningUnit.County("pingyang"));
        var store = new AttachedFiles(new[]
        {
            Upload("photo"), Upload("plan", FileKind.Document), Upload("video", FileKind.Video), Upload("theirs", owner: "ruian"),
            Upload("elsewhere", attachedTo: "submission:other:county:pingyang"), Upload("kept", attachedTo: SubmissionFiles.AttachedTo(mine)),
            Upload("huge", length: 150L * 1024 * 1024), Upload("huge2", length: 60L * 1024 * 1024),
        }.ToDictionary(f => f.Id), AttachmentLimits.Default.MaxBytes);

        Assert.Contains("not a file uploaded for this unit", Message(Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["theirs"]), files: store), "files[0]"), "files[0]"), StringComparison.Ordinal);
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["nowhere"]), files: store), "files[0]");
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["photo", "elsewhere"]), files: store), "files[1]");
        // The template takes images and documents, not videos.
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["video"]), files: store), "files[0]");
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["huge", "huge2"]), files: store), "files");
        var saved = Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Written, ["photo", "plan", "kept", "huge"]), files: store);
        Assert.Equal(["photo", "plan", "kept", "huge"], saved.Result.Entity.Files);
        // A document is no image: three images are attached, and two are required.
        var submitted = Act(saved.Result.Entity, campaign, new SubmissionChange(SubmissionAction.Submit), files: store);
        Assert.Equal(SubmissionStatus.Submitted, submitted.Result.Entity.Status);
        var oneImage = Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Submit, Written, ["photo", "plan"]), files: store), "files");
        Assert.Contains("attached: 1", Message(oneImage, "files"), StringComparison.Ordinal);
        // The secretariat writing for the unit may attach what the secretariat uploaded.
        var office = new AttachedFiles(new Dictionary<string, StoredFile> { ["memo"] = Upload("memo") with { Owner = OwningUnit.Department("office") } }, AttachmentLimits.Default.MaxBytes);
        Assert.Equal(["memo"], Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["memo"]), actor: Secretariat, files: office).Result.Entity.Files);
        Invalid(() => Act(null, campaign, new SubmissionChange(SubmissionAction.Save, Files: ["memo"]), files: office), "files[0]");
    }

    [Fact]
    public void Units_read_only_published_campaigns_addressed_to_them_and_only_their_own_submission()
    {
        var draft = Create();
        var published = Published();
        var ouhai = new Actor("county-ouhai", Role.County, "ouhai");
        var wzu = new Actor("university-wzu", Role.University, "wzu");
        var leader = new Actor("leader", Role.Leader);
        Assert.False(AccessRules.Allows(Pingyang, Access.Read, ResourceScope.Of(draft)));
        Assert.True(AccessRules.Allows(Pingyang, Access.Read, ResourceScope.Of(published)));
        Assert.False(AccessRules.Allows(Pingyang, Access.Write, ResourceScope.Of(published)));
        Assert.False(AccessRules.Allows(wzu, Access.Read, ResourceScope.Of(published)));
        Assert.True(AccessRules.Allows(leader, Access.Read, ResourceScope.Of(draft)));

        AccessRules.EnsureSubmission(Pingyang, published, OwningUnit.County("pingyang"), SubmissionAction.Submit);
        var hidden = Assert.Throws<AccessRefusedException>(() => AccessRules.EnsureSubmission(ouhai, published, OwningUnit.County("pingyang"), null));
        Assert.False(hidden.Visible);
        Assert.False(Assert.Throws<AccessRefusedException>(() => AccessRules.EnsureSubmission(wzu, published, OwningUnit.University("wzu"), null)).Visible);
        Assert.True(Assert.Throws<AccessRefusedException>(() => AccessRules.EnsureSubmission(Pingyang, published, OwningUnit.County("pingyang"), SubmissionAction.Accept)).Visible);
        Assert.True(Assert.Throws<AccessRefusedException>(() => AccessRules.EnsureSubmission(leader, published, OwningUnit.County("pingyang"), SubmissionAction.Save)).Visible);
        AccessRules.EnsureSubmission(leader, published, OwningUnit.County("pingyang"), null);
        AccessRules.EnsureSubmission(Secretariat, published, OwningUnit.County("pingyang"), SubmissionAction.Return);
    }
}
