using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>When a record gets its pages, the redactions made on its old text are placed on them in the same save (<see cref="LegacyRedactions"/>).</summary>
internal sealed class PlaceRedactionsOnNewPages(AppDbContext db, ContentStore store) : IRecordPagesContributor
{
    public async Task OnPagesMadeAsync(Record record, PagedText pages, CancellationToken cancellationToken) =>
        LegacyRedactions.Place(record, await db.Set<Redaction>().Where(r => r.RecordId == record.Id).ToListAsync(cancellationToken),
            pages, await store.ReadAllBytesAsync(record.Sha256, cancellationToken));
}
