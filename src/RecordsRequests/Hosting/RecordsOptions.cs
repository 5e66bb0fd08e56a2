using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Hosting;

/// <summary>Settings every part of the application shares, bound from the <c>Records</c> section.</summary>
public sealed class RecordsOptions
{
    public const string SectionName = "Records";

    /// <summary>PostgreSQL connection string (environment: <c>RECORDS_DB</c>).</summary>
    [Required(ErrorMessage = "No database configured: set RECORDS_DB to a PostgreSQL connection string, or start through ops/run.")]
    public string Database { get; set; } = "";

    /// <summary>Folder for files the database does not hold: stored documents, the search index (environment: <c>RECORDS_DATA</c>).</summary>
    [Required]
    public string DataPath { get; set; } = ".data";

    /// <summary>IANA zone in which statutory dates are computed. Massachusetts law counts days in Eastern time.</summary>
    [Required]
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>The district's name, as it appears on pages and letters.</summary>
    [Required]
    public string DistrictName { get; set; } = "Demo Public Schools";

    /// <summary>
    /// The district's own public addresses and phone and fax numbers (district office, schools, records officer): part
    /// of its profile, shown to administrators, and never suggested for redaction wherever they appear in a record.
    /// </summary>
    public List<string> PublicContactDetails { get; set; } = [];

    /// <summary>The district office's postal address, one line per line, for the letterhead of every letter.</summary>
    public string? DistrictAddress { get; set; }

    /// <summary>The records access officer named under each letter when the officer who sent it has no name on file (950 CMR 32.04).</summary>
    public string? RecordsAccessOfficer { get; set; }

    /// <summary>Base address of the public site, for links sent by e-mail: release packages, status pages, password resets.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
}
