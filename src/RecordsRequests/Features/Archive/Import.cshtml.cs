using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Importing a mailbox export or a set of documents into the archive search from the browser: the file is saved in
/// the data folder, imported in the background by the same importer as <c>ops/records archive import</c>, and its
/// progress shown here (the page refreshes itself while an import runs).
/// </summary>
[Authorize(Policy = Policies.Admins)]
[DisableRequestSizeLimit]
[RequestFormLimits(MultipartBodyLengthLimit = long.MaxValue)]
public sealed class ImportModel(AppDbContext db, IBackgroundJobClient jobs, ICurrentActor actor, TimeProvider clock, IOptions<RecordsOptions> records) : PageModel
{
    private static readonly string[] Accepted = [".mbox", ".mbx", ".pst", ".eml", ".zip"];

    public IReadOnlyList<ArchiveImportRun> Runs { get; private set; } = [];
    public bool Running => Runs.Any(r => r.FinishedAt is null);
    public string? Error { get; private set; }

    [BindProperty]
    public IFormFile? Archive { get; set; }

    [BindProperty]
    public string Custodian { get; set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = Archive is null ? "" : Path.GetFileName(Archive.FileName);
        if (Archive is null || Archive.Length == 0)
        {
            Error = "Choose the file to import.";
        }
        else if (!Accepted.Contains(Path.GetExtension(name).ToLowerInvariant()))
        {
            Error = $"{name} is not a file the import reads: give an mbox (.mbox), an Outlook data file (.pst), an e-mail (.eml) or a zip of files.";
        }
        else if (string.IsNullOrWhiteSpace(Custodian))
        {
            Error = "Name the custodian: whose mailbox or files these are.";
        }
        if (Error is not null)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }
        var folder = Path.Combine(Path.GetFullPath(records.Value.DataPath), "imports", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // The name is reduced to safe characters: it becomes a path on the server.
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        var path = Path.Combine(folder, safe);
        await using (var target = System.IO.File.Create(path))
        {
            await Archive!.CopyToAsync(target, cancellationToken);
        }
        var run = ArchiveImportRun.Queue(name, Custodian.Trim(), path, Archive.Length, actor.Name, clock.GetUtcNow());
        db.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        ArchiveImportJob.Enqueue(jobs, run.Id);
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Runs = await db.Set<ArchiveImportRun>().AsNoTracking().OrderByDescending(r => r.QueuedAt).Take(20).ToListAsync(cancellationToken);
}
