using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Intake;

public sealed class ImapPollingOptions
{
    /// <summary>Off unless a host is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    /// <summary>None, StartTls, SslOnConnect or Auto (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";
    public string? User { get; set; }
    public string? Password { get; set; }
    public string Folder { get; set; } = "INBOX";

    /// <summary>When set, processed messages are moved there; otherwise they are flagged and left in place. Never deleted.</summary>
    public string? ProcessedFolder { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait with IMAP IDLE between polls when the server offers it.</summary>
    public bool UseIdle { get; set; } = true;
}
