using Summit.Gateway.Documents;

namespace Summit.Tests.Documents;

/// <summary>A campaign's submissions as a caller builds them: Chinese text, rich text, images and other files.</summary>
internal static class ReportSamples
{
    public static readonly byte[] WidePng = TestImages.Png(2400, 1200);
    public static readonly byte[] SmallJpeg = TestImages.Jpeg(200, 100);
    public static readonly byte[] TallPng = TestImages.Png(300, 3000);

    public static ReportFile File(string name, byte[] content, string contentType, bool image = false, Action? opened = null) =>
        new(name, contentType, image, content.Length, _ =>
        {
            opened?.Invoke();
            return Task.FromResult<Stream>(new MemoryStream(content, writable: false));
        });

    public static ReportUnit Pingyang() => new(
        "平阳县", "县（市、区）", "已提交", "2020年5月8日 10:30", Late: false,
        [
            new ReportSection("工作进展", "<p>已完成<strong>分会场</strong>布置，<em>志愿者</em>培训两期。</p><ul><li>场地验收</li><li>安保演练</li></ul><ol><li>第一步</li><li>第二步</li></ol><p>第一行<br>第二行</p><script>alert(1)</script>"),
            new ReportSection("存在问题", "交通接驳车辆不足。\n住宿缺口约 40 间。"),
        ],
        [
            File("现场照片.png", WidePng, "image/png", image: true),
            File("签到表.jpg", SmallJpeg, "image/jpeg", image: true),
            File("总结报告.pdf", "%PDF-1.4 平阳县"u8.ToArray(), "application/pdf"),
        ]);

    public static ReportUnit Ruian() => new(
        "瑞安市", "县（市、区）", "已提交", "2020年5月9日 18:05", Late: true,
        [new ReportSection("工作进展", "<p>完成 <u>3</u> 项任务。</p>")],
        [
            File("照片.png", TallPng, "image/png", image: true),
            File("照片.png", WidePng, "image/png", image: true),
            File("照片.png", SmallJpeg, "image/jpeg", image: true),
            File("第四张.png", WidePng, "image/png", image: true),
            File("../../秘密:文件?.txt", "内容"u8.ToArray(), "text/plain"),
        ]);

    public static ReportUnit Dongtou() => new("洞头区", "县（市、区）", "未提交", null, Late: false, [], []);

    public static CompiledReport Report() => new(
        "世界青年科学家峰会筹备工作汇报", "2020年5月", "<p>各县（市、区）<strong>工作小结</strong>汇编。</p>",
        [Pingyang(), Ruian(), Dongtou()]);
}
