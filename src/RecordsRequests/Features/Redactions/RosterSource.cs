using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Where detection gets the roster: the newest uploaded one, else the file configured at Redaction:RosterPath, else
/// none (detection then finds structured identifiers only).
/// </summary>
public sealed class RosterSource(AppDbContext db, ContentStore store, IOptions<RedactionOptions> options)
{
    public async Task<Roster?> LoadAsync(CancellationToken cancellationToken)
    {
        var uploaded = await db.Set<RosterUpload>().AsNoTracking().OrderByDescending(r => r.UploadedAt).FirstOrDefaultAsync(cancellationToken);
        if (uploaded is not null)
        {
            using var reader = new StreamReader(store.Open(uploaded.Sha256));
            return Roster.Read(reader);
        }
        return options.Value.RosterPath is { Length: > 0 } path ? Roster.Load(path) : null;
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken) =>
        options.Value.RosterPath is { Length: > 0 } || await db.Set<RosterUpload>().AnyAsync(cancellationToken);
}
