using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Archive;

/// <summary>
/// Every Outlook file of the shared corpus (../shared/corpora/pst, SOURCE.md there gives each one's origin and what
/// readpst makes of it) imports its e-mails through readpst, or fails with a message that says what to do.
/// </summary>
[Collection(Lanes.Archive)]
public sealed class OutlookFileImportTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>E-mails per file, as SOURCE.md counts them from readpst's output; calendars and contacts are not e-mail.</summary>
    private static readonly Dictionary<string, int> Expected = new()
    {
        ["libyal-testdata_outlook.pst"] = 2,
        ["pstsdk_sample1.pst"] = 1,
        ["pstsdk_sample2_ansi.pst"] = 1,
        ["pstsdk_submessage.pst"] = 1,
        ["outlook-pst-rs_Empty.pst"] = 0,
        ["java-libpst_dist-list.pst"] = 0,
        ["java-libpst_passworded.pst"] = 0,
        ["tika_testPST_variousBodyTypes.pst"] = 4,
        ["tika_testPST.pst"] = 7,
        ["aspose_Outlook_1.pst"] = 14,
        ["aspose_SampleOstFile.ost"] = 81,
        ["aspose_passwordprotectedPST.pst"] = 4,
    };

    private const string Unreadable = "aspose_AddingBulkMessages_readpst-fails.pst";

    [Fact]
    public async Task EveryOutlookFileOfTheCorpus_ImportsItsMail_OrSaysWhyItCannot()
    {
        var corpus = Path.GetFullPath(Path.Combine(TestApp.RepositoryRoot(), "..", "shared", "corpora", "pst"));
        Assert.True(Directory.Exists(corpus), $"The shared Outlook corpus is missing at {corpus}.");
        await using var services = database.BuildServices();
        var token = Guid.NewGuid().ToString("N")[..8];
        var found = new Dictionary<string, int>();
        foreach (var file in Directory.EnumerateFiles(corpus).Where(f => f.EndsWith(".pst", StringComparison.Ordinal) || f.EndsWith(".ost", StringComparison.Ordinal)).Order())
        {
            await using var scope = services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(file, $"outlook-{token}-{Path.GetFileNameWithoutExtension(file)}", null, CancellationToken.None);
            var name = Path.GetFileName(file);
            if (name == Unreadable)
            {
                var failure = Assert.Single(report.Failures);
                Assert.Contains("readpst could not read aspose_AddingBulkMessages_readpst-fails.pst", failure.Error, StringComparison.Ordinal);
                Assert.Contains("export the mailbox to a .pst from Outlook", failure.Error, StringComparison.Ordinal);
                continue;
            }
            Assert.True(report.Failures.Count == 0, $"{name}: {string.Join("; ", report.Failures.Select(f => f.Error))}");
            found[name] = report.NewItems + report.Duplicates;
        }
        Assert.Equal(Expected.OrderBy(e => e.Key), found.OrderBy(e => e.Key));
    }
}
