using RecordsRequests.Features.Intake;

namespace RecordsRequests.Tests.Intake;

public sealed class MailPagesTests
{
    [Fact]
    public void SmallMessages_AreCutIntoPagesOfTheMostMessages_InOrder()
    {
        var messages = Enumerable.Range(1, 2 * MailPages.MaxMessages + 3).ToList();

        var pages = MailPages.Cut(messages, _ => 5_000);

        Assert.Equal(new[] { MailPages.MaxMessages, MailPages.MaxMessages, 3 }, pages.Select(p => p.Length));
        Assert.Equal(messages, pages.SelectMany(p => p));
    }

    [Fact]
    public void LargeMessages_EndAPageBeforeItHoldsMoreThanTheMostBytes_AndOneLargerThanThatIsAPageAlone()
    {
        var third = MailPages.MaxBytes / 3;
        // Three thirds fit; the fourth starts a page; a message over the limit is alone; what follows starts afresh.
        var sizes = new long[] { third, third, third, third, MailPages.MaxBytes + 1, 10, 10 };

        var pages = MailPages.Cut(Enumerable.Range(0, sizes.Length), i => sizes[i]);

        Assert.Equal(new[] { new[] { 0, 1, 2 }, [3], [4], [5, 6] }, pages);
        Assert.All(pages.Where(p => p.Length > 1), p => Assert.True(p.Sum(i => sizes[i]) <= MailPages.MaxBytes));
    }

    [Fact]
    public void NoMessages_MakeNoPage() => Assert.Empty(MailPages.Cut(Array.Empty<int>(), _ => 1));
}
