using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Redactions;

public sealed class RedactionOptions
{
    public const string SectionName = "Redaction";

    /// <summary>
    /// Regular expressions for the district's own student-ID formats, found with no cue before them (for example a
    /// LASID that always starts with 44). A named group <c>id</c>, if present, is the span redacted; otherwise the whole
    /// match. None by default: an identifier announced by its context ("student ID", "SASID", "locker", "matrícula") is
    /// found whatever its format without one.
    /// </summary>
    [Required]
    public List<string> StudentIdPatterns { get; set; } = [];

    /// <summary>Domains of free mail providers: an address there is a personal e-mail address, not a work one.</summary>
    [Required]
    public List<string> PersonalEmailDomains { get; set; } =
        ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "me.com", "comcast.net", "verizon.net", "msn.com", "live.com", "protonmail.com"];

    /// <summary>
    /// The district's own public addresses and phone and fax numbers, which are never suggested. The district's profile
    /// (<c>Records:PublicContactDetails</c>, beside its name) is added here by <see cref="RedactionsModule"/>; each entry
    /// is a number ("413-555-0100", any punctuation, a note in brackets) or an address ("100 Main Street, Westfield, MA").
    /// </summary>
    public List<string> PublicContactDetails { get; set; } = [];

    /// <summary>Whether the staff member who proposed a redaction may also approve it as counsel (default: no).</summary>
    public bool ProposerMayApprove { get; set; }

    /// <summary>The student roster CSV (see <see cref="Roster"/>) the web workflow's detector uses; none if empty.</summary>
    public string? RosterPath { get; set; }
}
