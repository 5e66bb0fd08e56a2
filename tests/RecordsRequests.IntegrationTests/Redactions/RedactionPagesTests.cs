using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Redactions;

/// <summary>The officer's redaction pages over HTTP: upload, detect, decide, add, counsel, release, requester link.</summary>
[Collection(Lanes.CasePages)]
public sealed partial class RedactionPagesTests(TestDatabase database) : IAsyncLifetime
{
    private const string IncidentNote = """
        Incident note, Westfield Middle School

        On March 3 Maya Okafor (Student ID: 4410023) was sent to the office after a discipline incident.
        Her father, Chidi Okafor, called from 413-555-0142.
        The assistant principal met with the family the same afternoon.
        """;

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task OfficerPages_UploadDetectDecideAddCounselRelease_RequesterGetsOnlyRedactedProducedFiles()
    {
        var tracking = await CreateRequestAsync();
        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        var records = $"/requests/{tracking}/records";
        Assert.Contains($"href=\"{records}\"", await officer.GetStringAsync($"/requests/{tracking}"), StringComparison.Ordinal);

        var uploaded = await UploadAsync(officer, records, "okafor-incident.txt", Encoding.UTF8.GetBytes(IncidentNote));
        Assert.Contains("Uploaded okafor-incident.txt; its pages are being prepared.", uploaded, StringComparison.Ordinal);
        var recordId = await Query(db => db.Set<Record>().Where(r => r.Request.TrackingNumber == tracking).Select(r => r.Id).SingleAsync());
        await RecordPagesWait.UntilReadyAsync(_app.Services, recordId);

        var detected = await Body(await WebSession.PostFormAsync(officer, $"{records}?handler=Detect", []));
        Assert.Matches("Detection found [1-9][0-9]* new suggestion", detected);
        var suggestions = await Query(db => db.Set<Redaction>().Where(r => r.RecordId == recordId).ToListAsync());
        Assert.Contains(suggestions, s => s.Text == "413-555-0142");
        Assert.Contains(suggestions, s => s.Text == "4410023");

        var page = $"{records}/{recordId}";
        var review = await officer.GetStringAsync(page);
        var words = Words(review);
        Assert.Contains(">Maya</span>", review, StringComparison.Ordinal);
        Assert.Contains($"src=\"/requests/{tracking}/records/{recordId}/pages/1\"", review, StringComparison.Ordinal);
        Assert.Contains("src=\"/js/page-viewer.js", review, StringComparison.Ordinal);
        // Suggested boxes are drawn on the page, dashed (class "suggested"), labelled with their exemption.
        Assert.Equal(suggestions.Sum(s => s.Boxes.Count), BoxClass().Matches(review).Count(m => m.Groups[1].Value.StartsWith("suggested", StringComparison.Ordinal)));
        Assert.True(await Query(db => db.Set<AuditEvent>().AnyAsync(a => a.Action == "Record.ViewedUnredacted" && a.EntityId == recordId.ToString())));

        var phone = suggestions.Single(s => s.Text == "413-555-0142");
        var accepted = await Body(await WebSession.PostFormAsync(officer, $"{page}?handler=Decide", new() { ["accept"] = phone.Id.ToString() }));
        Assert.Contains("Accepted.", accepted, StringComparison.Ordinal);
        var bulk = await Body(await WebSession.PostFormAsync(officer, $"{page}?handler=Decide", new() { ["decision"] = "accept-all" }));
        Assert.Contains($"Accepted {suggestions.Count - 1} redaction(s).", bulk, StringComparison.Ordinal);

        // By the offsets of the selected words, as page-viewer.js fills them from the words' data attributes, and by
        // exact text, as a browser without script does.
        var maya = Enumerable.Range(0, words.Count - 1).First(i => words[i].Text == "Maya" && words[i + 1].Text == "Okafor");
        var byOffsets = await Body(await WebSession.PostFormAsync(officer, $"{page}?handler=Add", new()
        {
            ["Add.Start"] = words[maya].Start.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Add.End"] = words[maya + 1].End.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Add.Category"] = nameof(RedactionCategory.StudentName),
            ["Add.ExemptionCode"] = ExemptionCatalog.Ferpa,
            ["Add.Note"] = "student's name",
        }));
        Assert.Contains("Redaction added: “Maya Okafor” on page 1.", WebUtility.HtmlDecode(byOffsets), StringComparison.Ordinal);
        var byText = await Body(await WebSession.PostFormAsync(officer, $"{page}?handler=Add", new()
        {
            ["Add.Exact"] = "Chidi Okafor",
            ["Add.Category"] = nameof(RedactionCategory.GuardianName),
            ["Add.ExemptionCode"] = ExemptionCatalog.Ferpa,
        }));
        Assert.Contains("Added 1 redaction.", byText, StringComparison.Ordinal);
        // An area typed in percent of the page (the keyboard's way to draw a box): the bottom tenth of page 1.
        var area = await Body(await WebSession.PostFormAsync(officer, $"{page}?handler=AddArea", new()
        {
            ["Add.Page"] = "1", ["Add.X"] = "0", ["Add.Y"] = "90", ["Add.Width"] = "100", ["Add.Height"] = "10", ["Add.Unit"] = "Percent",
            ["Add.Category"] = nameof(RedactionCategory.Other),
            ["Add.ExemptionCode"] = ExemptionCatalog.Privacy,
        }));
        Assert.Contains("Area redacted on page 1", area, StringComparison.Ordinal);
        var drawn = await Query(db => db.Set<Redaction>().SingleAsync(r => r.RecordId == recordId && r.Kind == RedactionKind.Area));
        var sheet = await Query(db => db.Set<RecordsRequests.Features.Documents.DocumentPage>().SingleAsync(p => p.RecordId == recordId && p.Number == 1));
        Assert.Equal(sheet.Height * 0.9, drawn.Boxes.Single().Y, 3);
        Assert.Equal(sheet.Width, drawn.Boxes.Single().Width, 3);
        var solid = await officer.GetStringAsync(page);
        Assert.DoesNotContain(BoxClass().Matches(solid), m => m.Groups[1].Value.StartsWith("suggested", StringComparison.Ordinal));
        Assert.Contains(BoxClass().Matches(solid), m => m.Groups[1].Value.StartsWith("accepted area", StringComparison.Ordinal));

