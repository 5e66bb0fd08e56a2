using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>Attaches a record to a request and makes its pages at once, through the real converters, as the background job would.</summary>
public static class RecordPagesFixture
{
    public sealed record AttachedRecord(Guid RecordId, string Text);

    public static async Task<AttachedRecord> AttachAsync(IServiceProvider services, Guid requestId, string fileName, byte[] content, string addedBy,
        RecordDisposition disposition = RecordDisposition.Responsive)
    {
        var stored = await services.GetRequiredService<ContentStore>().PutAsync(content, default);
        var record = Record.Attach(requestId, fileName, "application/octet-stream", stored.Length, stored.Sha256, RecordSource.Upload, addedBy, DateTimeOffset.UtcNow);
        record.Judge(disposition);
        // Saved in a scope of its own: the caller's context must not keep a copy of the record that still says "queued".
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Add(record);
            await db.SaveChangesAsync();
        }
        return new AttachedRecord(record.Id, await MakePagesAsync(services, record.Id));
    }

    /// <summary>Runs the pages job for a record now and returns its text, or fails with the record's reason.</summary>
    public static async Task<string> MakePagesAsync(IServiceProvider services, Guid recordId)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RecordPages>().MakePagesAsync(recordId, default);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var record = await db.Set<Record>().AsNoTracking().SingleAsync(r => r.Id == recordId);
        if (record.PagesState != PagesState.Ready)
        {
            throw new InvalidOperationException($"{record.FileName} did not become pages: {record.PagesState} {record.PagesFailure}");
        }
        return (await scope.ServiceProvider.GetRequiredService<RedactionReview>().ReadTextAsync(record, default)).Text;
    }
}
