namespace RecordsRequests.Features.Requests;

/// <summary>The last tracking sequence used in a year.</summary>
public sealed class TrackingCounter
{
    public int Year { get; set; }
    public int LastValue { get; set; }
}
