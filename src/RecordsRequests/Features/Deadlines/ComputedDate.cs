using System.Globalization;

namespace RecordsRequests.Features.Deadlines;

/// <summary>A statutory date with the rule that set it and the days its count passed over.</summary>
public sealed record ComputedDate(DateOnly Date, string Rule, IReadOnlyList<SkippedDay> Skipped)
{
    public string Explain()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Date:yyyy-MM-dd}: {Rule}");
        return Skipped.Count == 0
            ? text + "; no days skipped."
            : text + "; skipped " + string.Join(", ", Skipped.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Date:ddd MMM d} ({s.Reason})"))) + ".";
    }
}