        Assert.Contains("Sent to counsel.", await Body(await WebSession.PostFormAsync(officer, $"{records}?handler=Send", [])), StringComparison.Ordinal);
        Assert.Contains("Counsel have not approved", await Body(await WebSession.PostFormAsync(officer, $"/requests/{tracking}/release", [])), StringComparison.Ordinal);

        using var counsel = await SignedInAsync(Roles.Counsel);
        Assert.Contains("Approved.", await Body(await WebSession.PostFormAsync(counsel, $"/counsel/{tracking}?handler=Approve", new() { ["Comment"] = "Fine." })),
            StringComparison.Ordinal);

        var released = await Body(await WebSession.PostFormAsync(officer, $"/requests/{tracking}/release", []));
        var token = ReleaseToken().Match(released);
        Assert.True(token.Success, released);

        var withheld = await Query(db => db.Set<Redaction>().Where(r => r.RecordId == recordId && r.Status == RedactionStatus.Approved).Select(r => r.Text).ToListAsync());
        Assert.Superset(new HashSet<string>(["Maya Okafor", "Chidi Okafor", "413-555-0142", "4410023"]), withheld.ToHashSet());
        using var requester = _app.CreateClient();
        var listing = await requester.GetStringAsync($"/release/{token.Groups[1].Value}");
        var files = Regex.Matches(listing, "href=\"(/release/[^\"]+/files/[^\"]+)\">([^<]+)<").Select(m => (Link: m.Groups[1].Value, Name: m.Groups[2].Value)).ToList();
        // Only produced files: the redacted record (named by Bates number, not its original name), the log and the letter.
        Assert.Equal(new[] { $"{tracking}-000001.pdf", $"{tracking}-exemption-log.csv", $"{tracking}-exemption-log.pdf", $"{tracking}-response-letter.pdf" },
            files.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var (link, _) in files)
        {
            var bytes = await requester.GetByteArrayAsync(link);
            var text = bytes.AsSpan().StartsWith("%PDF-"u8) ? PdfText(bytes) : Encoding.UTF8.GetString(bytes);
            // The drawn area over the blank foot of the page withholds no words.
            foreach (var secret in withheld.Where(w => w.Length > 0))
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }
        Assert.Contains("discipline incident", Regex.Replace(PdfText(await requester.GetByteArrayAsync(files.Single(f => f.Name.EndsWith("-000001.pdf", StringComparison.Ordinal)).Link)), @"\s+", " "),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseButton_WithAPlantedLeakInAnUploadedPdf_ShowsWhereAndReleasesNothing()
    {
        var tracking = await CreateRequestAsync();
        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        var records = $"/requests/{tracking}/records";
        // A PDF upload whose name occurs twice; the officer redacts only the first occurrence.
        var pdf = ReleasePdfWriter.Write("Maya Okafor was absent. Later that day MAYA OKAFOR returned.", "SCAN", 1).Content;
        await UploadAsync(officer, records, "attendance.pdf", pdf);
        var recordId = await Query(db => db.Set<Record>().Where(r => r.Request.TrackingNumber == tracking).Select(r => r.Id).SingleAsync());
        await RecordPagesWait.UntilReadyAsync(_app.Services, recordId);
        var text = PagedText.Build(await Query(db => db.Set<DocumentPage>().Where(p => p.RecordId == recordId).ToListAsync())).Text;
        var start = text.IndexOf("Maya Okafor", StringComparison.Ordinal);
        var added = await Body(await WebSession.PostFormAsync(officer, $"{records}/{recordId}?handler=Add", new()
        {
            ["Add.Start"] = start.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Add.End"] = (start + 11).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Add.Category"] = nameof(RedactionCategory.StudentName),
            ["Add.ExemptionCode"] = ExemptionCatalog.Ferpa,
        }));
        Assert.Contains("Redaction added", added, StringComparison.Ordinal);
        Assert.Contains("Sent to counsel.", await Body(await WebSession.PostFormAsync(officer, $"{records}?handler=Send", [])), StringComparison.Ordinal);
        using var counsel = await SignedInAsync(Roles.Counsel);
        var approved = await Body(await WebSession.PostFormAsync(counsel, $"/counsel/{tracking}?handler=Approve", new() { ["Comment"] = "" }));
        Assert.True(approved.Contains("Approved.", StringComparison.Ordinal), Regex.Match(approved, "id=\"counsel-message\"[^<]*").Value);

        var blocked = await Body(await WebSession.PostFormAsync(officer, $"/requests/{tracking}/release", []));

        Assert.True(blocked.Contains("Release blocked", StringComparison.Ordinal), Regex.Match(blocked, "id=\"release-message\"[^<]*").Value);
        Assert.Contains("id=\"leak-hits\"", blocked, StringComparison.Ordinal);
        Assert.Contains("page 1 text", blocked, StringComparison.Ordinal);
        Assert.DoesNotMatch(ReleaseToken(), blocked);
        Assert.Equal(0, await Query(db => db.Set<Release>().CountAsync(r => db.Set<Request>().Any(q => q.Id == r.RequestId && q.TrackingNumber == tracking))));
    }

