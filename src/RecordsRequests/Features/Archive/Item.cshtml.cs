using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Where an archived message came from: its custodians and sources, and what a Google Vault export said about it
/// (account, labels, Vault's ids). Its words are not shown here: the text is read through search and records.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class ItemModel(AppDbContext db) : PageModel
{
    public ArchiveItem Item { get; private set; } = null!;
    public IReadOnlyList<ArchiveItemSource> Sources { get; private set; } = [];
    public IReadOnlyList<VaultMessage> Vault { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid itemId, CancellationToken cancellationToken)
    {
        var item = await db.Set<ArchiveItem>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == itemId, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }
        Item = item;
        Sources = await db.Set<ArchiveItemSource>().AsNoTracking().Where(s => s.ItemId == itemId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        Vault = await db.Set<VaultMessage>().AsNoTracking().Where(v => v.ItemId == itemId).OrderBy(v => v.Id).ToListAsync(cancellationToken);
        return Page();
    }

    /// <summary>
    /// Where a source was found, in words: how it came when that was recorded (a mailbox collection), else the export's
    /// file name, with the folder inside an Outlook file ("archive.pst, folder Inbox").
    /// </summary>
    public static string FoundIn(ArchiveItemSource source)
    {
        if (source.Origin is { Length: > 0 } origin)
        {
            return origin;
        }
        var parts = source.SourceFile.Split('!', 2);
        var file = Path.GetFileName(parts[0]);
        if (parts.Length < 2)
        {
            return file;
        }
        // readpst writes each folder as ".../mbox": the folder is the path without that last part.
        var folder = Path.GetDirectoryName(parts[1])?.Replace('\\', '/');
        return string.IsNullOrEmpty(folder) ? file : $"{file}, folder {folder}";
    }
}
