using System.Text;
using MimeKit;
using RecordsRequests.Features.Archive;
using RecordsRequests.TestSupport;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// The import cuts mbox files itself, so that every core can parse; an item's identity is the SHA-256 of its bytes,
/// so the cut must fall exactly where MimeKit's mbox parser put it when it did the cutting, or an archive imported
/// before would not recognise its own messages.
/// </summary>
public sealed class MboxReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mbox-reader-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryMessageOfTheEnronSample_IsCutWhereMimeKitCutsIt(bool crlf)
    {
        var mbox = Path.Combine(_folder, "enron.mbox");
        var ids = EnronMbox.Write(EnronMbox.Corpus(), mbox, 2_407 + 100, "reader.test", crlf);

        var ours = MboxReader.Read(mbox).ToList();

        AssertSameAsMimeKit(mbox, ours);
        Assert.Equal(ids.Count, ours.Count);
        Assert.Equal(ids[^1], ContentExtractor.FromMessageBytes(ours[^1].Bytes).MessageId);
    }

    [Fact]
    public void TextBeforeTheFirstSeparator_SeparatorsWithoutBlankLines_AndAnUnfinishedLastLine_AreCutAsMimeKitDoes()
    {
        var mbox = Path.Combine(_folder, "odd.mbox");
        File.WriteAllText(mbox, "Some text before the first separator\nFrom a@x Mon Jan 1 00:00:00 2024\nSubject: one\n\nbody\n"
            + "From b@x Mon Jan 1 00:00:00 2024\nSubject: two\n\nbody two\n\n"
            + "From d@x Mon Jan 1 00:00:00 2024\r\nSubject: three\r\n\r\nlast line without a break", Encoding.ASCII);

        var ours = MboxReader.Read(mbox).ToList();

        Assert.Equal(3, ours.Count);
        AssertSameAsMimeKit(mbox, ours);
    }

    [Fact]
    public void ReadingFromARecordedOffset_GivesTheSameMessagesFromThereOn()
    {
        var mbox = Path.Combine(_folder, "resume.mbox");
        EnronMbox.Write(EnronMbox.Corpus(), mbox, 300, "resume.test");
        var all = MboxReader.Read(mbox).ToList();

        var resumed = MboxReader.Read(mbox, all[123].Offset).ToList();

        Assert.Equal(all.Skip(123).Select(m => (m.Offset, Convert.ToHexString(m.Bytes))), resumed.Select(m => (m.Offset, Convert.ToHexString(m.Bytes))));
        Assert.Throws<InvalidDataException>(() => MboxReader.Read(mbox, all[123].Offset + 3).ToList());
    }

    /// <summary>MimeKit's own cut: the byte range between each message's begin and end offsets, and its separator's offset.</summary>
    private static void AssertSameAsMimeKit(string mbox, List<MboxMessage> ours)
    {
        var file = File.ReadAllBytes(mbox);
        using var stream = File.OpenRead(mbox);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        long begin = 0, end = 0;
        parser.MimeMessageBegin += (_, e) => { if (e.Parent is null) { begin = e.BeginOffset; } };
        parser.MimeMessageEnd += (_, e) => { if (e.Parent is null) { end = e.EndOffset; } };
        var index = 0;
        while (!parser.IsEndOfStream)
        {
            parser.ParseMessage();
            var expected = file.AsSpan((int)begin, (int)(end - begin));
            Assert.True(index < ours.Count, $"MimeKit found more than our {ours.Count} messages.");
            Assert.Equal(parser.MboxMarkerOffset, ours[index].Offset);
            Assert.True(expected.SequenceEqual(ours[index].Bytes),
                $"Message {index} at {ours[index].Offset}: MimeKit's cut is {expected.Length} bytes, ours {ours[index].Bytes.Length}.");
            index++;
        }
        Assert.Equal(ours.Count, index);
    }
}