    [Fact]
    public async Task RedactionThatCouldNotBePlaced_IsShownAsNeedingReviewAgain_WithHowToFixIt()
    {
        var tracking = await CreateRequestAsync();
        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        var records = $"/requests/{tracking}/records";
        await UploadAsync(officer, records, "note.txt", Encoding.UTF8.GetBytes(IncidentNote));
        var recordId = await Query(db => db.Set<Record>().Where(r => r.Request.TrackingNumber == tracking).Select(r => r.Id).SingleAsync());
        await RecordPagesWait.UntilReadyAsync(_app.Services, recordId);
        await WebSession.PostFormAsync(officer, $"{records}/{recordId}?handler=Add", new()
        {
            ["Add.Exact"] = "Chidi Okafor", ["Add.Category"] = nameof(RedactionCategory.GuardianName), ["Add.ExemptionCode"] = ExemptionCatalog.Ferpa,
        });
        // As LegacyRedactions leaves a redaction made on the old extracted text whose words it could not find exactly.
        const string Problem = "Its words were not found on the record's pages: check the page and redraw it, then reject this one.";
        await Query(async db =>
        {
            (await db.Set<Redaction>().SingleAsync(r => r.RecordId == recordId)).FlagPlacement(Problem);
            return await db.SaveChangesAsync();
        });

        var page = WebUtility.HtmlDecode(await officer.GetStringAsync($"{records}/{recordId}"));
        Assert.Contains("1 redaction needs review again", page, StringComparison.Ordinal);
        Assert.Contains("Nothing is released until each is resolved", page, StringComparison.Ordinal);
        Assert.Contains($"“Chidi Okafor”</a> (Parent's or guardian's name, {ExemptionCatalog.Ferpa}): {Problem}", page, StringComparison.Ordinal);
        Assert.Contains("class=\"accepted needs-review\"", page, StringComparison.Ordinal);
        Assert.Contains("1 to review again", await officer.GetStringAsync(records), StringComparison.Ordinal);

        // Rejecting it (after redrawing) resolves it: the notice goes.
        var id = await Query(db => db.Set<Redaction>().Where(r => r.RecordId == recordId).Select(r => r.Id).SingleAsync());
        var rejected = WebUtility.HtmlDecode(await Body(await WebSession.PostFormAsync(officer, $"{records}/{recordId}?handler=Decide", new() { ["reject"] = id.ToString() })));
        Assert.DoesNotContain("needs review again", rejected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CounselPage_CounselAddRemoveAndPutBackRedactions_RecordedAsTheirs()
    {
        var tracking = await CreateRequestAsync();
        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        var records = $"/requests/{tracking}/records";
        await UploadAsync(officer, records, "note.txt", Encoding.UTF8.GetBytes(IncidentNote));
        var recordId = await Query(db => db.Set<Record>().Where(r => r.Request.TrackingNumber == tracking).Select(r => r.Id).SingleAsync());
        await RecordPagesWait.UntilReadyAsync(_app.Services, recordId);
        var counselEmail = await WebSession.CreateStaffAsync(_app, Roles.Counsel);
        using var counsel = _app.CreateClient();
        await WebSession.SignInAsync(counsel, counselEmail);
        var review = $"/counsel/{tracking}";

        var page = await counsel.GetStringAsync(review);
        Assert.Contains(">Okafor</span>", page, StringComparison.Ordinal);
        Assert.Contains($"src=\"/requests/{tracking}/records/{recordId}/pages/1\"", page, StringComparison.Ordinal);

        var words = WebUtility.HtmlDecode(await Body(await WebSession.PostFormAsync(counsel, $"{review}?handler=AddWords", new()
        {
            ["recordId"] = recordId.ToString(), ["Add.Exact"] = "Chidi Okafor",
            ["Add.Category"] = nameof(RedactionCategory.GuardianName), ["Add.ExemptionCode"] = ExemptionCatalog.Ferpa,
        })));
        Assert.Contains("Added 1 redaction.", words, StringComparison.Ordinal);
        var area = WebUtility.HtmlDecode(await Body(await WebSession.PostFormAsync(counsel, $"{review}?handler=AddArea", new()
        {
            ["recordId"] = recordId.ToString(), ["Add.Page"] = "1", ["Add.X"] = "10", ["Add.Y"] = "10", ["Add.Width"] = "30", ["Add.Height"] = "5", ["Add.Unit"] = "Percent",
            ["Add.Category"] = nameof(RedactionCategory.Other), ["Add.ExemptionCode"] = ExemptionCatalog.AttorneyClient,
        })));
        Assert.Contains("Area redacted on page 1", area, StringComparison.Ordinal);
        var added = await Query(db => db.Set<Redaction>().Where(r => r.RecordId == recordId).ToListAsync());
        Assert.Equal(2, added.Count);
        Assert.All(added, r => Assert.Equal(counselEmail, r.ProposedBy));

        var guardian = added.Single(r => r.Kind == RedactionKind.Text);
        var removed = WebUtility.HtmlDecode(await Body(await WebSession.PostFormAsync(counsel, $"{review}?handler=Remove", new() { ["redactionId"] = guardian.Id.ToString() })));
        Assert.Contains("Redaction removed", removed, StringComparison.Ordinal);
        Assert.Contains("Put back", removed, StringComparison.Ordinal);
        Assert.Equal(RedactionStatus.Rejected, await Query(db => db.Set<Redaction>().Where(r => r.Id == guardian.Id).Select(r => r.Status).SingleAsync()));
        Assert.Contains("Redaction put back.", await Body(await WebSession.PostFormAsync(counsel, $"{review}?handler=Restore", new() { ["redactionId"] = guardian.Id.ToString() })),
            StringComparison.Ordinal);
        Assert.Equal(RedactionStatus.Accepted, await Query(db => db.Set<Redaction>().Where(r => r.Id == guardian.Id).Select(r => r.Status).SingleAsync()));

        // Another request's redaction cannot be removed from this page; and counsel do not approve what they proposed.
        var elsewhere = WebUtility.HtmlDecode(await Body(await WebSession.PostFormAsync(counsel, $"{review}?handler=Remove", new() { ["redactionId"] = Guid.NewGuid().ToString() })));
        Assert.Contains("That redaction is not part of this request.", elsewhere, StringComparison.Ordinal);
        var requestId = await Query(db => db.Set<Request>().Where(r => r.TrackingNumber == tracking).Select(r => r.Id).SingleAsync());
        await Lifecycles.DriveToAsync(_app.Services, requestId, "counsel");
        var approve = WebUtility.HtmlDecode(await Body(await WebSession.PostFormAsync(counsel, $"{review}?handler=Approve", new() { ["Comment"] = "" })));
        Assert.Contains("another member of counsel must approve them", approve, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfficerPages_CounselAndAnonymous_AreRefused()
    {
        var tracking = await CreateRequestAsync();
        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        await UploadAsync(officer, $"/requests/{tracking}/records", "note.txt", Encoding.UTF8.GetBytes(IncidentNote));
        var recordId = await Query(db => db.Set<Record>().Where(r => r.Request.TrackingNumber == tracking).Select(r => r.Id).SingleAsync());
        using var counsel = await SignedInAsync(Roles.Counsel);
        using var anonymous = _app.CreateClient();

        foreach (var path in new[] { $"/requests/{tracking}/records", $"/requests/{tracking}/records/{recordId}" })
        {
            var asCounsel = await counsel.GetAsync(path);
            Assert.NotEqual(HttpStatusCode.OK, asCounsel.StatusCode);
            Assert.DoesNotContain("Maya Okafor", await asCounsel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var asAnonymous = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, asAnonymous.StatusCode);
            Assert.Contains("/account/sign-in", asAnonymous.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.False(await Query(db => db.Set<AuditEvent>().AnyAsync(a => a.Action == "Record.ViewedUnredacted" && a.EntityId == recordId.ToString())));
    }

    private async Task<string> UploadAsync(HttpClient client, string path, string fileName, byte[] content)
    {
        var form = await client.GetStringAsync(path);
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        Assert.True(token.Success, $"{path} has no anti-forgery token.");
        using var multipart = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new(fileName.EndsWith(".pdf", StringComparison.Ordinal) ? "application/pdf" : "text/plain");
        multipart.Add(file, "Document", fileName);
        var response = await client.PostAsync($"{path}?handler=Upload", multipart);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var client = _app.CreateClient();
        await WebSession.SignInAsync(client, await WebSession.CreateStaffAsync(_app, role));
        return client;
    }

    private async Task<string> CreateRequestAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "requester@example.org", Description = "Incident reports from March" }, RequestChannel.WebForm, CitedLaw.None, default);
        // Triaged, records being collected: where an officer uploads, redacts and sends the set to counsel.
        await Lifecycles.DriveToAsync(_app.Services, request.Id, "collect");
        return request.TrackingNumber;
    }

    private async Task<T> Query<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static async Task<string> Body(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join('\n', document.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)));
    }

    [GeneratedRegex("/release/([A-Za-z0-9_-]{20,})\"")]
    private static partial Regex ReleaseToken();

    private sealed record PageWordSpan(string Text, int Start, int End);

    /// <summary>The words the review page lays over its pictures, with the offsets page-viewer.js puts in the form.</summary>
    private static List<PageWordSpan> Words(string html) => WordSpan().Matches(html)
        .Select(m => new PageWordSpan(WebUtility.HtmlDecode(m.Groups[3].Value), int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

    [GeneratedRegex("<span class=\"word\"[^>]*data-start=\"(\\d+)\" data-end=\"(\\d+)\"[^>]*>([^<]*)</span>")]
    private static partial Regex WordSpan();

    [GeneratedRegex("<div class=\"box ([^\"]*)\"")]
    private static partial Regex BoxClass();
}
