using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// Records become pages in the background (Hangfire's <see cref="RecordPages"/> job, run by the test host's job server).
/// Tests that need a record's pages queue it as the product does and wait here until it is ready or has failed.
/// </summary>
public static class RecordPagesWait
{
    /// <summary>LibreOffice and tesseract on a busy two-core machine can take a while; a record still busy after this is a failure.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static void Enqueue(IServiceProvider services, Guid recordId) =>
        RecordPages.Enqueue(services.GetRequiredService<IBackgroundJobClient>(), recordId);

    /// <summary>Waits for the record (and any attachments it turns out to have) to be ready or failed, and returns it.</summary>
    public static async Task<Record> UntilDoneAsync(IServiceProvider services, Guid recordId)
    {
        var deadline = DateTimeOffset.UtcNow + Limit;
        while (true)
        {
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var record = await db.Set<Record>().AsNoTracking().SingleAsync(r => r.Id == recordId);
                var childrenBusy = await db.Set<Record>().AnyAsync(r => r.ParentRecordId == recordId
                    && r.PagesState != PagesState.Ready && r.PagesState != PagesState.Failed);
                if (record.PagesState is PagesState.Ready or PagesState.Failed && !childrenBusy)
                {
                    return record;
                }
                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException($"{record.FileName} was still {record.PagesState} ({record.PagesDone} of {record.PageCount} pages) after {Limit}.");
                }
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Waits for the record's pages and fails the test with the reason if it could not be made into pages.</summary>
    public static async Task<Record> UntilReadyAsync(IServiceProvider services, Guid recordId)
    {
        var record = await UntilDoneAsync(services, recordId);
        return record.PagesState == PagesState.Ready ? record
            : throw new InvalidOperationException($"{record.FileName} could not be made into pages: {record.PagesFailure}");
    }
}
