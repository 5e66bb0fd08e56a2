using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Archive;

/// <summary>The background job that runs an uploaded archive through the importer.</summary>
public sealed class ArchiveImportJob(ArchiveImporter importer, VaultImporter vault, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ArchiveImportJob> log)
{
    public static void Enqueue(IBackgroundJobClient jobs, Guid runId) => jobs.Enqueue<ArchiveImportJob>(job => job.RunAsync(runId, CancellationToken.None));

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await UpdateAsync(runId, r => r.Start(clock.GetUtcNow()));
        if (run is null)
        {
            return;
        }
        try
        {
            // A zip of files is opened into a folder beside it; the importer reads a folder as its files.
            var source = ArchiveZip.IsZip(run.StoredPath) ? ArchiveZip.Unpack(run.StoredPath, run.StoredPath + ".files") : run.StoredPath;
            // A Google Vault export (a zip of mbox files and the export's metadata XML) keeps Vault's accounts, labels and ids.
            var report = VaultExport.MetadataFile(source) is not null
                ? await vault.ImportAsync(source, run.Custodian, new ProgressWriter(this, runId), cancellationToken)
                : await importer.ImportAsync(source, run.Custodian, new ProgressWriter(this, runId), cancellationToken);
            var outcome = string.Create(CultureInfo.InvariantCulture,
                $"Imported {report.NewItems} new items, {report.Duplicates} duplicates of items already in the archive, {report.AlreadyImported} already imported, {report.Failures.Count} failed, in {report.Elapsed.TotalSeconds:F0} s.")
                + string.Concat(report.Failures.Take(20).Select(f => $"\n{Path.GetFileName(f.SourceFile)}: {f.Error}"));
            await UpdateAsync(runId, r => r.Finish(outcome, failed: false, clock.GetUtcNow()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Archive import {RunId} failed", runId);
            await UpdateAsync(runId, r => r.Finish($"The import stopped: {e.Message}", failed: true, clock.GetUtcNow()));
        }
    }

    private async Task<ArchiveImportRun?> UpdateAsync(Guid runId, Action<ArchiveImportRun> change)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var run = await db.Set<ArchiveImportRun>().SingleOrDefaultAsync(r => r.Id == runId);
        if (run is null)
        {
            return null;
        }
        change(run);
        await db.SaveChangesAsync();
        return run;
    }

    /// <summary>Each progress line the importer writes (every few seconds) becomes the run's progress.</summary>
    private sealed class ProgressWriter(ArchiveImportJob job, Guid runId) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                job.UpdateAsync(runId, r => r.Report(value.Trim())).GetAwaiter().GetResult();
            }
        }
    }
}
