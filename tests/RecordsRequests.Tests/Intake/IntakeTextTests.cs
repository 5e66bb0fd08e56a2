using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Tests.Intake;

public class IntakeTextTests
{
    [Theory]
    [InlineData("Request under G.L. c. 66, § 10", CitedLaw.MassachusettsPublicRecordsLaw)]
    [InlineData("pursuant to M.G.L. c.66 s.10", CitedLaw.MassachusettsPublicRecordsLaw)]
    [InlineData("under the Massachusetts public records law", CitedLaw.MassachusettsPublicRecordsLaw)]
    [InlineData("This is a FOIA request", CitedLaw.FederalFoia)]
    [InlineData("under the Freedom of Information Act", CitedLaw.FederalFoia)]
    [InlineData("per 5 U.S.C. § 552", CitedLaw.FederalFoia)]
    [InlineData("under 603 CMR 23.07 I ask to inspect", CitedLaw.StudentRecordRegulations)]
    [InlineData("I want my daughter's student record", CitedLaw.StudentRecordRegulations)]
    [InlineData("FOIA and c. 66 request", CitedLaw.MassachusettsPublicRecordsLaw)]
    [InlineData("Please send the budget", CitedLaw.None)]
    [InlineData("Room 66 schedule", CitedLaw.None)]
    public void CitedLaw_IsDetectedFromTheText(string text, CitedLaw expected) =>
        Assert.Equal(expected, CitedLawDetector.Detect(null, text));

    [Theory]
    [InlineData("FOIA request", "Please send the budget.", CitedLaw.FederalFoia)]
    [InlineData("FOIA request", "Under G.L. c. 66 I ask for the budget.", CitedLaw.MassachusettsPublicRecordsLaw)]
    [InlineData("Student records", "My son's file, please.", CitedLaw.StudentRecordRegulations)]
    [InlineData(null, null, CitedLaw.None)]
    public void CitedLaw_IsDetectedInTheSubjectOrTheBody_TheStrongestCitationWinning(string? subject, string? body, CitedLaw expected) =>
        Assert.Equal(expected, CitedLawDetector.Detect(subject, body));

    [Theory]
    [InlineData("  Dear clerk,\r\n\r\n\r\n\r\nPlease send the budget.\r\n  ", "Dear clerk,\n\nPlease send the budget.")]
    [InlineData("one\rtwo\r\n\r\nthree", "one\ntwo\n\nthree")]
    [InlineData("a\n \t\n\t\n  b", "a\n\n  b")]
    [InlineData("a\n\u000b\n\nb", "a\n\u000b\n\nb")]
    [InlineData("\r\n\r\n", "")]
    [InlineData("", "")]
    public void BlankLines_AreCollapsedToOne_LineBreaksWrittenLf_AndTheTextTrimmed(string text, string expected) =>
        Assert.Equal(expected, MailContent.CollapseBlankLines(text));

    /// <summary>The rule as the regular expressions it was first written with, on random mixes of the characters that matter.</summary>
    [Fact]
    public void BlankLines_AreCollapsedAsTheRuleSays_OnAnyMixOfBreaksSpacesAndText()
    {
        var random = new Random(20261206);
        char[] alphabet = ['a', ' ', '\t', '\r', '\n', '\u00a0', '\u000b'];
        for (var round = 0; round < 5000; round++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var rule = System.Text.RegularExpressions.Regex.Replace(text.Replace("\r\n", "\n").Replace('\r', '\n'), @"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n").Trim();
            Assert.True(rule == MailContent.CollapseBlankLines(text), $"for {System.Text.Json.JsonSerializer.Serialize(text)}");
        }
    }

