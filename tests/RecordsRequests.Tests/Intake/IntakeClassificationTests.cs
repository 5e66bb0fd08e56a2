using Microsoft.Extensions.Options;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Tests.Intake;

/// <summary>
/// Stands in for the database: knows one request, PRR-2026-0001 of pat@press.example, its reply token, its
/// acknowledgement's Message-ID and its requester's subject.
/// </summary>
internal sealed class OneRequestThreads : IThreadLookup
{
    public const string Token = "abcdefghijklmnopqrstuvwxyz";
    public static readonly Guid RequestId = Guid.CreateVersion7();
    public static readonly ThreadMatch Match = new(RequestId, "PRR-2026-0001", "test", RequesterEmail: "pat@press.example");

    public Task<ThreadMatch?> ByReplyTokensAsync(IReadOnlyCollection<string> tokens, CancellationToken cancellationToken) =>
        Task.FromResult(tokens.Contains(Token) ? Match with { Proven = true } : null);

    public Task<ThreadMatch?> ByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken) =>
        Task.FromResult(messageIds.Contains("ack-1@demo-district.example") ? Match with { Proven = true } : null);

    public Task<ThreadMatch?> ByTrackingNumberAsync(string trackingNumber, CancellationToken cancellationToken) =>
        Task.FromResult(trackingNumber == "PRR-2026-0001" ? Match : null);

    public Task<ThreadMatch?> ByRequesterSubjectAsync(string senderAddress, string normalizedSubject, CancellationToken cancellationToken) =>
        Task.FromResult(senderAddress == "pat@press.example" && normalizedSubject == "route changes" ? Match : null);
}

