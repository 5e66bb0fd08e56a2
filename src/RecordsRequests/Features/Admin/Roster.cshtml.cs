using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Admin;

/// <summary>
/// Loading the student roster detection matches names against. An upload is stored as it arrived, read, and shown as
/// the columns understood and the counts found; only then does the admin put it in use. Student data never appears on
/// the page: headers and counts only.
/// </summary>
[Authorize(Policy = Policies.Admins)]
public sealed class RosterModel(AppDbContext db, ContentStore store, ICurrentActor actor, TimeProvider clock, IOptions<RedactionOptions> options) : PageModel
{
    public sealed record Counts(int Students, int WithStudentId, int WithDateOfBirth, int WithGuardian, int WithAddress, int WithoutName);

    public RosterUpload? InUse { get; private set; }
    public string? ConfiguredPath => options.Value.RosterPath;
    public Roster? Preview { get; private set; }
    public Counts? PreviewCounts { get; private set; }
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The uploaded file, by its content hash, between the preview and "Use this roster".</summary>
    [BindProperty]
    public string? Sha256 { get; set; }

    [BindProperty]
    public string? FileName { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || Upload.Length == 0)
        {
            Error = "Choose the roster file (CSV) to upload.";
        }
        else
        {
            // Stored before it is read, so what was uploaded is kept whatever the reading finds.
            await using var content = Upload.OpenReadStream();
            var stored = await store.PutAsync(content, cancellationToken);
            (Sha256, FileName) = (stored.Sha256, Path.GetFileName(Upload.FileName));
            Read();
        }
        await LoadAsync(cancellationToken);
    }

    public async Task OnPostUseAsync(CancellationToken cancellationToken)
    {
        if (Sha256 is null || FileName is null || !System.Text.RegularExpressions.Regex.IsMatch(Sha256, "^[0-9a-f]{64}$") || !store.Exists(Sha256))
        {
            Error = "Upload the roster again: the file to use was not found.";
        }
        else if (Read() is { } roster)
        {
            db.Add(RosterUpload.Create(FileName, Sha256, roster.Students.Count, actor.Name, clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
            Message = $"Detection now uses {FileName}: {roster.Students.Count} students.";
            (Preview, PreviewCounts, Sha256) = (null, null, null);
        }
        await LoadAsync(cancellationToken);
    }

    private Roster? Read()
    {
        try
        {
            using var reader = new StreamReader(store.Open(Sha256!));
            var roster = Roster.Read(reader);
            if (roster.Students.Count == 0)
            {
                Error = "The file has a header row but no students.";
                return null;
            }
            Preview = roster;
            var students = roster.Students;
            PreviewCounts = new Counts(students.Count, students.Count(s => s.StudentId.Length > 0), students.Count(s => s.DateOfBirth.Length > 0),
                students.Count(s => s.Guardians.Count > 0), students.Count(s => s.Address.Length > 0),
                students.Count(s => s.FirstName.Length == 0 || s.LastName.Length == 0));
            return roster;
        }
        catch (Exception e) when (e is DomainException or CsvHelper.CsvHelperException)
        {
            Error = $"The file could not be read as a roster: {e.Message}";
            return null;
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        InUse = await db.Set<RosterUpload>().AsNoTracking().OrderByDescending(r => r.UploadedAt).FirstOrDefaultAsync(cancellationToken);
}
