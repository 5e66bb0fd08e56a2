using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// How far a record is on its way to reviewable pages, as the records page shows it and its script polls it: the state
/// in words, a failure's reason, and, while pages are read, an estimate of the time left.
/// </summary>
public sealed record RecordProgress(Guid Id, Guid? ParentId, string FileName, string State, string Words, string? TimeLeft, bool Busy,
    string? Failure, int PagesDone, int PageCount)
{
    public static RecordProgress Of(Record record, DateTimeOffset now) => new(record.Id, record.ParentRecordId, record.FileName,
        record.PagesState.ToString(), RedactionReview.Describe(record), EstimateTimeLeft(record, now), IsBusy(record.PagesState),
        record.PagesState == PagesState.Failed ? record.PagesFailure : null, record.PagesDone, record.PageCount);

    public static bool IsBusy(PagesState state) => state is PagesState.Queued or PagesState.Converting or PagesState.Reading;

    /// <summary>
    /// The pages left at the speed so far: pages done per second since the worker took the record (conversion
    /// included, so the estimate errs long). Nothing is said before the first page is read, when there is no speed yet.
    /// </summary>
    public static string? EstimateTimeLeft(Record record, DateTimeOffset now)
    {
        var elapsed = now - record.PagesStateChangedAt;
        if (record.PagesState != PagesState.Reading || record.PagesDone < 1 || record.PageCount <= record.PagesDone || elapsed <= TimeSpan.Zero)
        {
            return null;
        }
        var pagesPerSecond = record.PagesDone / elapsed.TotalSeconds;
        var left = TimeSpan.FromSeconds((record.PageCount - record.PagesDone) / pagesPerSecond);
        if (left < TimeSpan.FromSeconds(55))
        {
            return $"about {Math.Max(5, (int)Math.Round(left.TotalSeconds / 5) * 5)} seconds left";
        }
        if (left < TimeSpan.FromMinutes(90))
        {
            var minutes = Math.Max(1, (int)Math.Round(left.TotalMinutes));
            return minutes == 1 ? "about a minute left" : $"about {minutes} minutes left";
        }
        return $"about {left.TotalHours:0.#} hours left";
    }
}
