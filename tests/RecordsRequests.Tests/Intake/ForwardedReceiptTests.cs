using RecordsRequests.Features.Intake;

namespace RecordsRequests.Tests.Intake;

/// <summary>The date a forward quotes for its original, as each common mail program writes it, read as an instant.</summary>
public class ForwardedReceiptTests
{
    private static readonly TimeZoneInfo Boston = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    // Gmail and Outlook write no zone: the district's wall time (daylight time in April, standard time in January).
    [InlineData("Wed, Apr 15, 2026 at 7:02 PM", "2026-04-15T19:02:00-04:00")]
    [InlineData("Monday, January 5, 2026 9:14 AM", "2026-01-05T09:14:00-05:00")]
    // Apple Mail names the zone; Thunderbird writes RFC 5322 with an offset.
    [InlineData("March 2, 2026 at 9:14:05 AM EST", "2026-03-02T09:14:05-05:00")]
    [InlineData("Mon, 2 Mar 2026 09:14:05 -0800", "2026-03-02T09:14:05-08:00")]
    public void QuotedDates_AreReadAsTheInstantTheyName(string quoted, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ForwardedReceipt.Parse(quoted, Boston));

    [Fact]
    public void AnUnreadableDate_ProposesNothing() => Assert.Null(ForwardedReceipt.Parse("sometime last week", Boston));
}
