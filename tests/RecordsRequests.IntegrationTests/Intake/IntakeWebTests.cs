using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Intake;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Intake;

[Collection(Lanes.StaffPages)]
public partial class IntakeWebTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> OfficerAsync()
    {
        var client = _app.CreateClient();
        await WebSession.SignInAsync(client, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        return client;
    }

    [Fact]
    public async Task UploadedEml_OpensARequestWhoseTimelineShowsTheMessage()
    {
        using var client = await OfficerAsync();
        var subject = $"Uploaded request {Guid.NewGuid():N}";
        var form = await client.GetStringAsync("/intake/upload");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(Token().Match(form).Groups[1].Value)), "__RequestVerificationToken" },
            { new ByteArrayContent(IntakeTestMail.NewRequest("Uma <uma@upload.example>", subject, "Please send the 2025 school committee minutes.")), "MailFile", "request.eml" },
        };

        var page = await (await client.PostAsync("/intake/upload", content)).Content.ReadAsStringAsync();

        var trackingNumber = TrackingNumber().Match(page).Value;
        Assert.Contains("<td>New request</td>", page, StringComparison.Ordinal);
        Assert.NotEmpty(trackingNumber);
        var details = await client.GetStringAsync($"/requests/{trackingNumber}");
        Assert.Contains("E-mail received from uma@upload.example", details, StringComparison.Ordinal);
        Assert.Contains("school committee minutes", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuarantinedMail_IsListedAndAnOfficerCanOpenARequestFromIt()
    {
        IntakeResult quarantined;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            quarantined = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(
                IntakeTestMail.NewRequest("Quinn <quinn@q.example>", $"About PRR-1990-0007 {Guid.NewGuid():N}", "Please send the 1990 budget."),
                IntakeSource.CommandLine, "test", CancellationToken.None);
        }
        Assert.Equal(IntakeClassification.Quarantined, quarantined.Classification);
        using var client = await OfficerAsync();
        var list = await client.GetStringAsync("/intake/quarantine");
        Assert.Contains("PRR-1990-0007, which is not a request of this district", list, StringComparison.Ordinal);
        // Where it came from, in words, and when, in the district's zone.
        Assert.Contains("<td>Imported on the server</td>", list, StringComparison.Ordinal);
        Assert.DoesNotContain("CommandLine", list, StringComparison.Ordinal);
        Assert.Matches(@"<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T</td>", list);

        var response = await WebSession.PostFormAsync(client, $"/intake/quarantine?handler=Open&id={quarantined.InboundId}", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE id = '{quarantined.InboundId}' AND classification = 'Request' AND request_id IS NOT NULL AND reclassified_by IS NOT NULL"));
    }

    [Fact]
    public async Task QuarantinePage_IsForOfficersOnly()
    {
        using var client = _app.CreateClient();
        await WebSession.SignInAsync(client, await WebSession.CreateStaffAsync(_app, Roles.Counsel));

        var response = await client.GetAsync("/intake/quarantine");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtensionLetter_CarriesTheSection10bElementsAndIsSentOnlyWhenComplete()
    {
        IntakeResult opened;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            opened = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(
                IntakeTestMail.NewRequest("Wes <wes@letter.example>", $"Every e-mail of the superintendent {Guid.NewGuid():N}", "All e-mail of the superintendent in 2025."),
                IntakeSource.CommandLine, "test", CancellationToken.None);
        }
        using var client = await OfficerAsync();
        var path = $"/requests/{opened.TrackingNumber}/write?template=Extension";
        var draft = WebUtility.HtmlDecode(await client.GetStringAsync(path));
        Assert.Contains($"1. Receipt. The district received your request ({opened.TrackingNumber})", draft, StringComparison.Ordinal);
        Assert.Contains("6. Timeframe: the district will produce the records by", draft, StringComparison.Ordinal);
        Assert.Contains("Supervisor of Records within 90 calendar days", draft, StringComparison.Ordinal);
        Assert.Contains("Superior Court", draft, StringComparison.Ordinal);

        var refused = await WebSession.PostFormAsync(client, path, new() { ["Template"] = "Extension", ["Subject"] = "Response", ["Body"] = "Dear Wes, [[fill in]]" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Replace every [[", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var sent = await WebSession.PostFormAsync(client, path, new() { ["Template"] = "Extension", ["Subject"] = $"[{opened.TrackingNumber}] Response", ["Body"] = "Dear Wes, the records follow by June 1." });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails o JOIN requests r ON r.id = o.request_id WHERE r.tracking_number = '{opened.TrackingNumber}' AND o.kind = 'Extension' AND o.in_reply_to IS NOT NULL"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex(@"PRR-\d{4}-\d{4,}")]
    private static partial Regex TrackingNumber();
}
