using Summit.Domain;
using Summit.Rules;

namespace Summit.Tests.Domain;

public class FieldErrorsTests
{
    [Fact]
    public void Collects_every_field_before_throwing()
    {
        var errors = new FieldErrors().Require("title", "", 10).Range("percentComplete", 101, 0, 100).Code("id", "Bad Id");
        var error = Assert.Throws<DomainValidationException>(errors.ThrowIfAny);
        Assert.Equal(["id", "percentComplete", "title"], error.Errors.Keys.Order());
    }

    [Fact]
    public void Multiline_text_allows_line_breaks_but_not_other_control_characters()
    {
        Assert.False(new FieldErrors().MaxLength("note", "line one\r\nline two\tend", 100, multiline: true).Any);
        Assert.True(new FieldErrors().MaxLength("note", "line one\nline two", 100).Any);
        Assert.True(new FieldErrors().MaxLength("note", "bell\a", 100, multiline: true).Any);
    }
}