    /// <summary>
    /// A plain-text body read straight from its stored bytes is the body MimeKit decodes, on every message of the shared
    /// Enron mail and the MIME parsers' test messages (charsets, transfer encodings, NUL bytes, broken mail).
    /// </summary>
    [Fact]
    public void APlainBodyReadFromItsStoredBytes_IsTheBodyMimeKitDecodes()
    {
        var parser = new MailParser(new IntakeOptions());
        var corpora = Path.GetDirectoryName(Path.GetDirectoryName(Archive.PunctuationSplitFilterTests.EnronFolder()))!;
        var files = Directory.EnumerateFiles(Archive.PunctuationSplitFilterTests.EnronFolder(), "*", SearchOption.AllDirectories)
            .Concat(new[] { "mimekit", "stalwart-mail-parser", "enmime", "mime4j" }
                .SelectMany(corpus => Directory.EnumerateFiles(Path.Combine(corpora, corpus), "*.eml", SearchOption.AllDirectories)))
            .ToList();
        var plain = 0;
        var readStraight = 0;
        foreach (var file in files)
        {
            if (parser.Parse(File.ReadAllBytes(file), CancellationToken.None).Message is not { Body: MimeKit.TextPart { IsPlain: true, IsAttachment: false } only } message)
            {
                continue;
            }
            plain++;
            readStraight += StoredText.IsItsText(only) ? 1 : 0;
            Assert.True(MailContent.CollapseBlankLines(message.TextBody ?? "") == MailContent.BodyText(message), file);
        }
        Assert.True(plain > 2400, $"only {plain} plain-text messages of {files.Count}");
        Assert.True(readStraight > 2000, $"only {readStraight} of {plain} plain-text bodies were read from their stored bytes");
    }

    [Theory]
    [InlineData("Re: [PRR-2026-0042] We received your records request", "PRR-2026-0042")]
    [InlineData("about prr 2026 0042", "PRR-2026-0042")]
    [InlineData("PRR-2027-12345 follow-up", "PRR-2027-12345")]
    [InlineData("XPRR-2026-0042", null)]
    [InlineData("no number", null)]
    public void TrackingNumber_IsFoundInTheSubject(string subject, string? expected) =>
        Assert.Equal(expected, TrackingReference.FindIn(subject));

    [Theory]
    [InlineData("Re: RE: Fwd: [PRR-2026-0001] Bus  contracts", "bus contracts")]
    [InlineData("AW: Antw: Budget", "budget")]
    public void Subject_IsNormalizedForThreading(string subject, string expected) =>
        Assert.Equal(expected, TrackingReference.NormalizeSubject(subject));

    [Fact]
    public void NearIdenticalRequests_ScoreHighAndDifferentOnesLow()
    {
        const string first = "Please send all contracts between the district and school bus operators in force during 2025, in electronic form.";
        const string resent = "Please send all contracts between the district and school bus operators in force during 2025 in electronic form!";
        const string other = "Please send the superintendent's employment contract and all amendments since 2020.";

        Assert.True(SimilarText.Similarity(first, resent) >= 0.8);
        Assert.True(SimilarText.Similarity(first, other) < 0.2);
    }

    [Fact]
    public void Shingles_AreTheTextsDistinctRunsOfThreeWords_WhateverTheirCase_InTheirOrder()
    {
        const string text = "The bus routes of Lincoln School, the BUS routes of Adams School, and the bus routes of 2025: the bus routes of Lincoln School.";
        var words = System.Text.RegularExpressions.Regex.Matches(text.ToLowerInvariant(), @"[\p{L}\p{N}]+").Select(m => m.Value).ToList();
        var runs = Enumerable.Range(0, words.Count - 2).Select(i => string.Join(' ', words.Skip(i).Take(3))).ToHashSet();

        Assert.Equal(runs.Count, SimilarText.Shingles(text).Count);
        Assert.Equal(1.0, SimilarText.Similarity(text, text.ToUpperInvariant()));
        Assert.Equal(0.0, SimilarText.Similarity("bus routes school", "school routes bus"));
        Assert.Equal(1.0 / 3, SimilarText.Similarity("bus routes of lincoln", "routes of lincoln bus"), 6);
        Assert.Single(SimilarText.Shingles("two words"));
    }

    [Fact]
    public void Mbox_IsSplitIntoExactMessages()
    {
        var mbox = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "mail", "two-messages.mbox"));

        var messages = MboxSplitter.Split(mbox).Select(m => System.Text.Encoding.UTF8.GetString(m)).ToList();

        Assert.Equal(2, messages.Count);
        Assert.StartsWith("From: Pat Press", messages[0], StringComparison.Ordinal);
        Assert.EndsWith(">From the district office, ideally.\n", messages[0], StringComparison.Ordinal);
        Assert.StartsWith("From: Casey", messages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void PlainMessage_IsOneMessage()
    {
        var eml = "From: a@b.example\r\n\r\nFrom here on\r\n"u8.ToArray();

        Assert.Equal(eml, Assert.Single(MboxSplitter.Split(eml)));
    }
}