public class IntakeClassificationTests
{
    internal static byte[] Mail(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "mail", name));

    /// <remarks>No spamd here: mail "received by the listener" stays unscored (the integration tests score it with a real one).</remarks>
    internal static MailAnalyzer Analyzer(IntakeOptions? options = null)
    {
        options ??= new IntakeOptions();
        options.Spam.Host = "";
        return new(Options.Create(options), Options.Create(new MailOptions { FromAddress = "records@demo-district.example" }));
    }

    private static Task<MailAnalysis> AnalyzeAsync(string name) => Analyzer().AnalyzeAsync(Mail(name), new OneRequestThreads(), CancellationToken.None);

    [Theory]
    [InlineData("new-request-plain.eml", IntakeClassification.Request)]
    [InlineData("new-request-html-only.eml", IntakeClassification.Request)]
    [InlineData("new-request-attachment.eml", IntakeClassification.Request)]
    [InlineData("forwarded-by-staff.eml", IntakeClassification.Request)]
    [InlineData("reply-tracking-subject.eml", IntakeClassification.UnprovenReply)]
    [InlineData("auto-reply-out-of-office.eml", IntakeClassification.Automated)]
    [InlineData("auto-reply-x-autoreply.eml", IntakeClassification.Automated)]
    [InlineData("out-of-office-subject-only.eml", IntakeClassification.Automated)]
    [InlineData("bounce-dsn.eml", IntakeClassification.Automated)]
    [InlineData("read-receipt-mdn.eml", IntakeClassification.Automated)]
    [InlineData("list-mail.eml", IntakeClassification.Automated)]
    [InlineData("no-sender.eml", IntakeClassification.Quarantined)]
    [InlineData("not-mail.eml", IntakeClassification.Quarantined)]
    [InlineData("malformed-huge-header.eml", IntakeClassification.Quarantined)]
    [InlineData("malformed-bare-cr.eml", IntakeClassification.Request)]
    [InlineData("malformed-bad-charset.eml", IntakeClassification.Request)]
    [InlineData("malformed-deep-nesting.eml", IntakeClassification.Quarantined)]
    [InlineData("malformed-truncated-headers.eml", IntakeClassification.Request)]
    public async Task Classify_CommittedMessage_GetsItsClass(string file, IntakeClassification expected)
    {
        var analysis = await AnalyzeAsync(file);

        Assert.Equal(expected, analysis.Decision.Classification);
        Assert.False(string.IsNullOrWhiteSpace(analysis.Decision.Reason));
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-generated\r\n", "Auto-Submitted")]
    [InlineData("X-Autorespond: yes\r\n", "X-Autorespond")]
    [InlineData("Precedence: bulk\r\n", "Precedence: bulk")]
    [InlineData("Precedence: junk\r\n", "Precedence: junk")]
    [InlineData("List-Id: <parents.lists.example>\r\n", "mailing-list")]
    [InlineData("Return-Path: <>\r\n", "null return path")]
    [InlineData("Return-Path: <MAILER-DAEMON@mx.example>\r\n", "returned by")]
    [InlineData("X-POST-MessageClass: 9; Autoresponder\r\n", "X-POST-MessageClass")]
    [InlineData("Sender: postmaster@mx.example\r\n", "postmaster@mx.example")]
    public async Task AutomatedSignal_InOneHeader_KeepsTheMessageFromOpeningARequest(string header, string reasonPart)
    {
        var raw = System.Text.Encoding.ASCII.GetBytes($"From: Someone <someone@example.org>\r\n{header}Subject: Budget\r\n\r\nPlease send the budget.\r\n");

        var decision = (await Analyzer().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None)).Decision;

        Assert.Equal(IntakeClassification.Automated, decision.Classification);
        Assert.Contains(reasonPart, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoSubmittedNo_IsAnOrdinaryMessage()
    {
        var raw = "From: someone@example.org\r\nAuto-Submitted: no\r\nSubject: Budget\r\n\r\nPlease send the budget.\r\n"u8.ToArray();

        Assert.Equal(IntakeClassification.Request, (await Analyzer().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None)).Decision.Classification);
    }

    [Fact]
    public async Task AutoReplyToOurAcknowledgement_IsAutomatedButKeptWithTheRequest()
    {
        var raw = "From: Pat Press <pat@press.example>\r\nSubject: Automatic reply: [PRR-2026-0001] We received your records request\r\nIn-Reply-To: <ack-1@demo-district.example>\r\nAuto-Submitted: auto-replied\r\n\r\nI am out of the office.\r\n"u8.ToArray();

        var analysis = await Analyzer().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.Automated, analysis.Decision.Classification);
        Assert.Equal("PRR-2026-0001", analysis.Decision.Thread?.TrackingNumber);
        Assert.Null(analysis.Decision.Draft);
    }

    [Fact]
    public async Task AutoReplyThatOnlyNamesATrackingNumber_IsNotFiledOnTheRequest()
    {
        var analysis = await AnalyzeAsync("auto-reply-out-of-office.eml");

        Assert.Equal(IntakeClassification.Automated, analysis.Decision.Classification);
        Assert.Null(analysis.Decision.Thread);
        Assert.Contains("not filed", analysis.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplySentToTheRequestsReplyAddress_IsProven()
    {
        var raw = $"From: Someone Else <else@elsewhere.example>\r\nTo: Records <records+{OneRequestThreads.Token.ToUpperInvariant()}@demo-district.example>\r\nSubject: answer\r\n\r\nRoutes 1-5 only.\r\n";

        var analysis = await Analyzer().AnalyzeAsync(System.Text.Encoding.ASCII.GetBytes(raw), new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.Reply, analysis.Decision.Classification);
        Assert.True(analysis.Decision.Thread?.Proven);
    }

    [Fact]
    public async Task TrackingNumberAndRequesterFromHeader_WithoutVerification_IsHeldNotJoined()
    {
        // The requester's own address in From, forged: nothing vouches for it.
        var analysis = await AnalyzeAsync("reply-tracking-subject.eml");

        Assert.Equal(IntakeClassification.UnprovenReply, analysis.Decision.Classification);
        Assert.Equal(OneRequestThreads.RequestId, analysis.Decision.Thread?.RequestId);
        Assert.Contains("could not be verified", analysis.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrackingNumberFromTheRequestersVerifiedAddress_IsAReply()
    {
        byte[] raw = [.. "Authentication-Results: mx.demo-district.example; dkim=pass header.d=press.example; spf=pass smtp.mailfrom=pat@press.example\r\n"u8, .. Mail("reply-tracking-subject.eml")];

        var analysis = await Trusting().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.Reply, analysis.Decision.Classification);
        Assert.Contains("verified address", analysis.Decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authentication-Results: mx.attacker.example; dmarc=pass header.from=press.example\r\n")]
    [InlineData("Received: from mx by mx.demo-district.example\r\nAuthentication-Results: mx.demo-district.example; dkim=fail header.d=press.example\r\nAuthentication-Results: mx.demo-district.example; dmarc=pass header.from=press.example\r\n")]
    [InlineData("Authentication-Results: mx.demo-district.example; dkim=pass header.d=other.example\r\n")]
    public async Task AuthenticationResultsThatAreNotTheTrustedServersOrNotAligned_ProveNothing(string headers)
    {
        byte[] raw = [.. System.Text.Encoding.ASCII.GetBytes(headers), .. Mail("reply-tracking-subject.eml")];

        var analysis = await Trusting().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.UnprovenReply, analysis.Decision.Classification);
    }

    private static MailAnalyzer Trusting() =>
        Analyzer(new IntakeOptions { SenderAuthentication = { TrustedAuthenticationServers = ["mx.demo-district.example"] } });

    [Fact]
    public async Task ReplyWithoutTrackingNumber_IsThreadedByInReplyTo()
    {
        var raw = "From: Pat Press <pat@press.example>\r\nSubject: my answer\r\nIn-Reply-To: <ack-1@demo-district.example>\r\nMessage-ID: <r2@press.example>\r\n\r\nRoutes 1-5 only.\r\n"u8.ToArray();

        var analysis = await Analyzer().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.Reply, analysis.Decision.Classification);
        Assert.Equal(OneRequestThreads.RequestId, analysis.Decision.Thread?.RequestId);
    }

    [Fact]
    public async Task RequesterWritingAgainInTheSameThread_IsHeldForAnOfficerNotANewRequest()
    {
        var raw = "From: pat@press.example\r\nSubject: RE: Route changes\r\n\r\nAny news?\r\n"u8.ToArray();

        var analysis = await Analyzer().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.UnprovenReply, analysis.Decision.Classification);
    }

    [Fact]
    public async Task UnknownTrackingNumber_IsQuarantinedForAnOfficer()
    {
        var raw = "From: pat@press.example\r\nSubject: Re: PRR-2025-0999 status\r\n\r\nAny news?\r\n"u8.ToArray();

        var analysis = await Analyzer().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.Quarantined, analysis.Decision.Classification);
        Assert.Contains("PRR-2025-0999", analysis.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainRequest_CitesChapter66AndKeepsTheRequesterAndText()
    {
        var draft = (await AnalyzeAsync("new-request-plain.eml")).Decision.Draft!;

        Assert.Equal(CitedLaw.MassachusettsPublicRecordsLaw, draft.CitedLaw);
        Assert.Equal("pat@press.example", draft.RequesterEmail);
        Assert.Equal("Pat Press", draft.RequesterName);
        Assert.Contains("contracts between the district and school bus operators", draft.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtmlOnlyRequest_IsSanitizedToTextAndCitesFoia()
    {
        var draft = (await AnalyzeAsync("new-request-html-only.eml")).Decision.Draft!;

        Assert.Equal(CitedLaw.FederalFoia, draft.CitedLaw);
        Assert.Contains("cafeteria health inspection reports", draft.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", draft.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("<", draft.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitizer_KeepsInlineCidImagesAndDropsScript()
    {
        var clean = MailContent.SanitizeHtml("<p><img src=\"cid:logo@x\" onerror=\"steal()\"><script>alert(1)</script><a href=\"javascript:x()\">a</a></p>");

        Assert.Contains("src=\"cid:logo@x\"", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("script", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript", clean, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attachment_IsKeptAndReplyToIsWhereAnswersGo()
    {
        var draft = (await AnalyzeAsync("new-request-attachment.eml")).Decision.Draft!;

        var attachment = Assert.Single(draft.Attachments);
        Assert.Equal("records-list.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType);
        Assert.StartsWith("%PDF-1.4", System.Text.Encoding.ASCII.GetString(attachment.Content), StringComparison.Ordinal);
        Assert.Equal("sam.replies@citizen.example", draft.RequesterEmail);
    }

    private static readonly byte[] DistrictPass =
        "Authentication-Results: mx.demo-district.example; dkim=pass header.d=demo-district.example; dmarc=pass header.from=demo-district.example\r\n"u8.ToArray();

    [Fact]
    public async Task StaffForward_WithAVerifiedSender_OpensTheRequestForTheOriginalSender()
    {
        var draft = (await Trusting().AnalyzeAsync([.. DistrictPass, .. Mail("forwarded-by-staff.eml")], new OneRequestThreads(), CancellationToken.None)).Decision.Draft!;

        Assert.Equal("morgan.parent@home.example", draft.RequesterEmail);
        Assert.Equal("Morgan Parent", draft.RequesterName);
        Assert.Equal("paula.principal@demo-district.example", draft.ForwardedBy);
        Assert.Equal(CitedLaw.StudentRecordRegulations, draft.CitedLaw);
        Assert.DoesNotContain("Please handle this one", draft.Description, StringComparison.Ordinal);
        Assert.Contains("inspect my son's student record", draft.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedStaffForward_IsOutsideMailFromTheAddressItClaims()
    {
        var decision = (await AnalyzeAsync("forwarded-by-staff.eml")).Decision;

        Assert.Equal(IntakeClassification.Request, decision.Classification);
        Assert.Equal("paula.principal@demo-district.example", decision.Draft!.RequesterEmail);
        Assert.Null(decision.Draft.ForwardedBy);
        Assert.Contains("claiming a district address", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardFromOutsideTheDistrict_StaysWithTheSender()
    {
        var raw = "From: Friend <friend@elsewhere.example>\r\nSubject: Fwd: request\r\n\r\nFor you.\r\n\r\n-----Original Message-----\r\nFrom: Other Person [mailto:other@x.example]\r\nSubject: request\r\n\r\nSend me the budget.\r\n"u8.ToArray();

        var draft = (await Analyzer().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None)).Decision.Draft!;

        Assert.Equal("friend@elsewhere.example", draft.RequesterEmail);
        Assert.Null(draft.ForwardedBy);
    }

    [Fact]
    public async Task OutlookStyleStaffForward_FindsTheMailtoSender()
    {
        var raw = "From: clerk@demo-district.example\r\nSubject: FW: records\r\n\r\n-----Original Message-----\r\nFrom: Other Person [mailto:other@x.example]\r\nSent: Monday, April 13, 2026 9:00 AM\r\nSubject: records\r\n\r\nSend me the 2025 budget.\r\n"u8.ToArray();

        var draft = (await Trusting().AnalyzeAsync([.. DistrictPass, .. raw], new OneRequestThreads(), CancellationToken.None)).Decision.Draft!;

        Assert.Equal("other@x.example", draft.RequesterEmail);
        Assert.Equal("Send me the 2025 budget.", draft.Description.Split("\n\n").Last());
    }

    [Fact]
    public async Task DeepNesting_BeyondTheConfiguredDepth_IsQuarantinedWithItsReason()
    {
        var analysis = await Analyzer(new IntakeOptions { MaxMimeDepth = 8 }).AnalyzeAsync(Mail("malformed-deep-nesting.eml"), new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.Quarantined, analysis.Decision.Classification);
        Assert.Contains("nested deeper than the limit of 8 levels", analysis.Decision.Reason, StringComparison.Ordinal);
    }

    /// <summary>At every depth around the limit, the words at the bottom are either read or the message is quarantined: never dropped quietly.</summary>
    [Fact]
    public async Task NestedText_IsReadOrTheMessageQuarantined_AtEveryDepth()
    {
        for (var levels = 1; levels <= 12; levels++)
        {
            var raw = System.Text.Encoding.ASCII.GetBytes(Nested(levels, "Send the 2025 bus contracts."));
            var analysis = await Analyzer(new IntakeOptions { MaxMimeDepth = 8 }).AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None);

            if (analysis.Decision.Classification == IntakeClassification.Quarantined)
            {
                Assert.Contains("nested deeper", analysis.Decision.Reason, StringComparison.Ordinal);
                Assert.True(levels >= 7, $"{levels} levels quarantined under a limit of 8");
            }
            else
            {
                Assert.Contains("Send the 2025 bus contracts.", analysis.Decision.Draft!.Description, StringComparison.Ordinal);
            }
        }
        var shallow = await Analyzer(new IntakeOptions { MaxMimeDepth = 8 }).AnalyzeAsync(System.Text.Encoding.ASCII.GetBytes(Nested(5, "x y z")), new OneRequestThreads(), CancellationToken.None);
        Assert.Equal(IntakeClassification.Request, shallow.Decision.Classification);
    }

    private static string Nested(int levels, string text)
    {
        var head = new System.Text.StringBuilder("From: Deep <deep@example.org>\r\nTo: records@demo-district.example\r\nSubject: nested\r\nMIME-Version: 1.0\r\n");
        var tail = new System.Text.StringBuilder();
        for (var i = 1; i <= levels; i++)
        {
            head.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
            tail.Insert(0, $"\r\n--b{i}--\r\n");
        }
        head.Append("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n");
        return head.Append(tail).ToString();
    }

    [Fact]
    public async Task SpamVerdictOfTheDistrictsMailSystem_HoldsTheMessage_ButNotOneTheSenderWroteOrOneNobodyVouchesFor()
    {
        const string message = "From: Win <win@prize.example>\r\nTo: records@demo-district.example\r\nSubject: You won\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain\r\n\r\nClaim your prize now.\r\n";
        const string received = "Received: from mail.prize.example by mx.demo-district.example; Sat, 5 Dec 2026 10:00:00 -0500\r\n";
        byte[] Raw(string top) => System.Text.Encoding.ASCII.GetBytes(top + message);

        var flagged = await Trusting().AnalyzeAsync(Raw("X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=12.3\r\n" + received), new OneRequestThreads(), CancellationToken.None);
        var junk = await Trusting().AnalyzeAsync(Raw("X-MS-Exchange-Organization-SCL: 9\r\n" + received), new OneRequestThreads(), CancellationToken.None);
        var writtenBySender = await Trusting().AnalyzeAsync(Raw(received + "X-Spam-Flag: YES\r\n"), new OneRequestThreads(), CancellationToken.None);
        var noTrustedUpstream = await Analyzer().AnalyzeAsync(Raw("X-Spam-Flag: YES\r\n" + received), new OneRequestThreads(), CancellationToken.None);
        var straightToTheListener = await Trusting().AnalyzeAsync(Raw("X-Spam-Flag: YES\r\n" + received), new OneRequestThreads(), CancellationToken.None,
            new IntakeEnvelope(System.Net.IPAddress.Loopback, "mail.prize.example", "win@prize.example", ["records@demo-district.example"]));

        Assert.Equal(IntakeClassification.Spam, flagged.Decision.Classification);
        Assert.Equal("marked as spam by the district's mail system (X-Spam-Flag: YES)", flagged.Decision.Reason);
        Assert.Equal(IntakeClassification.Spam, junk.Decision.Classification);
        Assert.Equal("marked as spam by Microsoft 365 (spam confidence level 9)", junk.Decision.Reason);
        Assert.Equal(IntakeClassification.Request, writtenBySender.Decision.Classification);
        Assert.Equal(IntakeClassification.Request, noTrustedUpstream.Decision.Classification);
        Assert.Equal(IntakeClassification.Request, straightToTheListener.Decision.Classification);
        Assert.StartsWith("no spam filter is set up", straightToTheListener.Spam?.NotScoredBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void UntrustedText_DropsNulAndControlsAndMendsLoneSurrogates_KeepingLineBreaksAndEmoji()
    {
        Assert.Equal("ab\uFFFDc\td\r\n\U0001F600", RecordsRequests.Features.Shared.UntrustedText.Clean("a\0b\uD800c\u0007\td\r\n\U0001F600\u0085"));
        Assert.False(RecordsRequests.Features.Shared.UntrustedText.NeedsCleaning("tab\tand lines\r\n, emoji \U0001F600\U0001F600 and é"));
        Assert.All(["lone low \uDE00 surrogate", "ends on a high one \uD83D", "high then text \uD83Dx", "pair then lone \U0001F600\uDE00", "next line \u0085", "bell \u0007", "delete \u007F"],
            text => Assert.True(RecordsRequests.Features.Shared.UntrustedText.NeedsCleaning(text), text));
    }

    [Fact]
    public async Task NulBytesAndBrokenUtf8_AreCleanedFromTheReadableCopy()
    {
        var raw = System.Text.Encoding.Latin1.GetBytes("From: =?utf-8?q?Nul=00Name?= <nul@example.org>\r\nTo: records@demo-district.example\r\nSubject: =?utf-8?q?Bus=00_routes?=\r\n"
            + "Keywords: bell\u0007 and next-line\u0085 written raw\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nSend the bus=00 routes and caf=C3=A9 menus =C3=28 please.\r\n");

        var analysis = await Analyzer().AnalyzeAsync(raw, new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.Request, analysis.Decision.Classification);
        var draft = analysis.Decision.Draft!;
        Assert.DoesNotContain('\0', draft.Description);
        Assert.Contains("Send the bus routes and café menus", draft.Description, StringComparison.Ordinal);
        Assert.Equal("Bus routes", analysis.Facts!.Message.Subject);
        Assert.Equal("NulName", draft.RequesterName);
        Assert.Equal("bell and next-line written raw", analysis.Facts.Message.Headers[MimeKit.HeaderId.Keywords]);
        Assert.False(RecordsRequests.Features.Shared.UntrustedText.NeedsCleaning(draft.Description));
    }

    /// <summary>
    /// A body is decoded to look for control characters only when its stored bytes could decode to one; each way a
    /// control character can arrive is still caught, and a plain body is read as it was.
    /// </summary>
    [Theory]
    [InlineData("us-ascii", "7bit", "Send the bus\u0007 routes", "Send the bus routes")]
    [InlineData("us-ascii", "quoted-printable", "Send the bus=07 routes", "Send the bus routes")]
    [InlineData("utf-8", "base64", "U2VuZCB0aGUgYnVzACByb3V0ZXM=", "Send the bus routes")]
    [InlineData("utf-8", "8bit", "Send the bus\u00C2\u0085 routes", "Send the bus routes")]
    [InlineData("iso-8859-1", "8bit", "Send the bus\u0085 routes", "Send the bus routes")]
    [InlineData("ibm037", "7bit", "Z'Z", "!!")]
    [InlineData("us-ascii", "7bit", "Send the bus routes, tab\there.", "Send the bus routes, tab\there.")]
    [InlineData(null, "quoted-printable", "Send the bus routes.", "Send the bus routes.")]
    [InlineData("utf-8", "7bit", "Send a=b routes.", "Send a=b routes.")]
    public void ControlCharactersInABody_AreCleanedHoweverTheyAreEncoded(string? charset, string transferEncoding, string storedBody, string readBody)
    {
        var contentType = charset is null ? "text/plain" : $"text/plain; charset={charset}";
        var raw = System.Text.Encoding.Latin1.GetBytes("From: A Parent <parent@example.org>\r\nTo: records@demo-district.example\r\nSubject: Buses\r\n"
            + $"MIME-Version: 1.0\r\nContent-Type: {contentType}\r\nContent-Transfer-Encoding: {transferEncoding}\r\n\r\n{storedBody}\r\n");

        var parsed = new MailParser(new IntakeOptions()).Parse(raw, CancellationToken.None);

        Assert.Null(parsed.Failure);
        Assert.Equal(readBody, MailContent.BodyText(parsed.Message!));
    }

    [Fact]
    public async Task OversizedMessage_IsQuarantinedUnparsed()
    {
        var analysis = await Analyzer(new IntakeOptions { MaxMessageBytes = 1024 }).AnalyzeAsync(Mail("malformed-deep-nesting.eml"), new OneRequestThreads(), CancellationToken.None);

        Assert.Equal(IntakeClassification.Quarantined, analysis.Decision.Classification);
        Assert.Contains("over the limit", analysis.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BareCrMessage_IsReadLikeCrlf()
    {
        var analysis = await AnalyzeAsync("malformed-bare-cr.eml");

        Assert.Equal("bare@example.org", analysis.Decision.Draft?.RequesterEmail);
        Assert.Equal(CitedLaw.MassachusettsPublicRecordsLaw, analysis.Decision.Draft?.CitedLaw);
    }

    [Fact]
    public void ManyHeaderFields_AreRefusedBeforeParsing()
    {
        var headers = string.Concat(Enumerable.Range(0, 50).Select(i => $"X-H{i}: v\r\n")) + "\r\nbody";

        Assert.Contains("more than 20 header fields", HeaderLimits.Check(System.Text.Encoding.ASCII.GetBytes(headers), 20, 1000), StringComparison.Ordinal);
        Assert.Null(HeaderLimits.Check(System.Text.Encoding.ASCII.GetBytes(headers), 100, 1000));
    }
}
