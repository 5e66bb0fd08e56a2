using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// Section <c>Mailboxes</c>: where the providers are and how often intake looks for new mail. The defaults are the
/// providers' public endpoints; a district changes them only for a sovereign cloud, and the tests point them at a
/// local server.
/// </summary>
public sealed class MailboxOptions
{
    public const string SectionName = "Mailboxes";

    /// <summary>Microsoft Entra ID sign-in host; the tenant is appended (national clouds have their own).</summary>
    [Required, Url]
    public string MicrosoftAuthorityHost { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>Microsoft Graph, version included.</summary>
    [Required, Url]
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0/";

    /// <summary>The resource whose <c>.default</c> scope Graph tokens are asked for.</summary>
    [Required]
    public string GraphResource { get; set; } = "https://graph.microsoft.com";

    /// <summary>The resource for IMAP and SMTP tokens of Exchange Online (IMAP.AccessAsApp, SMTP.SendAsApp).</summary>
    [Required]
    public string ExchangeResource { get; set; } = "https://outlook.office365.com";

    /// <summary>The Gmail REST API, version included.</summary>
    [Required, Url]
    public string GmailBaseUrl { get; set; } = "https://gmail.googleapis.com/gmail/v1/";

    /// <summary>
    /// A PEM file of certificate authorities trusted for the providers' endpoints besides the system's (a district's
    /// TLS-inspecting proxy; the tests' own authority). Empty: the system's only.
    /// </summary>
    public string? ExtraTrustedAuthoritiesFile { get; set; }

    /// <summary>
    /// Where district IT reads the setup guide (this repository's README as published, e.g. on the district's intranet);
    /// a failed test links to the section that fixes it. Empty: the section is named, not linked.
    /// </summary>
    public string? SetupGuideUrl { get; set; }

    /// <summary>How often each records inbox is looked at for new mail.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times a throttled (429) or briefly unavailable (503) call is tried again, waiting as the provider asks.</summary>
    [Range(0, 20)]
    public int Retries { get; set; } = 6;

    /// <summary>The longest wait a provider's Retry-After is followed for; longer ones end the poll and it is tried next time.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LongestRetryWait { get; set; } = TimeSpan.FromMinutes(2);
}
