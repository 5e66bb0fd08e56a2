using RecordsRequests.TestSupport;

namespace RecordsRequests.Tests.Archive;

public class BenchCorpusTests
{
    [Fact]
    public void SameSeed_GeneratesTheSameMessages_SoBenchmarkRunsCompareOneCorpus()
    {
        var first = new BenchCorpus(10_000, 7);
        var second = new BenchCorpus(10_000, 7);

        foreach (var index in new long[] { 0, 1, 4_321, 9_999 })
        {
            var a = first.Message(index);
            var b = second.Message(index);
            Assert.Equal((a.Content.Subject, a.Content.Body, a.Content.SentAt, a.Custodian, a.ThreadId), (b.Content.Subject, b.Content.Body, b.Content.SentAt, b.Custodian, b.ThreadId));
            Assert.Equal(a.Content.Attachments.Select(x => (x.FileName, x.Text)), b.Content.Attachments.Select(x => (x.FileName, x.Text)));
        }
        Assert.NotEqual(first.Message(5).Content.Body, new BenchCorpus(10_000, 8).Message(5).Content.Body);
    }

    [Fact]
    public void Corpus_HasThreadsAttachmentsAndDatesInOrder()
    {
        var corpus = new BenchCorpus(2_000, 42);
        var messages = Enumerable.Range(0, 2_000).Select(i => corpus.Message(i)).ToList();

        Assert.InRange(messages.Count(m => m.Content.Subject.StartsWith("Re: ", StringComparison.Ordinal)), 400, 1_000);
        Assert.InRange(messages.Count(m => m.Content.Attachments.Count > 0), 150, 350);
        Assert.All(messages.Where(m => m.Content.Subject.StartsWith("Re: ", StringComparison.Ordinal)),
            m => Assert.Equal(messages[int.Parse(m.ThreadId.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)].Content.Subject, m.Content.Subject[4..]));
        Assert.True(messages[0].Content.SentAt < messages[^1].Content.SentAt);
    }
}
