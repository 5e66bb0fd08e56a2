using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Deadlines;

/// <summary>The district's fee settings (legal.md 1.5). The caps are the law's; a district may charge less.</summary>
public sealed class FeeOptions
{
    public const string SectionName = "Fees";

    /// <summary>Hourly rate of the lowest-paid employee with the skill needed; never above $25 without the
    /// Supervisor's approval (c.66 §10(d)).</summary>
    [Range(typeof(decimal), "0", "25")]
    public decimal HourlyRate { get; set; } = 25m;

    /// <summary>Black-and-white paper copy or printout, single- or double-sided: at most 5 cents a page (950 CMR 32.07(2)).</summary>
    [Range(typeof(decimal), "0", "0.05")]
    public decimal PaperPerPage { get; set; } = 0.05m;

    /// <summary>A municipality of 20,000 people or fewer may charge for the first 2 hours too (c.66 §10(d)(iii), [S]).</summary>
    public bool MunicipalityOf20000OrFewer { get; set; }
}
