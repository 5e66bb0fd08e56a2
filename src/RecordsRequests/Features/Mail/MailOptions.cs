using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Mail;

/// <summary>Outbound mail. Without an SMTP relay host, messages are written to the outbox folder and shown on the dashboard.</summary>
public sealed class MailOptions
{
    public const string SectionName = "Mail";

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "records@demo-district.example";

    [Required]
    public string FromName { get; set; } = "Records Access Officer";

    /// <summary>Folder for outbound .eml files when no relay is configured; relative paths are under the data folder.</summary>
    public string OutboxFolder { get; set; } = "outbox";

    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }

    /// <summary>None, StartTls, SslOnConnect or Auto (MailKit's SecureSocketOptions).</summary>
    public string SmtpSecurity { get; set; } = "StartTls";

    /// <summary>How often the dispatcher looks for undelivered mail.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a dispatcher holds a message it is sending: no other dispatcher takes it meanwhile, a send still running
    /// at the end is abandoned, and a message whose dispatcher died is sent again once its lease has ended.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromMinutes(2);
}
