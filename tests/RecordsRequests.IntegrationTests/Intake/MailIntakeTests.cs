using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Workflow;

namespace RecordsRequests.IntegrationTests.Intake;

internal sealed class RecordingReplyListener : IRequestReplyListener
{
    public List<RequestReply> Replies { get; } = [];

    public Task OnReplyReceivedAsync(RequestReply reply, CancellationToken cancellationToken)
    {
        Replies.Add(reply);
        return Task.CompletedTask;
    }
}

internal static class IntakeTestMail
{
    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "mail", name));

    /// <summary>A fresh request e-mail, unique per call so tests sharing a database do not see each other's duplicates.</summary>
    public static byte[] NewRequest(string from, string subject, string body, string? extraHeaders = null, string to = "records@demo-district.example") =>
        System.Text.Encoding.UTF8.GetBytes(
            $"From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@test.example>\r\n{extraHeaders}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n");
}

[Collection(Lanes.Mail)]
public class MailIntakeTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<IntakeResult> ReceiveAsync(IServiceProvider services, byte[] raw, RecordingReplyListener? listener = null)
    {
        await using var scope = services.CreateAsyncScope();
        var intake = listener is null
            ? scope.ServiceProvider.GetRequiredService<MailIntake>()
            : ActivatorUtilities.CreateInstance<MailIntake>(scope.ServiceProvider, new List<IRequestReplyListener> { listener });
        return await intake.ReceiveAsync(raw, IntakeSource.CommandLine, "test", CancellationToken.None);
    }

    [Fact]
    public async Task NewRequestMail_OpensARequestKeepsAttachmentAndRawAndAcknowledges()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var services = harness.Services;

        var result = await ReceiveAsync(services, IntakeTestMail.Load("new-request-attachment.eml"));
        // The lifecycle's first step acknowledges it, and moves on to triage.
        await harness.AtAsync(await RequestIdAsync(services, result.TrackingNumber!), "triage");

        Assert.Equal(IntakeClassification.Request, result.Classification);
        Assert.Matches(@"^PRR-\d{4}-\d{4}$", result.TrackingNumber);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var request = await db.Requests.Include(r => r.Requester).SingleAsync(r => r.TrackingNumber == result.TrackingNumber);
        Assert.Equal("sam.replies@citizen.example", request.Requester.Email);
        Assert.Equal(RequestChannel.Email, request.Channel);
        var record = await db.Records.SingleAsync(r => r.RequestId == request.Id);
        Assert.Equal("records-list.pdf", record.FileName);
        Assert.Equal(RecordSource.EmailAttachment, record.Source);
        Assert.True(scope.ServiceProvider.GetRequiredService<ContentStore>().Exists(record.Sha256));
        var inbound = await db.Set<InboundMessage>().SingleAsync(m => m.Id == result.InboundId);
        Assert.True(scope.ServiceProvider.GetRequiredService<ContentStore>().Exists(inbound.RawSha256));
        Assert.Single(await db.Messages.Where(m => m.RequestId == request.Id && m.Direction == Features.Messages.MessageDirection.Inbound).ToListAsync());
        var acknowledgement = await db.Set<OutboundEmail>().SingleAsync(m => m.RequestId == request.Id && m.Kind == MailKind.Acknowledgement);
        Assert.Equal("sam.replies@citizen.example", acknowledgement.ToAddress);
        Assert.Equal(RequestStatus.InTriage, request.Status);
    }

    [Fact]
    public async Task ALongRequest_IsStoredCompressedWithLz4_AndItsTextIsAuditedByLengthAndHash()
    {
        await using var services = database.BuildServices();
        var body = string.Concat(Enumerable.Range(1, 300).Select(i => $"Item {i}: every bus route change notice for the 2025-26 school year. "));
        var result = await ReceiveAsync(services, IntakeTestMail.NewRequest("Kim <kim@long.example>", "Bus routes", body));

        // pg_column_compression names the method of a value stored compressed (null for one stored as it is).
        Assert.Equal(1, await database.ScalarAsync(
            "SELECT count(*) FROM requests r JOIN messages m ON m.request_id = r.id "
            + $"WHERE r.tracking_number = '{result.TrackingNumber}' AND pg_column_compression(m.raw_content) = 'lz4' "
            + "AND pg_column_compression(m.body_text) = 'lz4' AND pg_column_compression(r.description) = 'lz4'"));
        Assert.Equal(1, await database.ScalarAsync(
            "SELECT count(*) FROM audit_events a JOIN requests r ON a.entity_type = 'Request' AND a.entity_id = r.id::text "
            + $"WHERE r.tracking_number = '{result.TrackingNumber}' AND pg_column_compression(a.after) = 'lz4'"));
        // The timeline message's text, read from its raw bytes, is on the trail by its length and SHA-256, not copied again.
        Assert.Equal(1, await database.ScalarAsync(
            "SELECT count(*) FROM audit_events a JOIN messages m ON a.entity_type = 'Message' AND a.entity_id = m.id::text "
            + $"JOIN requests r ON r.id = m.request_id WHERE r.tracking_number = '{result.TrackingNumber}' "
            + "AND a.after->>'BodyText' = '<' || length(m.body_text) || ' characters, SHA-256 ' || encode(sha256(convert_to(m.body_text, 'UTF8')), 'hex') || '>'"));
    }

    [Fact]
    public async Task NewRequestMail_WhoseLifecycleFailedToStart_IsAcknowledgedOnceByTheSweep()
    {
        RecordsRequests.Features.Requests.Request request;
        await using (var services = database.BuildServices())
        {
            // Intake without a running engine: the request is opened, but acknowledging is the lifecycle's to do.
            var result = await ReceiveAsync(services, IntakeTestMail.NewRequest("Kim <kim@lost.example>", "Snow days", "All snow-day decisions in 2025."));
            await using var scope = services.CreateAsyncScope();
            request = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Requests.AsNoTracking().SingleAsync(r => r.TrackingNumber == result.TrackingNumber);
            Assert.Equal(RequestStatus.Received, request.Status);
            Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE request_id = '{request.Id}'"));
        }
        // As if the process had died before the lifecycle was stored.
        await database.ScalarAsync($"WITH gone AS (DELETE FROM workflow.instances WHERE reference = '{request.Id}' RETURNING 1) SELECT count(*) FROM gone");

        await using var harness = await LifecycleHarness.StartAsync(database);
        await harness.InScopeAsync(s => s.GetRequiredService<LifecycleSweep>().RunAsync(CancellationToken.None));

        await harness.AtAsync(request.Id, "triage");
        Assert.Equal(["Acknowledgement"], await harness.MailKindsAsync(request.Id));
    }

    private static async Task<Guid> RequestIdAsync(IServiceProvider services, string trackingNumber)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Requests.Where(r => r.TrackingNumber == trackingNumber).Select(r => r.Id).SingleAsync();
    }

    [Fact]
    public async Task MailTheDistrictsMailSystemMarkedAsSpam_OpensNoRequestAndSendsNothing_UntilAnOfficerReleasesIt()
    {
        await using var services = database.BuildServices(settings: new Dictionary<string, string?>
        {
            ["Intake:SenderAuthentication:TrustedAuthenticationServers:0"] = "mx.demo-district.example",
        });
        var run = Guid.NewGuid().ToString("N")[..8];
        var raw = IntakeTestMail.NewRequest($"Win <win-{run}@prize.example>", $"Prize {run}", "Claim your prize now.");
        raw = [.. System.Text.Encoding.ASCII.GetBytes("X-Spam-Flag: YES\r\nReceived: from mail.prize.example by mx.demo-district.example; Sat, 5 Dec 2026 10:00:00 -0500\r\n"), .. raw];

        var held = await ReceiveAsync(services, raw);

        Assert.Equal(IntakeClassification.Spam, held.Classification);
        Assert.Equal("marked as spam by the district's mail system (X-Spam-Flag: YES)", held.Reason);
        Assert.Null(held.TrackingNumber);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE to_address = 'win-{run}@prize.example'"));

        // Nothing was deleted: an officer who judges a person wrote it releases it (the spam list's button), and the
        // verdict that held it does not hold it again.
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Set<InboundMessage>().SingleAsync(m => m.Id == held.InboundId)).ReleaseFromSpam("officer@district.example", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        var released = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReprocessAsync(held.InboundId!.Value, CancellationToken.None);
        Assert.Equal(IntakeClassification.Request, released.Classification);
        Assert.NotNull(released.TrackingNumber);
    }

    [Fact]
    public async Task SameMessageDeliveredTwice_IsProcessedOnce()
    {
        await using var services = database.BuildServices();
        var raw = IntakeTestMail.NewRequest("Dana <dana@twice.example>", "Payroll records", "Please send the 2025 payroll register.");
        var before = await database.ScalarAsync("SELECT count(*) FROM requests");

        var first = await ReceiveAsync(services, raw);
        var second = await ReceiveAsync(services, raw);
        // The same Message-ID with other bytes (the copy that also came through IMAP, with its own Received header).
        var third = await ReceiveAsync(services, [.. "Received: from mx by imap; Mon, 13 Apr 2026 09:00:00 -0400\r\n"u8, .. raw]);

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.True(third.Duplicate);
        Assert.Equal(first.TrackingNumber, second.TrackingNumber);
        Assert.Equal(first.TrackingNumber, third.TrackingNumber);
        Assert.Equal(before + 1, await database.ScalarAsync("SELECT count(*) FROM requests"));
        Assert.Equal(2, await database.ScalarAsync($"SELECT deliveries FROM inbound_messages WHERE id = '{first.InboundId}'"));
    }

    [Fact]
    public async Task ReplyToTheRequestsReplyAddress_GoesOnTheTimelineAndTellsTheWorkflow()
    {
        await using var services = database.BuildServices();
        var opened = await ReceiveAsync(services, IntakeTestMail.NewRequest("Pat <pat@reply.example>", "Bus contracts", "Please send the bus contracts."));
        var listener = new RecordingReplyListener();
        var replyTo = await ReplyAddressAsync(services, opened.TrackingNumber!);
        Assert.Matches(@"^records\+[a-z2-7]{26}@demo-district\.example$", replyTo);

        var reply = await ReceiveAsync(services, IntakeTestMail.NewRequest("Pat <pat@reply.example>", "Re: We received your records request",
            "Only routes 1-5, please.", to: replyTo), listener);

        Assert.Equal(IntakeClassification.Reply, reply.Classification);
        Assert.Equal(opened.TrackingNumber, reply.TrackingNumber);
        var told = Assert.Single(listener.Replies);
        Assert.Equal(opened.TrackingNumber, told.TrackingNumber);
        Assert.Contains("routes 1-5", told.BodyText, StringComparison.Ordinal);
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM messages m JOIN requests r ON r.id = m.request_id WHERE r.tracking_number = '{opened.TrackingNumber}' AND m.direction = 'Inbound'"));
    }

    [Fact]
    public async Task StrangersReplyNamingTheTrackingNumber_IsHeldAndChangesNothing()
    {
        await using var services = database.BuildServices();
        var opened = await ReceiveAsync(services, IntakeTestMail.NewRequest("Pat <pat@victim.example>", "Bus contracts", "Please send the bus contracts."));
        var listener = new RecordingReplyListener();

        // The attacker knows the sequential tracking number and even writes the requester's address in From.
        var forged = await ReceiveAsync(services, IntakeTestMail.NewRequest("Pat <pat@victim.example>", $"Re: [{opened.TrackingNumber}] We received your records request",
            "I withdraw this request."), listener);
        var stranger = await ReceiveAsync(services, IntakeTestMail.NewRequest("Mallory <mallory@attacker.example>", $"Re: [{opened.TrackingNumber}] request",
            "I withdraw this request."), listener);

        Assert.All(new[] { forged, stranger }, held =>
        {
            Assert.Equal(IntakeClassification.UnprovenReply, held.Classification);
            Assert.Null(held.TrackingNumber);
        });
        Assert.Empty(listener.Replies);
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM messages m JOIN requests r ON r.id = m.request_id WHERE r.tracking_number = '{opened.TrackingNumber}' AND m.direction = 'Inbound'"));
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages i JOIN requests r ON r.id = i.claimed_request_id WHERE r.tracking_number = '{opened.TrackingNumber}' AND i.classification = 'UnprovenReply' AND i.request_id IS NULL"));

        // An officer who is satisfied it is the requester's adds it; only then does it join and reach the workflow.
        await using (var scope = services.CreateAsyncScope())
        {
            var intake = ActivatorUtilities.CreateInstance<MailIntake>(scope.ServiceProvider, new List<IRequestReplyListener> { listener });
            var confirmed = await intake.ConfirmReplyAsync(forged.InboundId!.Value, "officer@demo.example", CancellationToken.None);
            Assert.Equal(opened.TrackingNumber, confirmed.TrackingNumber);
        }
        Assert.Single(listener.Replies);
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM messages m JOIN requests r ON r.id = m.request_id WHERE r.tracking_number = '{opened.TrackingNumber}' AND m.direction = 'Inbound'"));
    }

    private static async Task<string> ReplyAddressAsync(IServiceProvider services, string trackingNumber)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var requestId = await db.Requests.Where(r => r.TrackingNumber == trackingNumber).Select(r => r.Id).SingleAsync();
        return (await scope.ServiceProvider.GetRequiredService<ReplyAddresses>().ForRequestAsync(requestId, CancellationToken.None)).Address;
    }

    [Fact]
    public async Task ReplyToOurAcknowledgement_IsThreadedByInReplyTo()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var services = harness.Services;
        var opened = await ReceiveAsync(services, IntakeTestMail.NewRequest("Lee <lee@thread.example>", "Lunch menus", "Please send the 2025 lunch menus."));
        await harness.AtAsync(await RequestIdAsync(services, opened.TrackingNumber!), "triage");
        string acknowledgementId;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var requestId = await db.Requests.Where(r => r.TrackingNumber == opened.TrackingNumber).Select(r => r.Id).SingleAsync();
            acknowledgementId = await db.Set<OutboundEmail>().Where(m => m.RequestId == requestId).Select(m => m.InternetMessageId).SingleAsync();
        }

        var reply = await ReceiveAsync(services, IntakeTestMail.NewRequest("Lee <lee@thread.example>", "thanks", "Thanks!", $"In-Reply-To: <{acknowledgementId}>\r\n"));

        Assert.Equal(IntakeClassification.Reply, reply.Classification);
        Assert.Equal(opened.TrackingNumber, reply.TrackingNumber);
    }

    [Fact]
    public async Task AutoReplyAndBounce_NeverOpenARequest()
    {
        await using var services = database.BuildServices();
        var before = await database.ScalarAsync("SELECT count(*) FROM requests");

        var autoReply = await ReceiveAsync(services, IntakeTestMail.Load("auto-reply-x-autoreply.eml"));
        var bounce = await ReceiveAsync(services, IntakeTestMail.Load("bounce-dsn.eml"));

        Assert.Equal(IntakeClassification.Automated, autoReply.Classification);
        Assert.Equal(IntakeClassification.Automated, bounce.Classification);
        Assert.Equal(before, await database.ScalarAsync("SELECT count(*) FROM requests"));
    }

    [Fact]
    public async Task QuarantinedMessage_CanBeReleasedByAnOfficerToOpenARequest()
    {
        await using var services = database.BuildServices();
        var raw = IntakeTestMail.NewRequest("Kim <kim@quarantine.example>", "Re: PRR-1999-0001 old request", "Please send the 1999 budget again.");
        var quarantined = await ReceiveAsync(services, raw);
        Assert.Equal(IntakeClassification.Quarantined, quarantined.Classification);
        Assert.Contains("PRR-1999-0001", quarantined.Reason, StringComparison.Ordinal);

        IntakeResult released;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var inbound = await db.Set<InboundMessage>().SingleAsync(m => m.Id == quarantined.InboundId);
            inbound.Release("officer@demo.example");
            await db.SaveChangesAsync();
            released = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReprocessAsync(inbound.Id, CancellationToken.None);
        }

        Assert.Equal(IntakeClassification.Request, released.Classification);
        Assert.NotNull(released.TrackingNumber);
    }

    [Fact]
    public async Task NearIdenticalRequestFromTheSameRequester_IsPointedOut()
    {
        await using var services = database.BuildServices();
        const string text = "Please send all invoices paid to Acme Paving between January and June 2025, including change orders, "
            + "the purchase orders they relate to, any correspondence with Acme about overruns, and the bid tabulation for the parking lot project.";
        var first = await ReceiveAsync(services, IntakeTestMail.NewRequest("Ash <ash@repeat.example>", "Paving invoices", text));

        var second = await ReceiveAsync(services, IntakeTestMail.NewRequest("Ash <ash@repeat.example>", "Paving invoices again", text + " Thanks."));

        Assert.Equal(IntakeClassification.Request, second.Classification);
        Assert.StartsWith(first.TrackingNumber!, second.SimilarTo, StringComparison.Ordinal);
    }

    /// <summary>A records inbox catching up: six requests from six people, as one page of a mailbox.</summary>
    private static List<IncomingMail> CatchUpBatch(string run) =>
        Enumerable.Range(1, 6).Select(n => new IncomingMail(IntakeTestMail.NewRequest($"Writer {n} <writer{n}-{run}@batch.example>", $"Bus routes {run} {n}",
            $"Please send the bus routes of school {n}."), $"batch {run} message {n}")).ToList();

    /// <summary>Opens requests through the real door, with one more contributor that fails the opening of the batch's nth request.</summary>
    private static MailIntake IntakeFailingAt(IServiceProvider scope, int school, Func<Exception> failure)
    {
        var contributors = scope.GetServices<IRequestOpeningContributor>().Append(new FailingContributor($"school {school}.", failure)).ToList();
        var submit = ActivatorUtilities.CreateInstance<SubmitRequest>(scope, contributors);
        return ActivatorUtilities.CreateInstance<MailIntake>(scope, submit);
    }

    private sealed class FailingContributor(string words, Func<Exception> failure) : IRequestOpeningContributor
    {
        public Task AddToOpeningAsync(Request request, CancellationToken cancellationToken) =>
            request.Description.Contains(words, StringComparison.Ordinal) ? throw failure() : Task.CompletedTask;
    }

    [Fact]
    public async Task ABatchCutOffHalfWay_LosesNothing_AndIsTakenInOnceWhenDeliveredAgain()
    {
        await using var services = database.BuildServices();
        var run = Guid.NewGuid().ToString("N")[..8];
        var batch = CatchUpBatch(run);

        // The process stops while the fourth request is being opened (a deploy, a power cut): three were opened before it.
        using (var stop = new CancellationTokenSource())
        await using (var scope = services.CreateAsyncScope())
        {
            var intake = IntakeFailingAt(scope.ServiceProvider, 4, () =>
            {
                stop.Cancel();
                return new OperationCanceledException(stop.Token);
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => intake.ReceiveBatchAsync(batch, IntakeSource.Microsoft365, stop.Token));
        }

        // Every message's original and row were kept; none of the batch's requests was committed, so none is half-made.
        Assert.Equal(6, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE source_reference LIKE 'batch {run} %' AND classification = 'Pending'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM requests r JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@batch.example'"));
        await using (var scope = services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<ContentStore>();
            var hashes = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InboundMessage>()
                .Where(m => m.SourceReference!.StartsWith($"batch {run} ")).Select(m => m.RawSha256).ToListAsync();
            Assert.All(hashes, hash => Assert.True(store.Exists(hash)));
        }

        // The mailbox was never marked, so the page comes again: each message opens its request once.
        IReadOnlyList<IntakeResult> results;
        await using (var scope = services.CreateAsyncScope())
        {
            results = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(batch, IntakeSource.Microsoft365, CancellationToken.None);
        }
        Assert.All(results, r => Assert.Equal(IntakeClassification.Request, r.Classification));
        Assert.Equal(6, results.Select(r => r.TrackingNumber).Distinct().Count());
        Assert.Equal(6, await database.ScalarAsync($"SELECT count(*) FROM requests r JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@batch.example'"));
        Assert.Equal(6, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE source_reference LIKE 'batch {run} %' AND classification = 'Request'"));
        Assert.Equal(6, await database.ScalarAsync(
            $"SELECT count(*) FROM messages m JOIN requests r ON r.id = m.request_id JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@batch.example'"));

        // And once more (the mark was lost again): counted as second deliveries, nothing opened.
        await using (var scope = services.CreateAsyncScope())
        {
            results = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(batch, IntakeSource.Microsoft365, CancellationToken.None);
        }
        Assert.All(results, r => Assert.True(r.Duplicate));
        Assert.Equal(6, await database.ScalarAsync($"SELECT count(*) FROM requests r JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@batch.example'"));
    }

    [Fact]
    public async Task OneMessageOfABatchThatCannotBeProcessed_IsQuarantinedAlone_AndTheOthersStand()
    {
        await using var services = database.BuildServices();
        var run = Guid.NewGuid().ToString("N")[..8];
        var batch = CatchUpBatch(run);

        IReadOnlyList<IntakeResult> results;
        await using (var scope = services.CreateAsyncScope())
        {
            results = await IntakeFailingAt(scope.ServiceProvider, 2, () => new InvalidOperationException("the clocks could not be computed"))
                .ReceiveBatchAsync(batch, IntakeSource.Microsoft365, CancellationToken.None);
        }

        Assert.Equal([IntakeClassification.Request, IntakeClassification.Quarantined, IntakeClassification.Request, IntakeClassification.Request,
            IntakeClassification.Request, IntakeClassification.Request], results.Select(r => r.Classification));
        Assert.Contains("the clocks could not be computed", results[1].Reason, StringComparison.Ordinal);
        Assert.Equal($"Bus routes {run} 2", results[1].Subject);
        // What the failed opening had written (its tracking number, its request) was undone with it; the others are whole.
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM requests r JOIN requesters q ON q.id = r.requester_id WHERE q.email = 'writer2-{run}@batch.example'"));
        Assert.Equal(5, await database.ScalarAsync(
            $"SELECT count(*) FROM messages m JOIN requests r ON r.id = m.request_id JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@batch.example'"));
        Assert.Equal(5, results.Where(r => r.TrackingNumber is not null).Select(r => r.TrackingNumber).Distinct().Count());
    }

    [Fact]
    public async Task ABatchOfRequestsAndHeldMail_AuditsEveryMessagesOutcome_InAnIntactChain_AndStartsEachLifecycleOnce()
    {
        var announcements = new OpeningAnnouncements();
        await using var services = database.BuildServices(addServices: s => s.AddSingleton<IRequestOpenedObserver>(announcements));
        var run = Guid.NewGuid().ToString("N")[..8];
        var batch = CatchUpBatch(run).Take(3).ToList();
        // Held mail between the requests: no address to answer; the provider's spam verdict; and the first requester writing
        // again on the same subject, which only the message opened earlier in this batch can match.
        batch.Add(new IncomingMail(IntakeTestMail.NewRequest("", $"No sender {run}", "Who am I?"), $"batch {run} no sender"));
        batch.Add(new IncomingMail(IntakeTestMail.NewRequest($"Spammer <spam-{run}@batch.example>", $"Win {run}", "A prize."), $"batch {run} spam",
            new SpamVerdict("the mailbox's provider judged it spam")));
        batch.Add(new IncomingMail(IntakeTestMail.NewRequest($"Writer 1 <writer1-{run}@batch.example>", $"Re: Bus routes {run} 1", "And the stops, please."),
            $"batch {run} again"));

        IReadOnlyList<IntakeResult> results;
        await using (var scope = services.CreateAsyncScope())
        {
            results = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(batch, IntakeSource.Microsoft365, CancellationToken.None);
        }

        Assert.Equal([IntakeClassification.Request, IntakeClassification.Request, IntakeClassification.Request, IntakeClassification.Quarantined,
            IntakeClassification.Spam, IntakeClassification.UnprovenReply], results.Select(r => r.Classification));
        foreach (var result in results)
        {
            // Each message is on the audit trail once, whether it was saved alone or with the next message's save: not when its
            // row was recorded, unread, but when intake decided it, by an event that also carries what was recorded at arrival.
            Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM audit_events WHERE entity_type = 'InboundMessage' AND entity_id = '{result.InboundId}'"));
            Assert.Equal(1, await database.ScalarAsync(
                $"SELECT count(*) FROM audit_events WHERE entity_type = 'InboundMessage' AND entity_id = '{result.InboundId}' AND after->>'Classification' = '{result.Classification}'"
                + $" AND before->>'Classification' = 'Pending' AND before->>'RawSha256' = (SELECT raw_sha256 FROM inbound_messages WHERE id = '{result.InboundId}')"
                + " AND before->>'SourceReference' LIKE 'batch %' AND before->>'ReceivedAt' IS NOT NULL"));
            Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE id = '{result.InboundId}' AND classification = '{result.Classification}'"));
        }
        await using (var scope = services.CreateAsyncScope())
        {
            var chain = await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), CancellationToken.None);
            Assert.True(chain.Intact, chain.Problem);
        }
        // The batch committed as one (a batch that falls back to one message at a time reaches the same outcomes, but
        // each in a transaction of its own): its requests and the messages that opened them were written by one transaction.
        Assert.Equal(1, await database.ScalarAsync(
            $"SELECT count(DISTINCT x) FROM (SELECT r.xmin::text AS x FROM requests r JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@batch.example' "
            + $"UNION ALL SELECT m.xmin::text FROM messages m JOIN requests r ON r.id = m.request_id JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@batch.example') AS t"));
        // The three requests' lifecycles were started together after the batch committed, one each: the batch's requests
        // were announced once, together, and none of them again on its own.
        Assert.Equal(3, await database.ScalarAsync(
            $"SELECT count(*) FROM workflow.instances i JOIN requests r ON i.reference = r.id::text JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@batch.example'"));
        Assert.Equal([3], announcements.Together.Select(ids => ids.Count));
        Assert.Empty(announcements.OneByOne);
    }

    /// <summary>Hears what <see cref="SubmitRequest"/> tells the features that follow new requests (the lifecycle is one).</summary>
    private sealed class OpeningAnnouncements : IRequestOpenedObserver
    {
        public System.Collections.Concurrent.ConcurrentQueue<Guid> OneByOne { get; } = new();
        public System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<Guid>> Together { get; } = new();

        public Task OnOpenedAsync(Guid requestId, CancellationToken cancellationToken)
        {
            OneByOne.Enqueue(requestId);
            return Task.CompletedTask;
        }

        public Task OnOpenedAsync(IReadOnlyList<Guid> requestIds, CancellationToken cancellationToken)
        {
            Together.Enqueue(requestIds);
            return Task.CompletedTask;
        }
    }

    [Theory]
    [InlineData(ThreadMatch.RequesterThreadCandidates - 1, true)]
    [InlineData(ThreadMatch.RequesterThreadCandidates, false)]
    public async Task ARequestersRepeatedSubject_IsMatchedAmongTheirNewestMessagesOnly_AloneAndInABatchAlike(int newerMessages, bool matched)
    {
        await using var services = database.BuildServices();
        var run = Guid.NewGuid().ToString("N")[..8];
        var sender = $"Lee <lee-{run}@newest.example>";
        var first = await ReceiveAsync(services, IntakeTestMail.NewRequest(sender, $"Field trips {run}", "The field trip forms of 2025."));
        // A second request of Lee's, and messages on it after its opening, all newer than the first request's message.
        var second = await ReceiveAsync(services, IntakeTestMail.NewRequest(sender, $"Lunch menus {run}", "All lunch menus of 2025."));
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var secondId = await db.Requests.Where(r => r.TrackingNumber == second.TrackingNumber).Select(r => r.Id).SingleAsync();
            var now = DateTimeOffset.UtcNow;
            db.Messages.AddRange(Enumerable.Range(1, newerMessages - 1).Select(n => Message.Record(secondId, MessageDirection.Inbound, RequestChannel.Email,
                $"Lunch menus {run}, part {n}", $"lee-{run}@newest.example", "records@demo-district.example", "Another menu.", Encoding.UTF8.GetBytes($"menu {run} {n}"),
                null, now.AddSeconds(n))));
            await db.SaveChangesAsync();
        }

        // Lee writes again under the first request's subject, in a batch and then alone: each is matched with the first
        // request only while that request's message is among Lee's newest. (What the batch's message adds is newer than
        // the first request's message either way, so the one alone is matched as the batch's was.)
        IReadOnlyList<IntakeResult> batch;
        await using (var scope = services.CreateAsyncScope())
        {
            batch = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(
                [new IncomingMail(IntakeTestMail.NewRequest(sender, $"Re: Field trips {run}", "And the bus lists, please."), $"newest {run}")],
                IntakeSource.Microsoft365, CancellationToken.None);
        }
        var alone = await ReceiveAsync(services, IntakeTestMail.NewRequest(sender, $"Re: Field trips {run}", "And the permission slips, please."));
        foreach (var result in new[] { batch[0], alone })
        {
            Assert.Equal(matched ? 1 : 0, await database.ScalarAsync(
                $"SELECT count(*) FROM inbound_messages i JOIN requests r ON r.id = coalesce(i.request_id, i.claimed_request_id) WHERE i.id = '{result.InboundId}' AND r.tracking_number = '{first.TrackingNumber}'"));
        }
    }

    [Fact]
    public async Task CopiesOfAMessageInABatch_OpenItsRequestOnce_WhetherTheFirstCameBeforeOrInTheBatch()
    {
        await using var services = database.BuildServices();
        var run = Guid.NewGuid().ToString("N")[..8];
        var before = IntakeTestMail.NewRequest($"Kai <kai-{run}@copies.example>", $"Field trips {run}", "The field trip forms of 2025.");
        var inBatch = IntakeTestMail.NewRequest($"Lee <lee-{run}@copies.example>", $"Lunch menus {run}", "All lunch menus of 2025.");
        // The same Message-IDs with other bytes: the copies another path delivered, with a Received header of its own.
        static byte[] Copy(byte[] raw) => [.. "Received: from mx by imap; Mon, 13 Apr 2026 09:00:00 -0400\r\n"u8, .. raw];
        var first = await ReceiveAsync(services, before);

        IReadOnlyList<IntakeResult> results;
        await using (var scope = services.CreateAsyncScope())
        {
            results = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(
                [new IncomingMail(Copy(before), "copy of the earlier one"), new IncomingMail(inBatch, "first"), new IncomingMail(Copy(inBatch), "copy")],
                IntakeSource.Microsoft365, CancellationToken.None);
        }

        Assert.True(results[0].Duplicate);
        Assert.Equal(first.TrackingNumber, results[0].TrackingNumber);
        Assert.False(results[1].Duplicate);
        Assert.Equal(IntakeClassification.Request, results[1].Classification);
        Assert.True(results[2].Duplicate);
        Assert.Equal(results[1].TrackingNumber, results[2].TrackingNumber);
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM requests r JOIN requesters q ON q.id = r.requester_id WHERE q.email LIKE '%-{run}@copies.example'"));
    }
    /// <summary>
    /// A page of a mailbox that mixes what a records inbox gets, where later messages depend on earlier ones of the same
    /// page: two new requests, the first requester writing again on its subject, a stranger answering the first request's
    /// message, a copy of the second request, a near-identical request, a stranger naming the first request's tracking
    /// number, and a proven reply to a request opened before the page. Each names the run, so two runs can share a database.
    /// </summary>
    private static List<IncomingMail> MixedPage(string run, string firstTrackingNumber, string earlierReplyAddress)
    {
        const string text = "Please send all invoices paid to Acme Paving between January and June 2025, including change orders, "
            + "the purchase orders they relate to, any correspondence with Acme about overruns, and the bid tabulation for the parking lot project.";
        var firstId = $"first-{run}@mix.example";
        static byte[] Mail(string from, string subject, string body, string messageId, string headers = "", string to = "records@demo-district.example") =>
            System.Text.Encoding.UTF8.GetBytes($"From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{messageId}>\r\n{headers}MIME-Version: 1.0\r\n"
                + $"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n");
        var lunch = Mail($"Bo <bo-{run}@mix.example>", $"Lunch menus {run}", "All lunch menus of 2025.", $"lunch-{run}@mix.example");
        byte[][] page =
        [
            Mail($"Ann <ann-{run}@mix.example>", $"Paving invoices {run}", text, firstId),
            lunch,
            Mail($"Ann <ann-{run}@mix.example>", $"Re: Paving invoices {run}", "And the change orders, please.", $"again-{run}@mix.example"),
            Mail($"Sam <sam-{run}@mix.example>", "Re: your request", "I have these invoices too.", $"stranger-{run}@mix.example", $"In-Reply-To: <{firstId}>\r\n"),
            [.. "Received: from mx by imap; Mon, 13 Apr 2026 09:00:00 -0400\r\n"u8, .. lunch],
            Mail($"Ann <ann-{run}@mix.example>", $"Paving invoices again {run}", text + " Thanks.", $"similar-{run}@mix.example"),
            Mail($"Mallory <mallory-{run}@mix.example>", $"Re: [{firstTrackingNumber}] request", "I withdraw this request.", $"named-{run}@mix.example"),
            Mail($"Pre <pre-{run}@mix.example>", "Re: We received your records request", "Only 2025, please.", $"proven-{run}@mix.example",
                to: earlierReplyAddress),
        ];
        return page.Select((raw, n) => new IncomingMail(raw, $"mixed {run} {n}")).ToList();
    }

    /// <summary>A request taken in before the mixed page (its proven reply is the page's last message) and the page itself.</summary>
    private static async Task<(List<IncomingMail> Page, string Earlier)> MixedPageAfterARequestAsync(IServiceProvider services)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var earlier = await ReceiveAsync(services, IntakeTestMail.NewRequest($"Pre <pre-{run}@mix.example>", $"Bus routes {run}", "The bus routes of 2025."));
        var sequence = int.Parse(earlier.TrackingNumber![^4..], System.Globalization.CultureInfo.InvariantCulture);
        var page = MixedPage(run, earlier.TrackingNumber[..^4] + (sequence + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
            await ReplyAddressAsync(services, earlier.TrackingNumber));
        return (page, earlier.TrackingNumber);
    }

    private static int SequenceOf(string trackingNumber) => int.Parse(trackingNumber[^4..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What the mixed page ends as when its messages are taken in one after another (<see cref="MixedPage"/>).</summary>
    private async Task AssertMixedPageOutcomeAsync(IReadOnlyList<IntakeResult> results, string earlier)
    {
        Assert.Equal([IntakeClassification.Request, IntakeClassification.Request, IntakeClassification.UnprovenReply, IntakeClassification.UnprovenReply,
            IntakeClassification.Request, IntakeClassification.Request, IntakeClassification.UnprovenReply, IntakeClassification.Reply],
            results.Select(r => r.Classification));
        Assert.Equal([false, false, false, false, true, false, false, false], results.Select(r => r.Duplicate));
        // The copy points at the request its first delivery opened; the near-identical request at the first one.
        Assert.Equal(results[1].TrackingNumber, results[4].TrackingNumber);
        Assert.StartsWith(results[0].TrackingNumber!, results[5].SimilarTo, StringComparison.Ordinal);
        Assert.Equal(earlier, results[7].TrackingNumber);
        // The held messages name the request opened earlier in the same page, by subject, by its message and by its number.
        foreach (var held in new[] { results[2], results[3], results[6] })
        {
            Assert.Equal(1, await database.ScalarAsync(
                $"SELECT count(*) FROM inbound_messages i JOIN requests r ON r.id = i.claimed_request_id WHERE i.id = '{held.InboundId}' AND r.tracking_number = '{results[0].TrackingNumber}'"));
        }
        // The new requests' numbers follow the earlier one's without a gap.
        Assert.Equal([SequenceOf(earlier) + 1, SequenceOf(earlier) + 2, SequenceOf(earlier) + 3],
            new[] { results[0], results[1], results[5] }.Select(r => SequenceOf(r.TrackingNumber!)));
    }

    private async Task AssertAuditChainIntactAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var chain = await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), CancellationToken.None);
        Assert.True(chain.Intact, chain.Problem);
    }

    [Fact]
    public async Task AMixedPage_TakenInAsABatch_EndsAsItDoesOneMessageAtATime()
    {
        await using var services = database.BuildServices();

        async Task<(IReadOnlyList<IntakeResult> Results, string Earlier)> RunAsync(bool asBatch)
        {
            var (page, earlier) = await MixedPageAfterARequestAsync(services);
            if (asBatch)
            {
                await using var scope = services.CreateAsyncScope();
                return (await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(page, IntakeSource.Microsoft365, CancellationToken.None),
                    earlier);
            }
            var results = new List<IntakeResult>();
            foreach (var mail in page)
            {
                results.Add(await ReceiveAsync(services, mail.Raw));
            }
            return (results, earlier);
        }

        var batch = await RunAsync(asBatch: true);
        var oneByOne = await RunAsync(asBatch: false);
        foreach (var (results, earlier) in new[] { batch, oneByOne })
        {
            await AssertMixedPageOutcomeAsync(results, earlier);
        }
        // Numbers drawn ahead for the page and not used were given back: the next request took the next number.
        Assert.Equal(SequenceOf(batch.Results[5].TrackingNumber!) + 1, SequenceOf(oneByOne.Earlier));
        await AssertAuditChainIntactAsync(services);
    }

    [Fact]
    public async Task TwoPages_TheSecondRecordedBeforeTheFirstIsDecided_EndAsOneMessageAtATime()
    {
        await using var services = database.BuildServices();
        var (page, earlier) = await MixedPageAfterARequestAsync(services);
        await using var firstScope = services.CreateAsyncScope();
        await using var secondScope = services.CreateAsyncScope();

        // As a mailbox catching up does: the second page stored, recorded and being read while the first is decided. Every
        // message of the second names a request the first opens, or is a copy of one of its messages.
        await using var first = await firstScope.ServiceProvider.GetRequiredService<MailIntake>().RecordBatchAsync(page[..2], IntakeSource.Microsoft365, CancellationToken.None);
        await using var second = await secondScope.ServiceProvider.GetRequiredService<MailIntake>().RecordBatchAsync(page[2..], IntakeSource.Microsoft365, CancellationToken.None);
        var results = (await first.FinishAsync(CancellationToken.None)).Concat(await second.FinishAsync(CancellationToken.None)).ToList();

        await AssertMixedPageOutcomeAsync(results, earlier);
        await AssertAuditChainIntactAsync(services);
    }

    [Fact]
    public async Task APageRecordedButNeverFinished_IsLeftUnprocessed_AndTakenInOnceWhenItComesAgain()
    {
        await using var services = database.BuildServices();
        var (page, earlier) = await MixedPageAfterARequestAsync(services);
        var references = page[2..].Select(m => m.SourceReference).ToList();
        IReadOnlyList<IntakeResult> firstResults;
        await using (var firstScope = services.CreateAsyncScope())
        await using (var secondScope = services.CreateAsyncScope())
        {
            await using var first = await firstScope.ServiceProvider.GetRequiredService<MailIntake>().RecordBatchAsync(page[..2], IntakeSource.Microsoft365, CancellationToken.None);
            var second = await secondScope.ServiceProvider.GetRequiredService<MailIntake>().RecordBatchAsync(page[2..], IntakeSource.Microsoft365, CancellationToken.None);
            // The channel fails while the first page commits: the second is let go unfinished (and so never acknowledged).
            await second.DisposeAsync();
            firstResults = await first.FinishAsync(CancellationToken.None);
        }
        await using (var scope = services.CreateAsyncScope())
        {
            var rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InboundMessage>().AsNoTracking()
                .Where(m => references.Contains(m.SourceReference)).Select(m => m.Classification).ToListAsync();
            Assert.Equal(Enumerable.Repeat(IntakeClassification.Pending, page.Count - 2), rows);
        }

        IReadOnlyList<IntakeResult> again;
        await using (var scope = services.CreateAsyncScope())
        {
            again = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(page[2..], IntakeSource.Microsoft365, CancellationToken.None);
        }

        await AssertMixedPageOutcomeAsync([.. firstResults, .. again], earlier);
        await AssertAuditChainIntactAsync(services);
    }
}
