using Summit.Data.Files;

namespace Summit.Tests.Files;

/// <summary>File names as uploads keep them (<see cref="FileNames"/>).</summary>
public sealed class FileNamesTests
{
    [Theory]
    [InlineData("现场照片.jpg", "现场照片.jpg")]
    [InlineData("C:\\Users\\张三\\Desktop\\平阳县子活动总结.docx", "平阳县子活动总结.docx")]
    [InlineData("/home/a/../../etc/passwd", "passwd")]
    [InlineData("../..", "file")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    [InlineData("   ", "file")]
    [InlineData("a\u0000b\u0007c\r\n.txt", "abc.txt")]
    [InlineData("报告\u202Efdp.exe", "报告fdp.exe")]
    [InlineData("零\u200B宽.pdf", "零宽.pdf")]
    [InlineData("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt")]
    [InlineData("  多个   空格\t名称 .pdf ", "多个 空格 名称 .pdf")]
    [InlineData(".htaccess", "htaccess")]
    [InlineData("名称...", "名称")]
    [InlineData("CON", "_CON")]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("COM1.tar.gz", "_COM1.tar.gz")]
    [InlineData("console.txt", "console.txt")]
    [InlineData("😀表情.png", "😀表情.png")]
    [InlineData("e\u0301cole.pdf", "\u00e9cole.pdf")]
    public void Names_are_made_safe_and_Chinese_is_kept(string? given, string expected) => Assert.Equal(expected, FileNames.Sanitise(given));

    [Fact]
    public void Lone_surrogates_are_dropped() => Assert.Equal("xy.txt", FileNames.Sanitise("x\ud800y.txt"));

    [Fact]
    public void Long_names_are_cut_before_the_extension_and_never_inside_a_character()
    {
        var name = FileNames.Sanitise(string.Concat(Enumerable.Repeat("温州😀", 100)) + ".pdf");
        Assert.True(name.Length <= FileNames.MaxLength);
        Assert.EndsWith("😀.pdf", name);
        Assert.False(char.IsHighSurrogate(name[^5]));
    }

    [Theory]
    [InlineData("通知.pdf", false, "通知.pdf")]
    [InlineData("通知.PDF", false, "通知.PDF")]
    [InlineData("通知.doc", false, "通知.doc.pdf")]
    [InlineData("通知", false, "通知.pdf")]
    public void A_PDF_keeps_or_gains_its_extension(string name, bool replace, string expected) =>
        Assert.Equal(expected, FileNames.WithExtension(name, DetectedType.Pdf, replace));

    [Theory]
    [InlineData("照片.gif", "照片.png")]
    [InlineData("照片.jpg", "照片.png")]
    [InlineData("照片", "照片.png")]
    public void A_re_encoded_image_takes_the_extension_of_what_is_stored(string name, string expected) =>
        Assert.Equal(expected, FileNames.WithExtension(name, DetectedType.Png, replace: true));
}

/// <summary>The file settings are checked at start with messages that name them.</summary>
public sealed class FileStoreOptionsTests
{
    private static IReadOnlyList<string> Failures(FileStoreOptions options) =>
        new Summit.Settings.SettingsValidator<FileStoreOptions>(FileStoreOptions.Section).Validate(null, options).Failures?.ToArray() ?? [];

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Failures(new FileStoreOptions()));

    [Fact]
    public void Wrong_settings_are_named()
    {
        Assert.Contains("Summit:Files:MaxFileBytes must be more than 0 (got 0).", Failures(new FileStoreOptions { MaxFileBytes = 0 }));
        Assert.Contains(Failures(new FileStoreOptions { MaxFileBytes = 200, MaxRequestBytes = 100 }), f => f.StartsWith("Summit:Files:MaxRequestBytes must not be less than MaxFileBytes", StringComparison.Ordinal));
        Assert.Contains(Failures(new FileStoreOptions { AllowedKinds = "image,exe" }), f => f.StartsWith("Summit:Files:AllowedKinds must be kinds", StringComparison.Ordinal));
        Assert.Contains(Failures(new FileStoreOptions { AllowedKinds = "1" }), f => f.StartsWith("Summit:Files:AllowedKinds", StringComparison.Ordinal));
        Assert.Contains(Failures(new FileStoreOptions { PruneUnattachedAfter = TimeSpan.Zero }), f => f.StartsWith("Summit:Files:PruneUnattachedAfter", StringComparison.Ordinal));
        Assert.Equal([Summit.Storage.FileKind.Image, Summit.Storage.FileKind.Other], new FileStoreOptions { AllowedKinds = " other , Image" }.Allowed.Order());
    }

    [Fact]
    public void Images_decode_one_per_core_unless_set_and_the_gate_settings_are_checked()
    {
        Assert.Equal(Environment.ProcessorCount, new FileStoreOptions().ImageConcurrency);
        Assert.Contains("Summit:Files:ImageConcurrency must be more than 0 (got 0).", Failures(new FileStoreOptions { ImageConcurrency = 0 }));
        Assert.Contains(Failures(new FileStoreOptions { ImageQueue = -1 }), f => f.StartsWith("Summit:Files:ImageQueue must be 0 or more", StringComparison.Ordinal));
        Assert.Empty(Failures(new FileStoreOptions { ImageQueue = 0 }));
        Assert.Contains(Failures(new FileStoreOptions { ImageWaitTimeout = TimeSpan.Zero }), f => f.StartsWith("Summit:Files:ImageWaitTimeout must be more than 0", StringComparison.Ordinal));
    }
}
