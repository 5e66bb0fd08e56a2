using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Workflow;
using Xunit.Abstractions;

namespace RecordsRequests.IntegrationTests.Intake;

/// <summary>
/// Issue 15, deliver 6: mail the SMTP listener receives straight from the internet is scored by a real SpamAssassin
/// (the spamd ops/test starts, local rules only). What scores 5 or more waits on the spam list, unanswered; real mail
/// goes through; a filter that cannot be reached loses nothing.
/// </summary>
[Collection(Lanes.Mail)]
public sealed class SpamTests(TestDatabase database, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string RecordsAddress = "records@demo-district.example";

    /// <summary>SpamAssassin's Generic Test for Unsolicited Bulk Email: a message whose body carries the GTUBE line scores 1000.</summary>
    internal static byte[] Gtube(string from, string run) => System.Text.Encoding.ASCII.GetBytes(
        $"From: Prize Office <{from}>\r\nTo: {RecordsAddress}\r\nSubject: You have won {run}\r\nMessage-ID: <gtube-{run}@spam.example>\r\n"
        + "Date: Sat, 05 Dec 2026 09:00:00 -0500\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        + "Claim your prize now.\r\n\r\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n");

    [Fact]
    public async Task Gtube_SentToTheListener_IsHeldAsSpam_NeitherOpenedNorAnswered_AndReleasingItOpensTheRequestAsOfItsArrival()
    {
        SpamFilter.FromEnvironment();
        await using var harness = await LifecycleHarness.StartAsync(database);
        var run = Guid.NewGuid().ToString("N")[..8];
        var sender = $"prize-{run}@spam.example";

        await SendThroughListenerAsync(harness.Services, [(sender, Gtube(sender, run))]);

        var held = await InboundFromAsync(harness.Services, sender);
        output.WriteLine($"{held.Classification}, {held.SpamScore}: {held.Reason}");
        Assert.Equal(IntakeClassification.Spam, held.Classification);
        Assert.True(held.SpamScore >= 1000, $"GTUBE scored {held.SpamScore}");
        Assert.StartsWith("SpamAssassin scored it", held.Reason, StringComparison.Ordinal);
        Assert.Contains("Generic Test for Unsolicited Bulk Email", held.Reason, StringComparison.Ordinal);
        Assert.Null(held.RequestId);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM requesters WHERE email = '{sender}'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE to_address = '{sender}'"));

        // Weeks later an officer decides a person wrote it: intake takes it in as it would have on arrival.
        var released = await harness.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AppDbContext>();
            (await db.Set<InboundMessage>().SingleAsync(m => m.Id == held.Id)).ReleaseFromSpam("officer@district.example", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            return await services.GetRequiredService<MailIntake>().ReprocessAsync(held.Id, CancellationToken.None);
        });

        Assert.Equal(IntakeClassification.Request, released.Classification);
        Assert.Contains("released from the spam list by officer@district.example", released.Reason, StringComparison.Ordinal);
        var requestId = await harness.InScopeAsync(s => s.GetRequiredService<AppDbContext>().Requests.Where(r => r.TrackingNumber == released.TrackingNumber)
            .Select(r => r.Id).SingleAsync());
        await harness.AtAsync(requestId, "triage");
        Assert.Equal(["Acknowledgement"], await harness.MailKindsAsync(requestId));
        // The statutory clocks count from when the district received the message, not from the release.
        Assert.Equal(held.ReceivedAt, (await harness.RequestAsync(requestId)).ReceivedAt);
        var audit = await harness.InScopeAsync(s => s.GetRequiredService<AppDbContext>().AuditEvents.AsNoTracking()
            .Where(a => a.EntityType == nameof(InboundMessage) && a.EntityId == held.Id.ToString()).OrderBy(a => a.Id).ToListAsync());
        Assert.Contains(audit, a => a.Actor == "officer@district.example" && a.After is { } after
            && after.RootElement.TryGetProperty(nameof(InboundMessage.ReleasedFromSpamBy), out var by) && by.ValueKind == System.Text.Json.JsonValueKind.String
            && by.GetString() == "officer@district.example");
    }

    [Fact]
    public async Task EveryGenuineMessageOfTheAlaveteliCorpus_SentToTheListener_IsScoredAndNoneIsHeldAsSpam()
    {
        SpamFilter.FromEnvironment();
        await using var services = database.BuildServices(settings: new Dictionary<string, string?>
        {
            // One client sends them all; the listener's per-client limit is not under test here.
            ["RateLimits:SmtpPerClient:Permits"] = "1000",
        });
        var run = Guid.NewGuid().ToString("N")[..8];
        var corpus = Path.GetFullPath(Path.Combine(TestApp.RepositoryRoot(), "..", "shared", "corpora", "alaveteli", "spec", "fixtures", "files"));
        var files = Directory.GetFiles(corpus, "*.eml").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 60, $"the corpus at {corpus} has {files.Count} messages");

        await SendThroughListenerAsync(services, files.Select((file, n) => ($"corpus-{run}-{n}@alaveteli.example", File.ReadAllBytes(file))).ToList());

        await using var scope = services.CreateAsyncScope();
        var taken = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InboundMessage>().AsNoTracking()
            .Where(m => m.SourceReference!.Contains($"corpus-{run}-")).ToListAsync();
        foreach (var message in taken.OrderByDescending(m => m.SpamScore))
        {
            output.WriteLine($"{message.SpamScore?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "not scored"}\t{message.Classification}\t{message.Subject}\t{message.SpamNotScored}");
        }
        // Byte-identical messages are one; every file arrived.
        Assert.Equal(files.Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(WithCrLf(File.ReadAllBytes(f))))).Distinct().Count(), taken.Count);
        Assert.DoesNotContain(taken, m => m.Classification == IntakeClassification.Spam);
        // Scored by the real filter, apart from what is larger than it reads.
        Assert.All(taken.Where(m => m.SizeBytes <= 512 * 1024), m => Assert.NotNull(m.SpamScore));
        Assert.All(taken.Where(m => m.SizeBytes > 512 * 1024), m => Assert.StartsWith("larger than", m.SpamNotScored, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenTheSpamFilterCannotBeReached_MailIsTakenInAsUsual_AndMarkedNotScored()
    {
        await using var services = database.BuildServices(settings: new Dictionary<string, string?>
        {
            ["Intake:Spam:Host"] = "127.0.0.1",
            ["Intake:Spam:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var run = Guid.NewGuid().ToString("N")[..8];
        var sender = $"dana-{run}@parents.example";

        await SendThroughListenerAsync(services, [(sender, IntakeTestMail.NewRequest($"Dana <{sender}>", $"Bus routes {run}", "Please send the 2025 bus routes."))]);

        var taken = await InboundFromAsync(services, sender);
        Assert.Equal(IntakeClassification.Request, taken.Classification);
        Assert.NotNull(taken.RequestId);
        Assert.Null(taken.SpamScore);
        Assert.StartsWith("the spam filter could not be reached", taken.SpamNotScored, StringComparison.Ordinal);
    }

    private static async Task<InboundMessage> InboundFromAsync(IServiceProvider services, string from)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InboundMessage>().AsNoTracking().SingleAsync(m => m.FromAddress == from);
    }

    /// <summary>
    /// A real SMTP conversation with the listener, one transaction per message, as a sending server holds it: the bytes
    /// of each message as they are (no re-encoding), with line breaks made CRLF and leading dots doubled (RFC 5321 §4.5.2).
    /// </summary>
    internal static async Task SendThroughListenerAsync(IServiceProvider services, IReadOnlyList<(string MailFrom, byte[] Raw)> messages)
    {
        var options = new IntakeOptions { Smtp = { Enabled = true, Port = FreePort() } };
        var listener = new SmtpIntakeListener(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), NullLogger<SmtpIntakeListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            using var client = new TcpClient();
            // The listener binds its socket in the background after StartAsync returns; wait until it accepts.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, options.Smtp.Port);
                    break;
                }
                catch (SocketException) when (attempt < 100)
                {
                    await Task.Delay(100);
                }
            }
            var stream = client.GetStream();
            using var replies = new StreamReader(stream, System.Text.Encoding.ASCII);
            await ReplyAsync(replies, "220");
            await CommandAsync(stream, replies, "EHLO mail.sender.example", "250");
            foreach (var (mailFrom, raw) in messages)
            {
                await CommandAsync(stream, replies, $"MAIL FROM:<{mailFrom}>", "250");
                await CommandAsync(stream, replies, $"RCPT TO:<{RecordsAddress}>", "250");
                await CommandAsync(stream, replies, "DATA", "354");
                await stream.WriteAsync(DotStuffed(WithCrLf(raw)));
                await ReplyAsync(replies, "250");
            }
            await CommandAsync(stream, replies, "QUIT", "221");
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    private static async Task CommandAsync(NetworkStream stream, StreamReader replies, string command, string expected)
    {
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        await ReplyAsync(replies, expected);
    }

    /// <summary>Reads one reply, all its lines ("250-..." continues, "250 ..." ends it), and checks its code.</summary>
    private static async Task ReplyAsync(StreamReader replies, string expected)
    {
        string line;
        do
        {
            line = await replies.ReadLineAsync() ?? throw new IOException("The listener closed the connection.");
        }
        while (line.Length > 3 && line[3] == '-');
        Assert.True(line.StartsWith(expected, StringComparison.Ordinal), $"expected {expected}, the listener answered: {line}");
    }

    /// <summary>Every line break as CRLF, as SMTP carries it (a file written with Unix line ends is sent so by any mail server).</summary>
    internal static byte[] WithCrLf(byte[] raw)
    {
        var output = new MemoryStream(raw.Length + 1024);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\n' && (i == 0 || raw[i - 1] != (byte)'\r'))
            {
                output.WriteByte((byte)'\r');
            }
            output.WriteByte(raw[i]);
        }
        if (raw.Length > 0 && raw[^1] != (byte)'\n')
        {
            output.Write("\r\n"u8);
        }
        return output.ToArray();
    }

    /// <summary>A line that starts with a dot gets a second one, and a lone dot ends the message.</summary>
    private static byte[] DotStuffed(byte[] crlf)
    {
        var output = new MemoryStream(crlf.Length + 1024);
        var lineStart = true;
        foreach (var b in crlf)
        {
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }
            output.WriteByte(b);
            lineStart = b == (byte)'\n';
        }
        output.Write(".\r\n"u8);
        return output.ToArray();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
