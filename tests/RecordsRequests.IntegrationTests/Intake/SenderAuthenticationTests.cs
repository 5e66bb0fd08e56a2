using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Intake;

/// <summary>
/// Mail claiming a district address, received by the SMTP listener from 127.0.0.1, is trusted as a staff member's
/// forward only when the district's DKIM key (published on a real loopback DNS server) verifies its signature or the
/// district's SPF policy admits the connecting address. Otherwise it is outside mail from the address it names.
/// </summary>
[Collection(Lanes.Mail)]
public class SenderAuthenticationTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string District = "demo-district.example";
    private const string SpfDistrict = "spf-district.example";

    [Fact]
    public async Task ClaimedDistrictSender_IsTrustedOnlyWithAValidDkimSignatureOrSpfPass()
    {
        using var dns = new LoopbackDns();
        var districtKey = NewRsaKey();
        var attackerKey = NewRsaKey();
        dns.SetTxt($"mail2026._domainkey.{District}", $"v=DKIM1; k=rsa; p={PublicKeyBase64(districtKey.Public)}");
        // The district's own outbound servers are elsewhere: a message from 127.0.0.1 in its name fails SPF.
        dns.SetTxt(District, "v=spf1 ip4:192.0.2.10 -all");
        dns.SetTxt(SpfDistrict, "v=spf1 ip4:127.0.0.1 -all");
        await using var services = database.BuildServices(settings: new Dictionary<string, string?>
        {
            ["Intake:DistrictDomains:0"] = District,
            ["Intake:DistrictDomains:1"] = SpfDistrict,
            ["Intake:SenderAuthentication:DnsServers:0"] = dns.Endpoint,
        });
        var run = Guid.NewGuid().ToString("N")[..8];

        var forged = Forward($"superintendent@{District}", $"forged-{run}@home.example", $"Forged {run}");
        var signed = Forward($"principal@{District}", $"signed-{run}@home.example", $"Signed {run}");
        Sign(signed, districtKey.Private);
        var wrongKey = Forward($"principal@{District}", $"wrongkey-{run}@home.example", $"Wrong key {run}");
        Sign(wrongKey, attackerKey.Private);
        var spfPass = Forward($"clerk@{SpfDistrict}", $"spf-{run}@home.example", $"SPF {run}");
        await SendAsync(services, forged, signed, wrongKey, spfPass);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        async Task<(string Requester, InboundMessage Inbound)> OpenedAsync(string subject)
        {
            var inbound = await db.Set<InboundMessage>().AsNoTracking().SingleAsync(m => m.Subject == $"Fwd: {subject}");
            Assert.Equal(IntakeClassification.Request, inbound.Classification);
            var requester = await db.Requests.Where(r => r.Id == inbound.RequestId).Select(r => r.Requester.Email).SingleAsync();
            return (requester!, inbound);
        }

        var (forgedRequester, forgedInbound) = await OpenedAsync($"Forged {run}");
        Assert.Equal($"superintendent@{District}", forgedRequester);
        Assert.Contains("claiming a district address", forgedInbound.Reason, StringComparison.Ordinal);
        Assert.Contains("spf=fail", forgedInbound.SenderVerification, StringComparison.Ordinal);

        var (signedRequester, signedInbound) = await OpenedAsync($"Signed {run}");
        Assert.Equal($"signed-{run}@home.example", signedRequester);
        Assert.Contains($"forwarded by principal@{District}", signedInbound.Reason, StringComparison.Ordinal);
        Assert.Contains("dkim=pass", signedInbound.SenderVerification, StringComparison.Ordinal);

        var (wrongKeyRequester, wrongKeyInbound) = await OpenedAsync($"Wrong key {run}");
        Assert.Equal($"principal@{District}", wrongKeyRequester);
        Assert.Contains("dkim=fail", wrongKeyInbound.SenderVerification, StringComparison.Ordinal);

        var (spfRequester, spfInbound) = await OpenedAsync($"SPF {run}");
        Assert.Equal($"spf-{run}@home.example", spfRequester);
        Assert.Contains("spf=pass", spfInbound.SenderVerification, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmtpListener_OverItsLimit_DefersWith451SoTheSenderRetries()
    {
        await using var services = database.BuildServices(settings: new Dictionary<string, string?>
        {
            ["RateLimits:SmtpPerClient:Permits"] = "2",
            ["RateLimits:SmtpPerClient:Window"] = "00:10:00",
        });
        var run = Guid.NewGuid().ToString("N")[..8];
        var messages = Enumerable.Range(0, 4).Select(i =>
        {
            var message = new MimeMessage { Subject = $"Flood {run} {i}", Body = new TextPart("plain") { Text = "Please send the 2025 budget." } };
            message.From.Add(new MailboxAddress("Flood", $"flood-{run}@elsewhere.example"));
            message.To.Add(new MailboxAddress("Records", $"records@{District}"));
            return message;
        }).ToArray();

        var refusals = await SendAsync(services, messages);

        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, code => Assert.Equal(451, code));
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE subject LIKE 'Flood {run}%'"));
        Assert.True(await database.ScalarAsync("SELECT count(*) FROM abuse_events WHERE channel = 'Smtp' AND outcome = 'deferred'") >= 2);
    }

    private static MimeMessage Forward(string staff, string parent, string subject)
    {
        var message = new MimeMessage { Subject = $"Fwd: {subject}", Date = DateTimeOffset.UtcNow, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("test.example") };
        message.From.Add(new MailboxAddress("District Staff", staff));
        message.To.Add(new MailboxAddress("Records", $"records@{District}"));
        message.Body = new TextPart("plain")
        {
            Text = $"Please handle this one.\n\n---------- Forwarded message ---------\nFrom: A Parent <{parent}>\nDate: Wed, Apr 15, 2026 at 7:02 PM\n"
                + $"Subject: {subject}\nTo: <{staff}>\n\nUnder c.66 please send the 2025 bus contracts.\n",
        };
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    private static void Sign(MimeMessage message, AsymmetricKeyParameter key)
    {
        var signer = new DkimSigner(key, District, "mail2026")
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
    }

    /// <summary>A 2048-bit key made by the platform's crypto (BouncyCastle's own generator takes seconds on a busy machine).</summary>
    private static AsymmetricCipherKeyPair NewRsaKey()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return DotNetUtilities.GetRsaKeyPair(rsa.ExportParameters(includePrivateParameters: true));
    }

    private static string PublicKeyBase64(AsymmetricKeyParameter key) =>
        Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetDerEncoded());

    /// <summary>Sends each message in one SMTP session; returns the status codes of those the listener refused.</summary>
    private static async Task<List<int>> SendAsync(IServiceProvider services, params MimeMessage[] messages)
    {
        var refusals = new List<int>();
        var port = FreePort();
        var options = services.GetRequiredService<IOptions<IntakeOptions>>().Value;
        options.Smtp.Enabled = true;
        options.Smtp.Port = port;
        var listener = new SmtpIntakeListener(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), NullLogger<SmtpIntakeListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            using var client = new SmtpClient();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await client.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
                    break;
                }
                catch (SocketException) when (attempt < 100)
                {
                    await Task.Delay(100);
                }
            }
            foreach (var message in messages)
            {
                try
                {
                    await client.SendAsync(message);
                }
                catch (SmtpCommandException refused)
                {
                    refusals.Add((int)refused.StatusCode);
                }
            }
            await client.DisconnectAsync(quit: true);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
        return refusals;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
