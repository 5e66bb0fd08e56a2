using System.Text;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Documents;

/// <summary>Redactions made on the old extracted text are placed on the new pages, or flagged, never dropped.</summary>
public sealed class LegacyRedactionsTests
{
    private const string Note = "Maya Okafor was absent on Monday.\nLater that week Maya Okafor returned to class.";

    /// <summary>A redaction as the previous version stored it: a span of the old text, no boxes.</summary>
    private static Redaction Legacy(Record record, DocumentPipeline.Read read, int oldStart, int oldEnd, string text)
    {
        var onPages = read.Text.Text.IndexOf(text, StringComparison.Ordinal);
        var redaction = Redaction.Propose(record, read.Text, onPages, onPages + text.Length, RedactionCategory.StudentName, ExemptionCatalog.Ferpa, "",
            "officer@district.example", DateTimeOffset.UtcNow, RedactionStatus.Approved);
        redaction.Place(oldStart, oldEnd, []);
        return redaction;
    }

    [Fact]
    public async Task ARedactionOfTheSecondOccurrence_IsPlacedOnTheSecondOccurrenceOnThePage()
    {
        var original = Encoding.UTF8.GetBytes(Note);
        var read = await DocumentPipeline.ReadAsync(original, "note.txt");
        var record = Record.Attach(Guid.NewGuid(), "note.txt", "text/plain", original.Length, "", RecordSource.Upload, "officer", DateTimeOffset.UtcNow);
        var second = Note.LastIndexOf("Maya Okafor", StringComparison.Ordinal);
        var redaction = Legacy(record, read, second, second + 11, "Maya Okafor");

        LegacyRedactions.Place(record, [redaction], read.Text, original);

        Assert.Null(redaction.PlacementProblem);
        Assert.False(redaction.BlocksRelease);
        Assert.Equal(read.Text.Text.LastIndexOf("Maya Okafor", StringComparison.Ordinal), redaction.Start);
        Assert.Equal("Maya Okafor", read.Text.Text[redaction.Start..redaction.End]);
        var box = Assert.Single(redaction.Boxes);
        var secondLine = read.Text.Words.First(w => w.Start == redaction.Start).Word;
        Assert.True(box.Y <= secondLine.Y && box.Bottom >= secondLine.Y + secondLine.Height, "the box sits on the second line's word");
    }

    [Fact]
    public async Task ARedactionThatNoLongerMatches_IsFlaggedForReview_AndHoldsTheReleaseBack_UntilRejected()
    {
        var original = Encoding.UTF8.GetBytes(Note);
        var read = await DocumentPipeline.ReadAsync(original, "note.txt");
        var record = Record.Attach(Guid.NewGuid(), "note.txt", "text/plain", original.Length, "", RecordSource.Upload, "officer", DateTimeOffset.UtcNow);
        // Its offsets point at other characters of the old text than the words it withholds.
        var redaction = Legacy(record, read, 3, 14, "Maya Okafor");

        LegacyRedactions.Place(record, [redaction], read.Text, original);

        Assert.NotNull(redaction.PlacementProblem);
        Assert.Empty(redaction.Boxes);
        Assert.True(redaction.BlocksRelease);
        redaction.Decide(RedactionStatus.Rejected, "officer", DateTimeOffset.UtcNow);
        Assert.False(redaction.BlocksRelease);
    }
}
