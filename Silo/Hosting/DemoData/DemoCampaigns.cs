using System.Security.Cryptography;
using NodaTime;
using SkiaSharp;
using Summit.Data.Demo;
using Summit.Data.Files;
using Summit.Domain;
using Summit.Grains;
using Summit.Rules;
using Summit.Storage;

namespace Summit.Hosting.DemoData;

/// <summary>
/// The demo's notices and what the units handed in by the demo clock (10 June 2020): the 2020 Workers Day notice (the
/// province's notice of 30 April, passed on by the city association to its counties and universities: a summary with
/// text and photos by 15 June), the sub-venues' site photos and epidemic-prevention plans (due today at 17:00), and the
/// week's progress material (due Monday 8 June, so what comes in now is late). Photos are generated pictures stored
/// through the file store like an upload's, owned by the unit that hands them in.
/// </summary>
public static class DemoCampaigns
{
    private static readonly Actor Secretariat = new("secretariat", Role.Secretariat);

    private static Actor UnitActor(OwningUnit unit) => unit.Kind switch
    {
        UnitKind.County => new($"county-{unit.Code}", Role.County, unit.Code),
        UnitKind.University => new($"university-{unit.Code}", Role.University, unit.Code),
        _ => new($"org-{unit.Code}", Role.Organization, unit.Code),
    };

    /// <summary>Pingyang forwards the Workers Day notice to its three organisations, due 10 June; how far each got.</summary>
    private static readonly (string Parent, OwningUnit By, Deadline Due, string Requirements, Hand[] Hands) PingyangForward =
        ("workers-day-2020", OwningUnit.County("pingyang"), new Deadline(new LocalDate(2020, 6, 10)),
            "<p>请县科协、各学校和乡镇结合实际开展活动，并于<strong>6月10日</strong>前将活动总结（含2张以上照片）报县科协，由县里汇总后上报市科协。</p>",
            [
                new(OwningUnit.Organization("pingyang-kx"), ["<p>组织“科技工作者之家”开放日，座谈会2场。</p>", "<p>走访慰问一线科技工作者12人。</p>"], 2, SubmissionAction.Accept, "已汇总。"),
                new(OwningUnit.Organization("pingyang-zx"), ["<p>举办青少年科技创新成果展。</p>", "<p>参与学生800余人。</p>"], 2, SubmissionAction.Submit),
                new(OwningUnit.Organization("pingyang-aojiang"), ["<p>科普宣传进社区活动筹备中。</p>", ""], 1, SubmissionAction.Save),
            ]);

    /// <summary>What one unit did: its text per section, how many photos, and how the review went.</summary>
    private sealed record Hand(OwningUnit Unit, string[] Texts, int Photos, SubmissionAction Final, string? Comment = null);

    private sealed record Notice(string Id, CampaignDraft Draft, Hand[] Hands);

    private static OwningUnit County(string code) => OwningUnit.County(code);

