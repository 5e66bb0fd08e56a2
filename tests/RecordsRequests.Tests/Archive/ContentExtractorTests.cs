using RecordsRequests.Features.Archive;

namespace RecordsRequests.Tests.Archive;

public class ContentExtractorTests
{
    [Fact]
    public void StripHtml_DropsScriptsStylesAndTags_AndDecodesEntities()
    {
        var text = ContentExtractor.StripHtml("<style>p{}</style><p>Bus &amp; van</p><script>alert('x')</script><div>routes</div>");
        Assert.Equal("Bus & van routes", text);
    }

    [Theory]
    [InlineData("<Abc.123@Mail.Example>", "abc.123@mail.example")]
    [InlineData("  abc@x  ", "abc@x")]
    [InlineData("<>", null)]
    public void MessageIds_AreComparedWithoutBracketsOrCase(string raw, string? expected) =>
        Assert.Equal(expected, ContentExtractor.NormalizeMessageId(raw));
}
