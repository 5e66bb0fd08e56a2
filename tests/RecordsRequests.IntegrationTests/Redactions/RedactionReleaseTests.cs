using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Redactions;

[Collection(Lanes.CasePages)]
public sealed class RedactionReleaseTests(TestDatabase database) : IAsyncLifetime
{
    private const string Officer = "officer@district.example";
    private const string Counsel = "counsel@district.example";

    private const string IncidentNote = """
        Incident note, Westfield Middle School

        On March 3 Maya Okafor (Student ID: 4410023) was sent to the office after a discipline incident.
        Her father, Chidi Okafor, called from 413-555-0142. The bus now stops at 17 Linden Street.
        The assistant principal met with the family the same afternoon.
        """;

    private static readonly Roster Roster = new([
        new RosterStudent("4410023", "Maya", "Rose", "Okafor", "2012-03-14", ["Chidi Okafor"], "17 Linden Street, Westfield MA 01085"),
        new RosterStudent("4410057", "Jose", "", "Hernandez", "2011-11-02", ["Lucia Hernandez"], "220 Maple Avenue, Westfield MA 01085"),
    ]);

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Release_WithoutCounselApproval_IsRefused_AndWithIt_ProducesFilesFreeOfRedactedText()
    {
        var (requestId, _, _) = await CreateRequestAsync(IncidentNote);
        await WithScope(s => s.GetRequiredService<RedactionReview>().SuggestAsync(requestId, Roster, default));
        var suggested = await Query(db => db.Set<Redaction>().Where(r => r.RequestId == requestId).ToListAsync());
        // The record's text wraps as its page does: a suggestion may cross a line.
        Assert.Equal(["17 Linden Street", "413-555-0142", "4410023", "Chidi Okafor", "Maya Okafor"],
            suggested.Select(r => Regex.Replace(r.Text, @"\s+", " ")).Order(StringComparer.Ordinal));

        await WithScope(s => s.GetRequiredService<RedactionReview>().DecideAsync(requestId, suggested.Select(r => r.Id).ToList(), accept: true, Officer, default));
        var refused = await Assert.ThrowsAsync<DomainException>(() => WithScope(s => s.GetRequiredService<ReleaseProducer>().ReleaseAsync(requestId, Officer, default)));
        Assert.Contains("Counsel have not approved", refused.Message, StringComparison.Ordinal);

        await WithScope(s => s.GetRequiredService<RedactionReview>().ApproveAsync(requestId, Counsel, "Approved as proposed.", default));
        var release = await WithScope(s => s.GetRequiredService<ReleaseProducer>().ReleaseAsync(requestId, Officer, default));

        using var requester = _app.CreateClient();
        var listing = await requester.GetStringAsync($"/release/{release.Token}");
        var links = Regex.Matches(listing, "href=\"(/release/[^\"]+/files/[^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(4, links.Count); // the record, the exemption log as PDF and CSV, the response letter
        foreach (var link in links)
        {
            var bytes = await requester.GetByteArrayAsync(link);
            var text = bytes.AsSpan().StartsWith("%PDF-"u8) ? PdfText(bytes) : Encoding.UTF8.GetString(bytes);
            foreach (var redaction in suggested)
            {
                Assert.DoesNotContain(redaction.Text, text, StringComparison.OrdinalIgnoreCase);
            }
        }
        var recordLink = Regex.Match(listing, "href=\"(/release/[^\"]+/files/[^\"]+)\">[^<]+-000001\\.pdf<").Groups[1].Value;
        var recordText = Regex.Replace(PdfText(await requester.GetByteArrayAsync(recordLink)), @"\s+", " ");
        Assert.Contains("[26(a) FERPA]", recordText, StringComparison.Ordinal);
        Assert.Contains("discipline incident", recordText, StringComparison.Ordinal);
        Assert.Contains("-000001", recordText, StringComparison.Ordinal);

        var email = await SentMail.TextAsync(_app.Services, e => e.RequestId == requestId && e.Kind == MailKind.Release);
        Assert.Contains($"/release/{release.Token}", email, StringComparison.Ordinal);
        // Delivered, the district's copies keep no working link.
        Assert.False(await Query(db => db.Set<OutboundEmail>().AnyAsync(e => e.RequestId == requestId && e.BodyText.Contains(release.Token))));
        Assert.False(await Query(db => db.Messages.AnyAsync(m => m.RequestId == requestId && m.BodyText.Contains(release.Token))));
        var stored = await Query(db => db.Set<Release>().SingleAsync(r => r.Id == release.ReleaseId));
        Assert.NotEqual(release.Token, stored.TokenHash);
        Assert.DoesNotContain(release.Token, stored.TokenHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approval_ByTheCounselWhoProposedARedaction_IsRefused()
    {
        var (requestId, recordId, text) = await CreateRequestAsync(IncidentNote);
        var start = text.IndexOf("Maya Okafor", StringComparison.Ordinal);
        await WithScope(s => s.GetRequiredService<RedactionReview>().AddAsync(recordId, start, start + 11, RedactionCategory.StudentName,
            ExemptionCatalog.Ferpa, "student", Counsel, default));

        var error = await Assert.ThrowsAsync<DomainException>(() => WithScope(s => s.GetRequiredService<RedactionReview>().ApproveAsync(requestId, Counsel, "", default)));

        Assert.Contains("another member of counsel", error.Message, StringComparison.Ordinal);
        await WithScope(s => s.GetRequiredService<RedactionReview>().ApproveAsync(requestId, "second.counsel@district.example", "", default));
    }

    [Fact]
    public async Task Release_AfterTheSetChangedSinceApproval_IsRefused()
    {
        var (requestId, recordId, text) = await CreateRequestAsync(IncidentNote);
        var start = text.IndexOf("Maya Okafor", StringComparison.Ordinal);
        var redaction = await WithScope(s => s.GetRequiredService<RedactionReview>().AddAsync(recordId, start, start + 11, RedactionCategory.StudentName,
            ExemptionCatalog.Ferpa, "", Officer, default));
        await WithScope(s => s.GetRequiredService<RedactionReview>().ApproveAsync(requestId, Counsel, "", default));
        var phone = text.IndexOf("413-555-0142", StringComparison.Ordinal);
        await WithScope(s => s.GetRequiredService<RedactionReview>().AddAsync(recordId, phone, phone + 12, RedactionCategory.PhoneNumber,
            ExemptionCatalog.Ferpa, "", Officer, default));

        var error = await Assert.ThrowsAsync<DomainException>(() => WithScope(s => s.GetRequiredService<ReleaseProducer>().ReleaseAsync(requestId, Officer, default)));

        Assert.Contains("counsel must approve the final set", error.Message, StringComparison.Ordinal);
        Assert.NotNull(redaction);
    }

    [Fact]
    public async Task Release_WithAPlantedLeak_IsBlocked_SaysWhere_AndStoresNothing()
    {
        // The name appears twice; only the first occurrence is redacted, so the second would leak.
        const string note = "Maya Okafor was absent. Later that day MAYA OKAFOR returned.";
        var (requestId, recordId, text) = await CreateRequestAsync(note);
        Assert.StartsWith("Maya Okafor", text, StringComparison.Ordinal);
        await WithScope(s => s.GetRequiredService<RedactionReview>().AddAsync(recordId, 0, 11, RedactionCategory.StudentName, ExemptionCatalog.Ferpa, "", Officer, default));
        await WithScope(s => s.GetRequiredService<RedactionReview>().ApproveAsync(requestId, Counsel, "", default));

        var error = await Assert.ThrowsAsync<LeakDetectedException>(() => WithScope(s => s.GetRequiredService<ReleaseProducer>().ReleaseAsync(requestId, Officer, default)));

        Assert.Contains(error.Hits, h => h.Where == "page 1 text" && h.File.EndsWith("-000001.pdf", StringComparison.Ordinal));
        Assert.Equal(0, await Query(db => db.Set<Release>().CountAsync(r => r.RequestId == requestId)));
        Assert.Equal(0, await Query(db => db.Set<OutboundEmail>().CountAsync(e => e.RequestId == requestId && e.Kind == MailKind.Release)));
    }

    [Fact]
    public async Task Release_OfAnUnredactedSpreadsheet_AlsoHoldsTheWorkbookInItsOwnFormat_AndAScannedPageBurnedIn()
    {
        var (requestId, _, _) = await CreateRequestAsync("Budget transmittal: nothing personal here.");
        var letterhead = RecordsRequests.IntegrationTests.Documents.TestDocuments.LetterheadPdf();
        await WithScope(s => RecordPagesFixture.AttachAsync(s, requestId, "budget.xlsx", RecordsRequests.IntegrationTests.Documents.TestDocuments.Xlsx(withRiders: false), Officer));
        await WithScope(s => RecordPagesFixture.AttachAsync(s, requestId, "riders.xlsx", RecordsRequests.IntegrationTests.Documents.TestDocuments.Xlsx(), Officer));
        await WithScope(s => RecordPagesFixture.AttachAsync(s, requestId, "scan.pdf", RecordsRequests.IntegrationTests.Documents.TestDocuments.ScannedPdf(letterhead), Officer));

        var release = await ApproveAndReleaseAsync(requestId);

        var files = await Query(db => db.Set<Release>().Where(r => r.Id == release.ReleaseId).SelectMany(r => r.Files).ToListAsync());
        // The budget and the note had nothing to redact: each also goes out in its own format. The riders' workbook and the
        // scan had redactions, so they go out as burned-in pages only.
        var workbook = Assert.Single(files, f => f.Kind == ReleaseFileKind.NativeCopy && f.FileName.EndsWith(".xlsx", StringComparison.Ordinal));
        Assert.Single(files, f => f.Kind == ReleaseFileKind.NativeCopy && f.FileName.EndsWith(".txt", StringComparison.Ordinal));
        Assert.Equal(2, files.Count(f => f.Kind == ReleaseFileKind.NativeCopy));
        Assert.Equal(4, files.Count(f => f.Kind == ReleaseFileKind.Record));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook.ContentType);
        var scanned = files.Where(f => f.Kind == ReleaseFileKind.Record).OrderBy(f => f.FileName, StringComparer.Ordinal).Last();
        var scannedText = PdfText(await _app.Services.GetRequiredService<ContentStore>().ReadAllBytesAsync(scanned.Sha256, default));
        Assert.DoesNotContain(RecordsRequests.IntegrationTests.Documents.TestDocuments.StudentId, scannedText, StringComparison.Ordinal);
        Assert.Contains("Athletics", scannedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmationPage_NumbersThePagesTheReleaseBurns_NotAPageCountKeptBesideThem()
    {
        var (requestId, _, _) = await CreateRequestAsync(IncidentNote);
        var letterhead = RecordsRequests.IntegrationTests.Documents.TestDocuments.LetterheadPdf();
        await WithScope(s => RecordPagesFixture.AttachAsync(s, requestId, "scan.pdf", RecordsRequests.IntegrationTests.Documents.TestDocuments.ScannedPdf(letterhead), Officer));
        // A count kept on the record that disagrees with its stored pages (say, from a conversion that was redone).
        await database.ScalarAsync($"UPDATE records SET page_count = page_count + 3 WHERE request_id = '{requestId}'; SELECT 0");
        await WithScope(s => s.GetRequiredService<RedactionReview>().SuggestAsync(requestId, Roster, default));
        var ids = await Query(db => db.Set<Redaction>().Where(r => r.RequestId == requestId).Select(r => r.Id).ToListAsync());
        await WithScope(s => s.GetRequiredService<RedactionReview>().DecideAsync(requestId, ids, accept: true, Officer, default));
        await WithScope(s => s.GetRequiredService<RedactionReview>().ApproveAsync(requestId, Counsel, "", default));

        var plan = await WithScope(s => s.GetRequiredService<ReleaseProducer>().PlanAsync(requestId, Officer, default));
        Assert.Null(plan.Refusal);
        var release = await WithScope(s => s.GetRequiredService<ReleaseProducer>().ReleaseAsync(requestId, Officer, default));

        var tracking = await Query(db => db.Set<Request>().Where(r => r.Id == requestId).Select(r => r.TrackingNumber).SingleAsync());
        var records = await Query(db => db.Set<Release>().Where(r => r.Id == release.ReleaseId).SelectMany(r => r.Files)
            .Where(f => f.Kind == ReleaseFileKind.Record).ToListAsync());
        var burned = new List<(string First, string Last)>();
        foreach (var file in records.OrderBy(f => f.FileName, StringComparer.Ordinal))
        {
            using var pdf = PdfDocument.Open(await _app.Services.GetRequiredService<ContentStore>().ReadAllBytesAsync(file.Sha256, default));
            var numbers = pdf.GetPages().Select(p => Regex.Matches(p.Text, Regex.Escape(tracking) + @"-\d{6}").Last().Value).ToList();
            burned.Add((numbers[0], numbers[^1]));
        }
        Assert.Equal(2, burned.Count);
        Assert.Equal(burned, plan.Documents.Select(d => (d.FirstBates, d.LastBates)).ToList());
    }

    [Fact]
    public async Task RequesterLink_NeverServesAnOriginal_NorAnotherRequestsFiles()
    {
        var (firstId, firstRecord, _) = await CreateRequestAsync(IncidentNote);
        var (secondId, _, _) = await CreateRequestAsync("Second request: Jose Hernandez's schedule.");
        var first = await ApproveAndReleaseAsync(firstId);
        var second = await ApproveAndReleaseAsync(secondId);
        var original = await Query(db => db.Set<Record>().SingleAsync(r => r.Id == firstRecord));
        var secondFiles = await Query(db => db.Set<ReleaseFile>().Where(f => f.ReleaseId == second.ReleaseId).Select(f => f.Id).ToListAsync());

        using var requester = _app.CreateClient();
        foreach (var fileId in secondFiles)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/release/{first.Token}/files/{fileId}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/release/{first.Token}x/files/{secondFiles[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/release/{Guid.NewGuid():N}{Guid.NewGuid():N}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/release/{first.Token}/files/{original.Id}")).StatusCode);

        var listing = await requester.GetStringAsync($"/release/{first.Token}");
        foreach (Match link in Regex.Matches(listing, "href=\"(/release/[^\"]+/files/[^\"]+)\""))
        {
            var bytes = await requester.GetByteArrayAsync(link.Groups[1].Value);
            Assert.NotEqual(original.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            Assert.DoesNotContain("Maya Okafor", bytes.AsSpan().StartsWith("%PDF-"u8) ? PdfText(bytes) : Encoding.UTF8.GetString(bytes), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ViewingUnredactedText_IsAudited()
    {
        var (requestId, recordId, _) = await CreateRequestAsync(IncidentNote);

        var pages = await WithScope(async s => await s.GetRequiredService<RedactionReview>().ViewUnredactedAsync(
            await s.GetRequiredService<AppDbContext>().Set<Record>().SingleAsync(r => r.Id == recordId), Counsel, default));

        Assert.Contains("Maya Okafor", RecordsRequests.Features.Documents.PagedText.Build(pages).Text, StringComparison.Ordinal);
        Assert.Equal(1, await Query(db => db.Set<AuditEvent>().CountAsync(a => a.RequestId == requestId && a.Action == "Record.ViewedUnredacted" && a.Actor == Counsel)));
    }

    [Fact]
    public async Task CounselPages_ShowTheQueueAndApproveTheSet_OfficersAreTurnedAway()
    {
        var (requestId, _, _) = await CreateRequestAsync(IncidentNote);
        await WithScope(s => s.GetRequiredService<RedactionReview>().SuggestAsync(requestId, Roster, default));
        var ids = await Query(db => db.Set<Redaction>().Where(r => r.RequestId == requestId).Select(r => r.Id).ToListAsync());
        await WithScope(s => s.GetRequiredService<RedactionReview>().DecideAsync(requestId, ids, accept: true, Officer, default));
        var tracking = await Query(db => db.Set<Request>().Where(r => r.Id == requestId).Select(r => r.TrackingNumber).SingleAsync());

        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Features.Accounts.Roles.RecordsOfficer));
        Assert.NotEqual(HttpStatusCode.OK, (await officer.GetAsync("/counsel")).StatusCode);

        using var counsel = _app.CreateClient();
        var counselEmail = await WebSession.CreateStaffAsync(_app, Features.Accounts.Roles.Counsel);
        await WebSession.SignInAsync(counsel, counselEmail);
        Assert.Contains($"/counsel/{tracking}", await counsel.GetStringAsync("/counsel"), StringComparison.Ordinal);
        var review = await counsel.GetStringAsync($"/counsel/{tracking}");
        Assert.Contains("Maya Okafor", review, StringComparison.Ordinal);

        var approved = await WebSession.PostFormAsync(counsel, $"/counsel/{tracking}?handler=Approve", new() { ["Comment"] = "Fine." });

        Assert.Contains("Approved.", await approved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(CounselDecision.Approved, await Query(db => db.Set<CounselReview>().Where(r => r.RequestId == requestId).Select(r => r.Decision).SingleAsync()));
        Assert.True(await Query(db => db.Set<AuditEvent>().AnyAsync(a => a.RequestId == requestId && a.Action == "Record.ViewedUnredacted" && a.Actor == counselEmail)));
    }

    private async Task<ReleaseResult> ApproveAndReleaseAsync(Guid requestId)
    {
        await WithScope(s => s.GetRequiredService<RedactionReview>().SuggestAsync(requestId, Roster, default));
        var ids = await Query(db => db.Set<Redaction>().Where(r => r.RequestId == requestId).Select(r => r.Id).ToListAsync());
        await WithScope(s => s.GetRequiredService<RedactionReview>().DecideAsync(requestId, ids, accept: true, Officer, default));
        await WithScope(s => s.GetRequiredService<RedactionReview>().ApproveAsync(requestId, Counsel, "", default));
        return await WithScope(s => s.GetRequiredService<ReleaseProducer>().ReleaseAsync(requestId, Officer, default));
    }

    /// <summary>
    /// A request with one responsive text record, made into pages (the text is the record's as detection reads it), its
    /// workflow waiting for counsel (where approval and release are reachable).
    /// </summary>
    private async Task<(Guid RequestId, Guid RecordId, string Text)> CreateRequestAsync(string content)
    {
        var created = await WithScope(async services =>
        {
            var request = await services.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = "requester@example.org", Description = "Incident reports from March" }, RequestChannel.WebForm, CitedLaw.None, default);
            var record = await RecordPagesFixture.AttachAsync(services, request.Id, "okafor-incident.txt", Encoding.UTF8.GetBytes(content), Officer);
            return (request.Id, record.RecordId, record.Text);
        });
        await Lifecycles.DriveToAsync(_app.Services, created.Item1, "counsel");
        return created;
    }

    private async Task<T> WithScope<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private async Task WithScope(Func<IServiceProvider, Task> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    private Task<T> Query<T>(Func<AppDbContext, Task<T>> query) => WithScope(s => query(s.GetRequiredService<AppDbContext>()));

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join('\n', document.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)));
    }
}