    private static readonly Notice[] Notices =
    [
        new("workers-day-2020", new CampaignDraft(
                "关于开展2020年“全国科技工作者日”活动的通知",
                "<p>根据省科协、省科技厅《关于开展2020年“全国科技工作者日”活动的通知》要求，现将有关事项通知如下：</p>"
                + "<p><strong>活动主题：</strong>科技为民、奋斗有我。</p>"
                + "<p><strong>活动时间：</strong>5月下旬至6月上旬。</p>"
                + "<p>请各单位结合实际，组织开展科技工作者座谈、科普进社区、走访慰问一线科技工作者等活动，"
                + "并于<strong>6月15日</strong>前报送活动总结（含文字和图片），县（市、区）报市科协办公室，高校报学术活动部。</p>",
                new LocalDate(2020, 5, 20), new LocalDate(2020, 6, 10),
                new CampaignAudience([UnitKind.County, UnitKind.University], []),
                new Deadline(new LocalDate(2020, 6, 15)),
                new SubmissionTemplate(["活动开展情况", "主要成效与亮点"], 2, [FileKind.Image, FileKind.Document]),
                [new ReceivingOffice(UnitKind.County, "office"), new ReceivingOffice(UnitKind.University, "academic")],
                "转发省科协通知"),
            [
                new(County("pingyang"), ["<p>5月29日召开全县科技工作者座谈会，走访慰问一线科技工作者20人。</p>", "<p>覆盖科技工作者600余人，发布科普视频3部。</p>"], 3, SubmissionAction.Accept, "材料齐全，已采纳。"),
                new(County("ruian"), ["<p>开展科普进社区活动6场，举办汽车零部件产业技术交流会。</p>", "<p>参与群众1,200人次。</p>"], 2, SubmissionAction.Submit),
                new(County("wencheng"), ["<p>组织生态康养科技服务队下乡。</p>", "<p>服务农户80户。</p>"], 2, SubmissionAction.Return, "请补充活动现场照片的文字说明，并注明参加人数。"),
                new(County("yongjia"), ["<p>泵阀行业科技工作者表彰会筹备中。</p>", ""], 1, SubmissionAction.Save),
                new(OwningUnit.University("wmu"), ["<p>举办医学青年科技工作者论坛，邀请院士作报告。</p>", "<p>线上线下参与师生2,000余人。</p>"], 2, SubmissionAction.Submit),
            ]),
        new("venue-materials", new CampaignDraft(
                "关于报送分会场场地照片及疫情防控方案的通知",
                "<p>为做好峰会分会场和县域分活动的筹备，请各县（市、区）于<strong>6月10日17:00</strong>前报送场地现状照片（不少于2张）和疫情防控方案。</p>",
                new LocalDate(2020, 6, 1), new LocalDate(2020, 6, 10),
                new CampaignAudience([UnitKind.County], []),
                new Deadline(new LocalDate(2020, 6, 10), new LocalTime(17, 0)),
                new SubmissionTemplate(["场地情况", "疫情防控方案要点"], 2, [FileKind.Image, FileKind.Document]),
                [new ReceivingOffice(UnitKind.County, "logistics")],
                "秘书处会务保障部发起"),
            [
                new(County("pingyang"), ["<p>平阳县科技馆二楼报告厅，可容纳300人，已锁定档期。</p>", "<p>入场测温、扫码、一米线，设置临时隔离点。</p>"], 2, SubmissionAction.Accept),
                new(County("lucheng"), ["<p>鹿城区院士之家多功能厅，容纳150人。</p>", "<p>按市防控指挥部要求执行。</p>"], 2, SubmissionAction.Submit),
                new(County("longwan"), ["<p>温州高新区科创园路演厅。</p>", "<p>防控方案待区卫健局审核。</p>"], 2, SubmissionAction.Submit),
                new(County("cangnan"), ["<p>苍南县科技馆，布展方案修改中。</p>", ""], 1, SubmissionAction.Save),
            ]),
        new("weekly-progress-w23", new CampaignDraft(
                "峰会筹备工作周进展材料报送（第23周）",
                "<p>请各县（市、区）于6月8日（周一）前报送上周筹备工作进展和下周计划。</p>",
                new LocalDate(2020, 6, 1), new LocalDate(2020, 6, 7),
                new CampaignAudience([UnitKind.County], []),
                new Deadline(new LocalDate(2020, 6, 8)),
                new SubmissionTemplate(["本周进展", "下周计划"], 0, [FileKind.Image, FileKind.Document, FileKind.Spreadsheet]),
                [new ReceivingOffice(UnitKind.County, "office")],
                null),
            [
                new(County("ouhai"), ["<p>分活动议程初稿完成。</p>", "<p>6月12日接受市科协检查。</p>"], 0, SubmissionAction.Submit),
                new(County("taishun"), ["<p>茶产业科技对接会嘉宾邀请中。</p>", "<p>落实会场。</p>"], 1, SubmissionAction.Submit),
                new(County("dongtou"), ["<p>海洋经济分活动方案报区委审定。</p>", "<p>启动宣传。</p>"], 0, SubmissionAction.Accept),
            ]),
    ];

    /// <summary>Creates and publishes the notices and plays the units' submissions; a notice that exists is passed over.</summary>
    /// <returns>How many submissions were written.</returns>
    public static async Task<int> SeedAsync(IGrainFactory grains, IFileStore files, string summit, IClock clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(files);
        var written = 0;
        foreach (var organization in DemoReference.Organizations)
        {
            var grain = grains.GetGrain<IOrganizationGrain>(GrainKeys.Of(summit, organization.Code));
            if (await grain.Get() is not null) continue;
            var by = organization.Parent is { } parent ? UnitActor(parent) : Secretariat;
            await grain.Create(new OrganizationDraft(organization.Name, organization.Category, organization.Parent, Note: "登记"), by);
        }
        foreach (var notice in Notices)
        {
            var grain = grains.GetGrain<ICampaignGrain>(GrainKeys.Of(summit, notice.Id));
            if (await grain.Get() is not null) continue;
            var draft = await grain.Create(notice.Draft, Secretariat);
            var campaign = await grain.Change(new CampaignChange(Status: CampaignStatus.Published, Note: "发布"), Secretariat, draft.Version);
            foreach (var hand in notice.Hands.Where(h => campaign.Addresses(h.Unit)))
            {
                var actor = UnitActor(hand.Unit);
                var photos = new List<string>();
                for (var i = 0; i < hand.Photos; i++)
                    photos.Add(await StorePhotoAsync(files, summit, hand.Unit, actor.Account, $"{notice.Id}-{hand.Unit.Code}-{i + 1}", clock.GetCurrentInstant(), cancellationToken));
                var sections = notice.Draft.Template!.Sections.Zip(hand.Texts, (title, text) => new SubmissionSection(title, text)).Where(s => s.Text.Length > 0).ToArray();
                var submission = grains.GetGrain<ISubmissionGrain>(GrainKeys.Of(summit, Submission.IdOf(notice.Id, hand.Unit)));
                var action = hand.Final == SubmissionAction.Save ? SubmissionAction.Save : SubmissionAction.Submit;
                await submission.Act(new SubmissionChange(action, sections, photos), actor);
                if (hand.Final is SubmissionAction.Accept or SubmissionAction.Return)
                    await submission.Act(new SubmissionChange(hand.Final, Comment: hand.Comment), Secretariat);
                written++;
            }
        }
        written += await ForwardAsync(grains, files, summit, clock, cancellationToken);
        return written;
    }

