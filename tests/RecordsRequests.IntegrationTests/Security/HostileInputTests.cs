using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Records;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Intake;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>Issue 15, finding 7: hostile mail and files end in a request or in quarantine with their reason, never in a crash or silence.</summary>
[Collection(Lanes.OwnHosts)]
public sealed partial class HostileInputTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = await TestApp.StartAsync(database);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<IntakeResult> ReceiveAsync(byte[] raw)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(raw, IntakeSource.CommandLine, "hostile", CancellationToken.None);
    }

    [Fact]
    public async Task MailWithNulBytesAndBrokenUtf8_OpensARequest_AndTheExactBytesAreKept()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var raw = System.Text.Encoding.Latin1.GetBytes(
            $"From: Nora <nora-{run}@nul.example>\r\nTo: records@demo-district.example\r\nSubject: Bus\0 routes {run}\r\nMessage-ID: <{run}@nul.example>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease send the bus\0 routes and the caf\u00C3\u00A9 menus \u00C3\u0028 for 2025.\r\n");

        var result = await ReceiveAsync(raw);

        Assert.Equal(IntakeClassification.Request, result.Classification);
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var request = await db.Requests.SingleAsync(r => r.TrackingNumber == result.TrackingNumber);
        Assert.Contains("Please send the bus routes and the café menus", request.Description, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', request.Description);
        var inbound = await db.Set<InboundMessage>().SingleAsync(m => m.Id == result.InboundId);
        Assert.Equal($"Bus routes {run}", inbound.Subject);
        Assert.Equal(raw, await scope.ServiceProvider.GetRequiredService<ContentStore>().ReadAllBytesAsync(inbound.RawSha256, CancellationToken.None));
    }

    [Fact]
    public async Task PublicFormWithNulBytes_IsAcceptedAndStoredClean()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var client = _app.CreateClient();
        // Sent as multipart/form-data, which hands a NUL through to the page (the URL-encoded reader of the framework
        // refuses %00 itself with 400 before any of our code runs, and nothing is saved).
        var form = await client.GetStringAsync("/submit");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(AntiforgeryToken().Match(form).Groups[1].Value)), "__RequestVerificationToken" },
            { new StringContent(WebUtility.HtmlDecode(WebSession.FormTicket().Match(form).Groups[1].Value)), "Ticket" },
            { new StringContent("Null\0 Person"), "Input.Name" },
            { new StringContent($"nul-{run}@form.example"), "Input.Email" },
            { new StringContent($"Nul {run}: the\0 2025 transportation contracts"), "Input.Description" },
        };

        var response = await client.PostAsync("/submit", content);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM requests r JOIN requesters p ON p.id = r.requester_id WHERE r.description = 'Nul {run}: the 2025 transportation contracts' AND p.name = 'Null Person'"));

        using var urlEncoded = _app.CreateClient();
        var refused = await WebSession.PostFormAsync(urlEncoded, "/submit", new() { ["Input.Email"] = $"nul2-{run}@form.example", ["Input.Description"] = $"Nul2 {run}\0" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM requests WHERE description LIKE 'Nul2 {run}%'"));
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryToken();

    [Fact]
    public async Task MessageNestedBeyondTheDepthLimit_IsQuarantinedWithItsReason()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var head = new System.Text.StringBuilder($"From: Deep <deep-{run}@deep.example>\r\nTo: records@demo-district.example\r\nSubject: Deep {run}\r\nMessage-ID: <{run}@deep.example>\r\nMIME-Version: 1.0\r\n");
        var tail = new System.Text.StringBuilder();
        for (var i = 1; i <= 100; i++)
        {
            head.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
            tail.Insert(0, $"\r\n--b{i}--\r\n");
        }
        head.Append("Content-Type: text/plain\r\n\r\nPlease send the hidden contract.\r\n").Append(tail);

        var result = await ReceiveAsync(System.Text.Encoding.ASCII.GetBytes(head.ToString()));

        Assert.Equal(IntakeClassification.Quarantined, result.Classification);
        Assert.Contains("nested deeper than the limit of 32 levels", result.Reason, StringComparison.Ordinal);
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        var page = await officer.GetStringAsync("/intake/quarantine");
        Assert.Contains($"Deep {run}", page, StringComparison.Ordinal);
        Assert.Contains("nested deeper than the limit of 32 levels", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DropFolder_RefusesASymbolicLink_WithoutReadingItsTarget_AndOfficersSeeWhy()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var watcher = ActivatorUtilities.CreateInstance<DropFolderWatcher>(_app.Services);
        Directory.CreateDirectory(watcher.Folder);
        // The target is mail, so following the link would open a request: refusing it must be the link rule, not a parse failure.
        var outside = Path.Combine(Path.GetTempPath(), $"outside-{run}.eml");
        await File.WriteAllBytesAsync(outside, IntakeTestMail.NewRequest($"Lee <lee-{run}@link.example>", $"Linked {run}", "Send the payroll."));
        try
        {
            File.CreateSymbolicLink(Path.Combine(watcher.Folder, $"link-{run}.eml"), outside);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "mail", "new-request-html-only.eml"), Path.Combine(watcher.Folder, $"real-{run}.eml"));

            await watcher.ProcessFolderAsync(CancellationToken.None);

            Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE subject = 'Linked {run}'"));
            Assert.True(File.Exists(outside));
            var refused = Directory.EnumerateFiles(Path.Combine(watcher.Folder, "rejected"), $"*link-{run}.eml").Single();
            Assert.NotNull(new FileInfo(refused).LinkTarget);
            Assert.Contains("symbolic link", await File.ReadAllTextAsync(refused + ".reason.txt"), StringComparison.Ordinal);
            Assert.Single(Directory.EnumerateFiles(Path.Combine(watcher.Folder, "processed"), $"*real-{run}.eml"));

            using var officer = _app.CreateClient();
            await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
            var page = await officer.GetStringAsync("/intake/quarantine");
            Assert.Contains("Files the drop folder refused", page, StringComparison.Ordinal);
            Assert.Contains($"link-{run}.eml", page, StringComparison.Ordinal);
            Assert.Contains("it is a symbolic link", page, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task DataProtectionKeys_AreEncryptedAtRest_WithACertificateKeptOutsideTheDatabase()
    {
        // A sign-in makes the key ring exist (and uses it to protect the cookie and session).
        using var client = _app.CreateClient();
        await WebSession.SignInAsync(client, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard")).StatusCode);

        Assert.True(await database.ScalarAsync("SELECT count(*) FROM data_protection_keys") > 0);
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM data_protection_keys WHERE xml NOT LIKE '%<EncryptedData%' OR xml LIKE '%<value>%'"));
        var certificate = Path.Combine(database.DataPath, KeyProtectionOptions.GeneratedFileName);
        Assert.True(File.Exists(certificate));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificate));
        }
    }

    [Fact]
    public async Task ConfiguredCertificate_EncryptsKeys_AndAPreviousOneStillReadsOldKeys()
    {
        var folder = Directory.CreateTempSubdirectory("dp-cert-");
        try
        {
            var previous = WritePfx(Path.Combine(folder.FullName, "old.pfx"), "pfx-secret");
            var current = WritePfx(Path.Combine(folder.FullName, "new.pfx"), "pfx-secret");
            var key = new System.Xml.Linq.XElement("key", new System.Xml.Linq.XElement("masterKey", "very secret"));
            System.Xml.Linq.XElement writtenBefore;
            await using (var before = database.BuildServices(settings: Settings(previous, "pfx-secret")))
            {
                writtenBefore = before.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor!.Encrypt(key).EncryptedElement;
            }

            await using var services = database.BuildServices(settings: Settings(current, "pfx-secret", previous));

            Assert.Equal(X509CertificateLoader.LoadPkcs12FromFile(current, "pfx-secret").Thumbprint, services.GetRequiredService<KeyProtectionCertificates>().Current.Thumbprint);
            var written = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor!.Encrypt(key).EncryptedElement;
            Assert.DoesNotContain("very secret", written.ToString(), StringComparison.Ordinal);
            var decryptor = new CertificateKeyDecryptor(services);
            Assert.Equal("very secret", decryptor.Decrypt(written).Element("masterKey")!.Value);
            Assert.Equal("very secret", decryptor.Decrypt(writtenBefore).Element("masterKey")!.Value);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string?> Settings(string path, string password, string? previous = null) => new()
    {
        ["DataProtection:CertificatePath"] = path,
        ["DataProtection:CertificatePassword"] = password,
        ["DataProtection:PreviousCertificatePaths:0"] = previous,
    };

    private static string WritePfx(string path, string password)
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=test data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
