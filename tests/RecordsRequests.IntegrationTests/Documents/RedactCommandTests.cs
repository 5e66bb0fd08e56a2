using System.Text.Json;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;

namespace RecordsRequests.IntegrationTests.Documents;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Writes to the console";
}

/// <summary>ops/records redact takes every kind of file and writes burned-in PDFs whose JSON names each box's page.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RedactCommandTests
{
    [Fact]
    public async Task Redact_TakesEveryFormat_WritesBurnedInPdfs_AndListsWhatItCouldNotRead()
    {
        var folder = Directory.CreateTempSubdirectory("records-redact-test-").FullName;
        var output = folder + "-out";
        try
        {
            var letterhead = TestDocuments.LetterheadPdf();
            await File.WriteAllBytesAsync(Path.Combine(folder, "letterhead.pdf"), letterhead);
            await File.WriteAllBytesAsync(Path.Combine(folder, "scan.pdf"), TestDocuments.ScannedPdf(letterhead));
            await File.WriteAllBytesAsync(Path.Combine(folder, "photo.png"), TestDocuments.Png(letterhead));
            await File.WriteAllBytesAsync(Path.Combine(folder, "copier.tif"), TestDocuments.TwoPageTiff(letterhead));
            await File.WriteAllBytesAsync(Path.Combine(folder, "memo.docx"), TestDocuments.Docx());
            await File.WriteAllBytesAsync(Path.Combine(folder, "riders.xlsx"), TestDocuments.Xlsx());
            await File.WriteAllBytesAsync(Path.Combine(folder, "bus.eml"), TestDocuments.EmailWithPdf(letterhead));
            await File.WriteAllBytesAsync(Path.Combine(folder, "truncated.pdf"), letterhead[..(letterhead.Length / 3)]);
            var command = new RedactCommand(Options.Create(new RedactionOptions()), DocumentPipeline.Converter, DocumentPipeline.Reader,
                new PageLeakGate(DocumentPipeline.Tools, DocumentPipeline.Reader, DocumentPipeline.Options));

            var console = new StringWriter();
            var previous = Console.Out;
            Console.SetOut(console);
            int exit;
            try
            {
                exit = await command.RunAsync(["--roster", TestDocuments.RosterPath, "--input", folder, "--out", output, "--prefix", "PRR-2026-0042", "--json"],
                    CancellationToken.None);
            }
            finally
            {
                Console.SetOut(previous);
            }

            Assert.True(exit == 2, $"exit {exit}: {console}");
            using var json = JsonDocument.Parse(console.ToString());
            Assert.Equal("passed", json.RootElement.GetProperty("leakCheck").GetString());
            var failed = Assert.Single(json.RootElement.GetProperty("failed").EnumerateArray());
            Assert.EndsWith("truncated.pdf", failed.GetProperty("input").GetString());
            var files = json.RootElement.GetProperty("files").EnumerateArray().ToList();
            // Seven files and the e-mail's attachment, each with its redactions placed on a page.
            Assert.Equal(8, files.Count);
            Assert.Contains(files, f => f.GetProperty("input").GetString()!.EndsWith("bus.eml » memo.pdf", StringComparison.Ordinal));
            foreach (var file in files)
            {
                var redactions = file.GetProperty("redactions").EnumerateArray().ToList();
                Assert.Contains(redactions, r => r.GetProperty("text").GetString()!.Contains(TestDocuments.StudentId, StringComparison.Ordinal));
                Assert.All(redactions, r =>
                {
                    Assert.True(r.GetProperty("page").GetInt32() >= 1);
                    Assert.True(r.GetProperty("box").GetProperty("width").GetDouble() > 0);
                    Assert.True(r.GetProperty("end").GetInt32() > r.GetProperty("start").GetInt32());
                });
                var pdf = await File.ReadAllBytesAsync(file.GetProperty("output").GetString()!);
                Assert.DoesNotContain(TestDocuments.StudentId, TestDocuments.Pdftotext(pdf), StringComparison.Ordinal);
            }
            Assert.Equal(2, files.Single(f => f.GetProperty("input").GetString()!.EndsWith("copier.tif", StringComparison.Ordinal)).GetProperty("pages").GetInt32());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
            File.Delete(RedactCommand.SecretsPathFor(output));
        }
    }
}
