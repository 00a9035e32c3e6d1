using Summit.Gateway.Documents;

namespace Summit.Tests.Documents;

/// <summary>The pieces the document builders stand on: image headers, rich text and file names.</summary>
public sealed class DocumentPartsTests
{
    private sealed class ForwardOnly(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("png", 2400, 1200)]
    [InlineData("jpeg", 200, 100)]
    [InlineData("jpeg", 4032, 3024)]
    public async Task The_pixel_size_is_read_from_the_header_of_a_forward_only_stream(string format, int width, int height)
    {
        var bytes = format == "png" ? TestImages.Png(width, height) : TestImages.Jpeg(width, height);
        var info = await ImageHeader.ReadAsync(new ForwardOnly(bytes), CancellationToken.None);
        Assert.Equal(new ImageInfo(format == "png" ? ImageFormat.Png : ImageFormat.Jpeg, width, height), info);
    }

    [Fact]
    public async Task A_gif_is_read_and_anything_else_is_not_an_image()
    {
        byte[] gif = [.. "GIF89a"u8, 0x40, 0x01, 0xF0, 0x00, 0, 0, 0];
        Assert.Equal(new ImageInfo(ImageFormat.Gif, 320, 240), await ImageHeader.ReadAsync(new MemoryStream(gif), CancellationToken.None));
        foreach (var bytes in new[] { ""u8.ToArray(), "hello"u8.ToArray(), TestImages.Png(10, 10)[..20], TestImages.Jpeg(10, 10)[..3100], "RIFF....WEBPVP8 "u8.ToArray() })
            Assert.Null(await ImageHeader.ReadAsync(new MemoryStream(bytes), CancellationToken.None));
    }

    [Fact]
    public void Plain_text_is_a_paragraph_per_line_and_html_keeps_only_what_word_shows()
    {
        Assert.Equal(["第一段", "　　第二段"], RichText.Parse("第一段\r\n\r\n　　第二段  \n").Select(p => p.Inlines.Single().Text));
        Assert.Empty(RichText.Parse("  "));
        Assert.Equal(["a < b"], RichText.Parse("a < b").Select(p => p.Inlines.Single().Text));

        var html = RichText.Parse("<p>  甲 <b>乙<i>丙</i></b>&amp;丁 </p><p><br></p><div>戊<img src=x><span style='color:red'>己</span></div><h3>标题</h3><style>p{}</style>");
        Assert.Equal(["甲 乙丙&丁", "戊己", "标题"], html.Select(p => string.Concat(p.Inlines.Select(i => i.Text))));
        Assert.Equal([false, true, true, false], html[0].Inlines.Select(i => i.Bold));
        Assert.Equal([false, false, true, false], html[0].Inlines.Select(i => i.Italic));
        Assert.True(html[2].Heading);

        // Quill writes both kinds of list as <ol> with data-list, and nesting as a class.
        var quill = RichText.Parse("<ol><li data-list=\"ordered\">一</li><li data-list=\"bullet\" class=\"ql-indent-1\">点</li></ol>");
        Assert.Equal([(true, 0), (false, 1)], quill.Select(p => (p.ListItem!.Ordered, p.ListItem.Level)));
        Assert.Equal("abc😀", RichText.XmlSafe("a\u0001b\uD800c😀"));
    }

    [Theory]
    [InlineData("照片.jpg", "照片.jpg")]
    [InlineData("C:\\Users\\张三\\总结.docx", "总结.docx")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("a:b*c?d\"e<f>g|h.txt", "a_b_c_d_e_f_g_h.txt")]
    [InlineData("报告. . .", "报告")]
    [InlineData("CON.txt", "_CON.txt")]
    [InlineData("nul", "_nul")]
    [InlineData("", "file")]
    [InlineData("...", "file")]
    [InlineData("tab\there", "tab_here")]
    public void File_names_are_made_safe(string name, string expected) => Assert.Equal(expected, FileNames.Sanitize(name));

    [Fact]
    public void Long_names_keep_their_extension_and_repeated_names_are_numbered_ignoring_case()
    {
        var longName = FileNames.Sanitize(new string('长', 300) + ".pdf");
        Assert.Equal(120, longName.Length);
        Assert.EndsWith("长.pdf", longName);

        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["a.png", "A (2).PNG", "a (3).png", "b"], new[] { "a.png", "A.PNG", "a.png", "b" }.Select(n => FileNames.Unique(n, taken)));
    }
}
