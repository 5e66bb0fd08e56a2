using MimeKit;
using RecordsRequests.Features.Mail;

namespace RecordsRequests.Tests.Mail;

public class ReplyTokensInTests
{
    private const string Token = "abcdefghijklmnopqrstuvwxyz";

    private static MimeMessage Parse(string headers) =>
        MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"From: ann@example.org\r\n{headers}Subject: Re: records\r\n\r\nThanks.\r\n")));

    [Theory]
    [InlineData($"To: Records <records+{Token}@district.example>\r\n")]
    [InlineData($"To: Bo <bo@example.org>, \"Board, School\" <board@district.example>,\r\n  \"Records office\" <records+{Token}@district.example>\r\n")]
    [InlineData($"To: bo@example.org\r\nCc: clerk@district.example, records+{Token}@district.example\r\n")]
    [InlineData($"To: bo@example.org\r\nCc: clerk@district.example\r\nCc: Records <records+{Token}@district.example>\r\n")]
    [InlineData($"To: undisclosed-recipients:;\r\nDelivered-To: records+{Token}@district.example\r\n")]
    [InlineData($"To: friends: bo@example.org, records+{Token}@district.example;\r\n")]
    [InlineData("X-Original-To: records+ABCDEFGHIJKLMNOPQRSTUVWXYZ@district.example\r\n")]
    public void ATokenIsFound_InWhicheverRecipientHeaderCarriesIt(string headers) =>
        Assert.Equal([Token], ReplyAddresses.TokensIn(Parse(headers), null));

    [Theory]
    [InlineData("To: Records <records@district.example>\r\nCc: \"Ann + Bo\" <ann@example.org>\r\n")]
    [InlineData("To: =?utf-8?q?Records=2Boffice?= <records@district.example>\r\n")]
    [InlineData("To: records+short@district.example\r\n")]
    [InlineData("")]
    public void NoTokenIsFound_WhereNoAddressCarriesOne(string headers) =>
        Assert.Empty(ReplyAddresses.TokensIn(Parse(headers), null));

    [Fact]
    public void TheEnvelopesRecipientsAreLookedAtToo() =>
        Assert.Equal([Token], ReplyAddresses.TokensIn(Parse("To: records@district.example\r\n"), [$"records+{Token}@district.example"]));
}
