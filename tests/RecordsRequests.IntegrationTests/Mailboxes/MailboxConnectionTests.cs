using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Intake;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>
/// Connections to Microsoft 365 and Google Workspace, exercised against <see cref="ProviderDouble"/> on loopback with
/// tokens from MSAL and Google.Apis.Auth, and the real intake and PostgreSQL behind them.
/// </summary>
[Collection(Lanes.Mail)]
public sealed class MailboxConnectionTests(TestDatabase database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    internal static byte[] Request(string run, int n, string? extraHeaders = null, string from = "Pat Requester <pat@public.example>") =>
        IntakeTestMail.NewRequest(from, $"Records request {n} ({run})", $"Under G.L. c. 66 please send the 2025 bus contracts, item {n} of run {run}.", extraHeaders);

    internal static string MessageIdOf(byte[] raw) => MimeMessage.Load(new MemoryStream(raw)).MessageId!;

    internal static async Task<MailboxConnection> AddAsync(IServiceProvider services, MailboxKind kind, string mailbox, ProviderDouble provider,
        bool sends = false, string? secret = null, string? tenant = null, byte[]? certificate = null)
    {
        await using var scope = services.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<MailboxConnections>();
        var words = kind == MailboxKind.Microsoft365 ? "Microsoft 365 mailbox" : "Google Workspace mailbox";
        return await connections.AddAsync(new NewMailboxConnection($"{words} {Guid.NewGuid().ToString("N")[..10]}", kind, mailbox,
            new MailboxEndpoint(tenant ?? ProviderDouble.Tenant, ProviderDouble.ClientId, null, 0, null, 0, "Auto", "INBOX"),
            IsRecordsInbox: true, SendsOutgoingMail: sends,
            ClientSecret: certificate is null ? secret ?? ProviderDouble.ClientSecret : null, Certificate: certificate,
            ServiceAccountKeyJson: kind == MailboxKind.GoogleWorkspace ? provider.ServiceAccountKeyJson : null), CancellationToken.None);
    }

    /// <summary>Each Message-ID is on exactly one stored inbound message, from the given channel.</summary>
    internal static async Task AssertEachOnceAsync(IServiceProvider services, IReadOnlyCollection<string> messageIds, IntakeSource source)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.Set<InboundMessage>().AsNoTracking().Where(m => messageIds.Contains(m.InternetMessageId!))
            .Select(m => new { m.InternetMessageId, m.Source, m.Classification }).ToListAsync();
        var missing = messageIds.Except(stored.Select(s => s.InternetMessageId!)).ToList();
        var repeated = stored.GroupBy(s => s.InternetMessageId).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Assert.True(missing.Count == 0, $"never taken in: {string.Join(", ", missing)}");
        Assert.True(repeated.Count == 0, $"taken in more than once: {string.Join(", ", repeated)}");
        Assert.All(stored, s => Assert.Equal(source, s.Source));
        Assert.All(stored, s => Assert.NotEqual(IntakeClassification.Pending, s.Classification));
    }

    private static async Task<int> PollAsync(IServiceProvider services, MailboxConnection connection, CancellationToken cancellationToken = default) =>
        await services.GetRequiredService<MailboxIntake>().PollAsync(connection.Id, cancellationToken);

    private static async Task<MailboxCheckpoint> CheckpointAsync(IServiceProvider services, MailboxConnection connection)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<MailboxCheckpoint>().AsNoTracking().SingleAsync(c => c.ConnectionId == connection.Id);
    }

    [Fact]
    public async Task Microsoft365_TakesInTheInboxAcrossPages_ThroughThrottlingAndAnExpiredToken_MarksAndKeepsEveryMessage()
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var address = $"records-{run}@district.example";
        var box = provider.Mailbox(address);
        provider.AccessPolicy.Add(address);
        var ids = Enumerable.Range(1, 7).Select(n => MessageIdOf(box.Deliver(Request(run, n)).Raw)).ToList();
        provider.ThrottleEvery = 5;
        provider.TokenUses = 6;
        var connection = await AddAsync(services, MailboxKind.Microsoft365, address, provider);

        Assert.Equal(7, await PollAsync(services, connection));

        await AssertEachOnceAsync(services, ids, IntakeSource.Microsoft365);
        Assert.Equal(7, box.Messages.Count);
        Assert.All(box.Messages, m => Assert.Contains(GraphMailbox.ProcessedCategory, m.Labels));
        Assert.All(box.Messages, m => Assert.True(m.IsRead));
        Assert.True(provider.Throttled > 0, "the double throttled at least once");
        Assert.True(provider.ExpiredRefusals > 0, "the double refused an expired token at least once");
        Assert.True(provider.TokensIssued >= 2, "a new token was fetched through MSAL after the first expired");
        var checkpoint = await CheckpointAsync(services, connection);
        Assert.Contains("$deltatoken=", checkpoint.Position, StringComparison.Ordinal);
        Assert.Null(checkpoint.LastError);

        // Later mail: only the new messages, from the stored delta link (the marked ones come back in the delta and are passed over).
        ids.AddRange(Enumerable.Range(8, 2).Select(n => MessageIdOf(box.Deliver(Request(run, n)).Raw)));
        Assert.Equal(2, await PollAsync(services, connection));
        Assert.Equal(0, await PollAsync(services, connection));
        await AssertEachOnceAsync(services, ids, IntakeSource.Microsoft365);
        Assert.Equal(9, box.Messages.Count);
    }

    [Fact]
    public async Task GoogleWorkspace_ListsThenFollowsHistory_ThroughThrottlingAndAnExpiredToken_LabelsAndKeepsEveryMessage()
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var address = $"records-{run}@district.example";
        var box = provider.Mailbox(address);
        var ids = Enumerable.Range(1, 5).Select(n => MessageIdOf(box.Deliver(Request(run, n), "INBOX", "UNREAD").Raw)).ToList();
        var spamFolder = box.Deliver(Request(run, 99), "SPAM", "UNREAD");
        provider.ThrottleEvery = 4;
        provider.TokenUses = 7;
        var connection = await AddAsync(services, MailboxKind.GoogleWorkspace, address, provider);

        Assert.Equal(5, await PollAsync(services, connection));

        await AssertEachOnceAsync(services, ids, IntakeSource.Gmail);
        var label = Assert.Single(box.UserLabels, l => l.Value == GmailMailbox.ProcessedLabel).Key;
        Assert.All(box.Messages.Where(m => m != spamFolder), m => Assert.Contains(label, m.Labels));
        Assert.All(box.Messages.Where(m => m != spamFolder), m => Assert.DoesNotContain("UNREAD", m.Labels));
        Assert.DoesNotContain(label, spamFolder.Labels);
        Assert.Equal(6, box.Messages.Count);
        Assert.True(provider.Throttled > 0 && provider.ExpiredRefusals > 0 && provider.TokensIssued >= 2,
            $"throttled {provider.Throttled}, expired refusals {provider.ExpiredRefusals}, tokens {provider.TokensIssued}");
        Assert.StartsWith("history:", (await CheckpointAsync(services, connection)).Position, StringComparison.Ordinal);

        ids.AddRange(Enumerable.Range(6, 3).Select(n => MessageIdOf(box.Deliver(Request(run, n), "INBOX", "UNREAD").Raw)));
        Assert.Equal(3, await PollAsync(services, connection));

        // History older than Gmail keeps answers 404: the inbox is listed again, and nothing already labelled comes twice.
        box.OldestHistory = box.Sequence + 1;
        ids.Add(MessageIdOf(box.Deliver(Request(run, 9), "INBOX", "UNREAD").Raw));
        Assert.Equal(1, await PollAsync(services, connection));
        await AssertEachOnceAsync(services, ids, IntakeSource.Gmail);
    }

    [Theory]
    [InlineData(MailboxKind.Microsoft365)]
    [InlineData(MailboxKind.GoogleWorkspace)]
    public async Task IntakeKilledAtRandomPointsAndRestarted_TakesInEveryMessageExactlyOnce(MailboxKind kind)
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var address = $"records-{run}@district.example";
        var box = provider.Mailbox(address);
        provider.AccessPolicy.Add(address);
        provider.ThrottleEvery = 9;
        var connection = await AddAsync(services, kind, address, provider);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var ids = new List<string>();
        var n = 0;
        var killed = 0;
        var rounds = 0;
        // Kills are spread over how long a round takes: every round that finishes before its kill times the rounds again,
        // so a faster intake or a quieter machine still has most rounds killed midway.
        var roundMilliseconds = 250;
        var timed = new System.Diagnostics.Stopwatch();
        for (; rounds < 60 && killed < 10; rounds++)
        {
            foreach (var _ in Enumerable.Range(0, random.Next(1, 4)))
            {
                ids.Add(MessageIdOf(box.Deliver(Request(run, ++n), "INBOX", "UNREAD").Raw));
            }
            using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, roundMilliseconds)));
            timed.Restart();
            try
            {
                await PollAsync(services, connection, kill.Token);
                roundMilliseconds = Math.Max(1, (int)timed.ElapsedMilliseconds);
            }
            catch (Exception) when (kill.IsCancellationRequested)
            {
                killed++;
            }
        }
        await PollAsync(services, connection);
        Assert.Null((await CheckpointAsync(services, connection)).LastError);
        Assert.Empty(provider.Failures);
        await using (var scope = services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InboundMessage>().AsNoTracking()
                .Where(m => ids.Contains(m.InternetMessageId!)).Select(m => m.InternetMessageId!).ToListAsync();
            var missing = box.Messages.Where(m => !stored.Contains(MessageIdOf(m.Raw))).Select(m => $"{m.Id} change {m.Change} labels [{string.Join(",", m.Labels)}]").ToList();
            Assert.True(missing.Count == 0, $"seed {seed}; missing: {string.Join("; ", missing)}\n{string.Join("\n", provider.Requests)}");
        }
        Assert.True(killed >= 10, $"only {killed} of {rounds} rounds were killed before they finished (seed {seed}, the last round that finished took {roundMilliseconds} ms)");
        await AssertEachOnceAsync(services, ids, connection.IntakeSource);
        Assert.Equal(ids.Count, box.Messages.Count);
    }

    [Fact]
    public async Task TestConnection_SaysInPlainWordsWhatFailed()
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var address = $"records-{run}@district.example";
        provider.Mailbox(address).Deliver(Request(run, 1), "INBOX");
        provider.AccessPolicy.Add(address);
        var outsider = $"superintendent-{run}@district.example";
        provider.Mailbox(outsider);

        async Task<(bool Ok, string Outcome, string? Section)> TestAsync(MailboxConnection connection)
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<MailboxConnections>().TestAsync(connection.Id, CancellationToken.None);
        }

        var good = await TestAsync(await AddAsync(services, MailboxKind.Microsoft365, address, provider));
        Assert.True(good.Ok, good.Outcome);
        Assert.Contains("1 messages", good.Outcome, StringComparison.Ordinal);

        var wrongTenant = await TestAsync(await AddAsync(services, MailboxKind.Microsoft365, address, provider, tenant: "contoso.onmicrosoft.example"));
        Assert.False(wrongTenant.Ok);
        Assert.StartsWith("Wrong tenant", wrongTenant.Outcome, StringComparison.Ordinal);
        Assert.Equal(SetupGuide.Microsoft365, wrongTenant.Section);

        var wrongSecret = await TestAsync(await AddAsync(services, MailboxKind.Microsoft365, address, provider, secret: "not-the-secret"));
        Assert.Contains("client secret is wrong", wrongSecret.Outcome, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", wrongSecret.Outcome, StringComparison.Ordinal);

        var outsidePolicy = await TestAsync(await AddAsync(services, MailboxKind.Microsoft365, outsider, provider));
        Assert.Contains("not in the application access policy", outsidePolicy.Outcome, StringComparison.Ordinal);

        var certificate = await TestAsync(await AddAsync(services, MailboxKind.Microsoft365, address, provider, certificate: ClientCertificate()));
        Assert.True(certificate.Ok, certificate.Outcome + string.Join("\n", provider.Failures));

        var gmail = await AddAsync(services, MailboxKind.GoogleWorkspace, address, provider);
        Assert.True((await TestAsync(gmail)).Ok);
        provider.DelegatedScopes.Clear();
        var noDelegation = await TestAsync(await AddAsync(services, MailboxKind.GoogleWorkspace, address, provider));
        Assert.StartsWith("Domain-wide delegation is missing", noDelegation.Outcome, StringComparison.Ordinal);
        Assert.Contains(MailboxTokens.GmailScope, noDelegation.Outcome, StringComparison.Ordinal);
        provider.DelegatedScopes.Add(MailboxTokens.GmailScope);

        var noSuchUser = await TestAsync(await AddAsync(services, MailboxKind.GoogleWorkspace, $"nobody-{run}@district.example", provider));
        Assert.Contains("Google has no user", noSuchUser.Outcome, StringComparison.Ordinal);

        provider.ClockOffset = TimeSpan.FromHours(2);
        var skewedGoogle = await TestAsync(await AddAsync(services, MailboxKind.GoogleWorkspace, address, provider));
        Assert.Contains("clock skew", skewedGoogle.Outcome, StringComparison.Ordinal);
        var skewedMicrosoft = await TestAsync(await AddAsync(services, MailboxKind.Microsoft365, address, provider, certificate: ClientCertificate()));
        Assert.Contains("clock skew", skewedMicrosoft.Outcome, StringComparison.Ordinal);

        // The outcome is kept on the connection for the list page.
        await using var scope = services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<MailboxConnection>().AsNoTracking()
            .Where(c => c.Mailbox == outsider).SingleAsync();
        Assert.False(stored.LastTestSucceeded);
        Assert.Equal(outsidePolicy.Outcome, stored.LastTestOutcome);
    }

    [Fact]
    public async Task ProvidersSpamVerdictHoldsTheMessage_AndTheirAuthenticationResultsVouchForTheDistrictsSenders()
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var address = $"records-{run}@district.example";
        var box = provider.Mailbox(address);
        provider.AccessPolicy.Add(address);
        // Header layouts from https://learn.microsoft.com/defender-office-365/message-headers-eop-mdo (Exchange writes no authserv-id).
        var spam = box.Deliver(Request(run, 1, "X-MS-Exchange-Organization-SCL: 9\r\n"));
        var staff = box.Deliver(Request(run, 2,
            "Authentication-Results: spf=pass (sender IP is 40.107.22.51) smtp.mailfrom=demo-district.example; dkim=pass (signature was verified) header.d=demo-district.example;dmarc=pass action=none header.from=demo-district.example;compauth=pass reason=100\r\n",
            from: $"Lee Principal <lee-{run}@demo-district.example>"));
        var forged = box.Deliver(Request(run, 3,
            "Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=demo-district.example; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=demo-district.example;compauth=fail reason=000\r\n"
            + "Authentication-Results: mx.attacker.example; dmarc=pass header.from=demo-district.example\r\n",
            from: $"Lee Principal <lee-{run}@demo-district.example>"));
        var connection = await AddAsync(services, MailboxKind.Microsoft365, address, provider);

        Assert.Equal(3, await PollAsync(services, connection));

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        async Task<InboundMessage> StoredAsync(FakeMessage message)
        {
            var id = MessageIdOf(message.Raw);
            return await db.Set<InboundMessage>().AsNoTracking().SingleAsync(m => m.InternetMessageId == id);
        }
        var held = await StoredAsync(spam);
        Assert.Equal(IntakeClassification.Spam, held.Classification);
        Assert.Equal("marked as spam by Microsoft 365 (spam confidence level 9)", held.Reason);
        Assert.Null(held.RequestId);
        Assert.Contains("reported by Microsoft 365", (await StoredAsync(staff)).SenderVerification, StringComparison.Ordinal);
        Assert.Contains("Microsoft 365 reported no pass", (await StoredAsync(forged)).SenderVerification, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MailboxKind.Microsoft365)]
    [InlineData(MailboxKind.GoogleWorkspace)]
    public async Task OutgoingMail_GoesOutThroughTheConnectionMarkedForIt(MailboxKind kind)
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var address = $"records-{run}@district.example";
        var box = provider.Mailbox(address);
        provider.AccessPolicy.Add(address);
        provider.ThrottleNext = 1;
        await AddAsync(services, kind, address, provider, sends: true);
        var message = new MimeMessage { Subject = $"Your records request ({run})", Body = new TextPart("plain") { Text = "We received your request." } };
        message.From.Add(new MailboxAddress("Records", address));
        message.To.Add(new MailboxAddress("Pat", "pat@public.example"));
        message.MessageId = $"{run}@district.example";

        await services.GetRequiredService<IMailTransport>().SendAsync(message, CancellationToken.None);

        var sent = MimeMessage.Load(new MemoryStream(Assert.Single(box.Sent)));
        Assert.Equal(message.Subject, sent.Subject);
        Assert.Equal(message.MessageId, sent.MessageId);
        Assert.True(provider.Throttled > 0, "the send was throttled once and tried again");
    }

    /// <summary>A self-signed client certificate with its key, as a .pfx district IT would upload.</summary>
    internal static byte[] ClientCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=RecordsRequests mailbox", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12);
    }
}