    private static async Task<int> ForwardAsync(IGrainFactory grains, IFileStore files, string summit, IClock clock, CancellationToken cancellationToken)
    {
        var (parentId, by, due, requirements, hands) = PingyangForward;
        var id = CampaignRules.ForwardId(parentId, by);
        var grain = grains.GetGrain<ICampaignGrain>(GrainKeys.Of(summit, id));
        if (await grain.Get() is not null) return 0;
        var county = UnitActor(by);
        var forward = await grain.Forward(new CampaignForward(parentId, null, requirements, due, [.. hands.Select(h => h.Unit.Code)], Note: "转发至县科协、学校和乡镇"), county);
        var written = 0;
        foreach (var hand in hands)
        {
            var actor = UnitActor(hand.Unit);
            var photos = new List<string>();
            for (var i = 0; i < hand.Photos; i++)
                photos.Add(await StorePhotoAsync(files, summit, hand.Unit, actor.Account, $"{id}-{hand.Unit.Code}-{i + 1}", clock.GetCurrentInstant(), cancellationToken));
            var sections = forward.Template.Sections.Zip(hand.Texts, (title, text) => new SubmissionSection(title, text)).Where(s => s.Text.Length > 0).ToArray();
            var submission = grains.GetGrain<ISubmissionGrain>(GrainKeys.Of(summit, Submission.IdOf(id, hand.Unit)));
            await submission.Act(new SubmissionChange(hand.Final == SubmissionAction.Save ? SubmissionAction.Save : SubmissionAction.Submit, sections, photos), actor);
            if (hand.Final is SubmissionAction.Accept or SubmissionAction.Return)
                await submission.Act(new SubmissionChange(hand.Final, Comment: hand.Comment), county);
            written++;
        }
        return written;
    }

    /// <summary>A generated photo (a JPEG of a hall: floor, stage, rows of seats, in colours of its own) stored as the unit's upload.</summary>
    private static async Task<string> StorePhotoAsync(IFileStore files, string summit, OwningUnit owner, string account, string seed, Instant at, CancellationToken cancellationToken)
    {
        var random = new Random(seed.Aggregate(17, (h, c) => unchecked(h * 31 + c)));
        using var bitmap = new SKBitmap(new SKImageInfo(800, 533, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            var hue = random.Next(360);
            canvas.Clear(SKColor.FromHsl(hue, 25, 85));
            using var paint = new SKPaint { IsAntialias = true };
            paint.Color = SKColor.FromHsl(hue, 30, 55);
            canvas.DrawRect(0, 360, 800, 173, paint);
            paint.Color = SKColor.FromHsl((hue + 180) % 360, 55, 40);
            canvas.DrawRect(120, 90, 560, 170, paint);
            paint.Color = SKColors.White;
            canvas.DrawRect(150, 115, 500, 18, paint);
            for (var row = 0; row < 4; row++)
            for (var seat = 0; seat < 12; seat++)
            {
                paint.Color = SKColor.FromHsl((hue + 20 * row) % 360, 60, 35 + random.Next(15));
                canvas.DrawRoundRect(60 + seat * 58, 380 + row * 36, 44, 26, 6, 6, paint);
            }
        }
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 82);
        var bytes = encoded.ToArray();
        var name = $"{seed}.jpg";
        var id = await files.BeginAsync(summit, owner, account, name, at, cancellationToken);
        for (int n = 0, offset = 0; offset < bytes.Length; n++, offset += IFileStore.ChunkBytes)
            await files.WriteChunkAsync(id, n, bytes.AsMemory(offset, Math.Min(IFileStore.ChunkBytes, bytes.Length - offset)), cancellationToken);
        await files.CompleteAsync(
            [new CompletedUpload(id, name, DetectedType.Jpeg, bytes.Length, SHA256.HashData(bytes), ImageProcessor.Thumbnail(bitmap, 320))],
            null, cancellationToken);
        return id;
    }
}
