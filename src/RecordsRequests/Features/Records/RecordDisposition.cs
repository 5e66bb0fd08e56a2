namespace RecordsRequests.Features.Records;

public enum RecordDisposition
{
    /// <summary>Found by a search or attached, not yet judged responsive.</summary>
    Candidate,
    Responsive,
    NotResponsive,
}
