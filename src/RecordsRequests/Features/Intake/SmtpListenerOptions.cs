using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Intake;

public sealed class SmtpListenerOptions
{
    /// <summary>Off unless asked for: opening a mail port is a deployment decision. ops/run turns it on at 127.0.0.1:2525.</summary>
    public bool Enabled { get; set; }
    public string Address { get; set; } = "127.0.0.1";

    [Range(0, 65535)]
    public int Port { get; set; } = 2525;
    public string ServerName { get; set; } = "localhost";
}
