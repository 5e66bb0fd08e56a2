using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// An archive import started from the browser: the uploaded file (an mbox, a .pst, a .eml or a zip of files), kept in
/// the data folder, imported by <see cref="ArchiveImporter"/> in a background job whose progress lines land here for
/// the page to show. The importer's own speed, progress and resumption are its own; this is the page's record.
/// </summary>
public sealed class ArchiveImportRun : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string FileName { get; private set; } = "";
    public string Custodian { get; private set; } = "";
    public string StoredPath { get; private set; } = "";
    public long SizeBytes { get; private set; }
    public string StartedBy { get; private set; } = "";
    public DateTimeOffset QueuedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The importer's latest progress line, in its words.</summary>
    public string Progress { get; private set; } = "";

    /// <summary>The closing summary, or why the import failed.</summary>
    public string? Outcome { get; private set; }
    public bool Failed { get; private set; }

    private ArchiveImportRun() { }

    public static ArchiveImportRun Queue(string fileName, string custodian, string storedPath, long size, string by, DateTimeOffset now) => new()
    {
        FileName = fileName,
        Custodian = custodian,
        StoredPath = storedPath,
        SizeBytes = size,
        StartedBy = by,
        QueuedAt = now.ToUniversalTime(),
        Progress = "Waiting for the import to start.",
    };

    internal void Start(DateTimeOffset now)
    {
        StartedAt = now.ToUniversalTime();
        Progress = "Starting.";
    }

    internal void Report(string line) => Progress = line.Length > 1000 ? line[..1000] : line;

    internal void Finish(string outcome, bool failed, DateTimeOffset now)
    {
        Outcome = outcome.Length > 4000 ? outcome[..4000] : outcome;
        Failed = failed;
        FinishedAt = now.ToUniversalTime();
    }
}

internal sealed class ArchiveImportRunConfiguration : IEntityTypeConfiguration<ArchiveImportRun>
{
    public void Configure(EntityTypeBuilder<ArchiveImportRun> builder)
    {
        builder.ToTable("archive_import_runs");
        builder.Property(r => r.FileName).HasMaxLength(300);
        builder.Property(r => r.Custodian).HasMaxLength(300);
        builder.Property(r => r.StoredPath).HasMaxLength(1000);
        builder.Property(r => r.StartedBy).HasMaxLength(300);
        builder.Property(r => r.Progress).HasMaxLength(1000);
        builder.Property(r => r.Outcome).HasMaxLength(4000);
        builder.HasIndex(r => r.QueuedAt);
    }
}

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
