using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Documents;

namespace RecordsRequests.IntegrationTests.Documents;

/// <summary>The real converters, OCR and renderer, as the background job uses them, for tests without a database.</summary>
public static class DocumentPipeline
{
    public static readonly IOptions<DocumentOptions> Options = Microsoft.Extensions.Options.Options.Create(new DocumentOptions());
    public static readonly ExternalTools Tools = new(Options, NullLogger<ExternalTools>.Instance);
    public static readonly DocumentConverter Converter = new(Tools, Options);
    public static readonly PageReader Reader = new(Tools, Options);

    public sealed record Read(Rendition Rendition, IReadOnlyList<ReadPage> Pages, PagedText Text);

    public static async Task<Read> ReadAsync(byte[] content, string fileName)
    {
        var scratch = Directory.CreateTempSubdirectory("records-test-pages-").FullName;
        try
        {
            var rendition = await Converter.ConvertAsync(content, fileName, scratch, CancellationToken.None);
            var pages = await Reader.ReadAsync(rendition.Pdf, scratch, null, CancellationToken.None);
            var text = PagedText.Build(pages.Select(p => DocumentPage.Create(Guid.Empty, p.Number, p.Width, p.Height, "", p.HasColour, p.TextSource, p.Words)));
            return new Read(rendition, pages, text);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
