using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace RecordsRequests.IntegrationTests.Archive;

[Collection(Lanes.Archive)]
public sealed class ArchiveDocumentTests(TestDatabase database) : IDisposable, IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private readonly string _folder = Directory.CreateTempSubdirectory("archive-documents-").FullName;
    private readonly string _token = $"d{Guid.NewGuid():N}"[..13];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task PdfDocxTextAndHtmlFiles_AreImportedAsDocuments_AndFoundByTheirWords()
    {
        WritePdf(Path.Combine(_folder, "transport-report.pdf"), $"Annual ridership of the periwinkle route {_token}");
        WriteDocx(Path.Combine(_folder, "committee-minutes.docx"), $"The committee approved the hollyhock stipend {_token}");
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), $"Call the vendor about the foxglove invoice {_token}");
        await File.WriteAllTextAsync(Path.Combine(_folder, "notice.html"),
            $"<html><head><style>.x {{ color: red }}</style></head><body><h1>Closure</h1><p>The snapdragon wing is closed &amp; locked {_token}</p></body></html>");

        await using var services = database.BuildServices();
        ImportReport report;
        await using (var scope = services.CreateAsyncScope())
        {
            report = await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(_folder, $"facilities-{_token}", null, CancellationToken.None);
        }
        Assert.Equal(4, report.NewItems);
        Assert.Empty(report.Failures);

        var search = services.GetRequiredService<ArchiveSearch>();
        Assert.Equal("transport-report.pdf", Assert.Single(search.Search(new ArchiveQuery($"periwinkle AND {_token}")).Hits).Subject);
        Assert.Equal("committee-minutes.docx", Assert.Single(search.Search(new ArchiveQuery($"hollyhock AND {_token}")).Hits).Subject);
        Assert.Equal("notes.txt", Assert.Single(search.Search(new ArchiveQuery($"foxglove AND {_token}")).Hits).Subject);
        var html = Assert.Single(search.Search(new ArchiveQuery($"\"snapdragon wing\" AND {_token}")).Hits);
        Assert.Equal("notice.html", html.Subject);
        Assert.Contains("&amp;", html.SnippetHtml, StringComparison.Ordinal);
        Assert.Equal(0, search.Search(new ArchiveQuery($"color AND {_token}")).TotalHits);
        Assert.Equal(4, search.Search(new ArchiveQuery(_token, Custodian: $"FACILITIES-{_token}")).TotalHits);
    }

    private static void WritePdf(string path, string text)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.Letter);
        page.AddText(text, 12, new UglyToad.PdfPig.Core.PdfPoint(72, 700), font);
        File.WriteAllBytes(path, builder.Build());
    }

    private static void WriteDocx(string path, string text)
    {
        using var document = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();
        main.Document = new Document(new Body(new Paragraph(new Run(new Text(text)))));
        main.Document.Save();
    }
}
