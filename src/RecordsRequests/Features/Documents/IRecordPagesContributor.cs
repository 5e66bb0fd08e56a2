using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Documents;

/// <summary>
/// Told when a record's pages are made, before they are saved, to add its own changes to the same save (the redactions
/// feature places the redactions made before the record had pages), so the pages and what follows from them commit
/// together.
/// </summary>
public interface IRecordPagesContributor
{
    Task OnPagesMadeAsync(Record record, PagedText pages, CancellationToken cancellationToken);
}
