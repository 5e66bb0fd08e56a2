namespace RecordsRequests.Features.Deadlines;

/// <summary>The district's choices on the counting rules that legal.md leaves open.</summary>
public sealed class DeadlineOptions
{
    public const string SectionName = "Deadlines";

    /// <summary>Regime for public-records requests: "municipal" (a school department or regional district) or "agency".</summary>
    public string Regime { get; set; } = StatutoryRegime.Municipal.Name;

    /// <summary>Suffolk County districts (Boston, Chelsea, Revere, Winthrop) may treat March 17 and June 17 as holidays.</summary>
    public bool IncludeSuffolkCountyDays { get; set; }

    /// <summary>Whether a district closure in the middle of a period stops the count (default: only on the day of receipt).</summary>
    public bool ClosuresInsidePeriodAreSkipped { get; set; }

    /// <summary>Local time after which a request is counted as received the next day; empty means no cutoff.</summary>
    public TimeOnly? AfterHoursCutoff { get; set; }
}
