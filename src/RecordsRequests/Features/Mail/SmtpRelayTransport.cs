using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace RecordsRequests.Features.Mail;

/// <summary>Relays through the district's SMTP server. The fixed Message-ID lets receivers drop a repeat after a crash.</summary>
public sealed class SmtpRelayTransport(IOptions<MailOptions> options) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var client = new SmtpClient();
        var host = settings.SmtpHost ?? throw new InvalidOperationException("Mail:SmtpHost is not set.");
        await client.ConnectAsync(host, settings.SmtpPort, Enum.Parse<SecureSocketOptions>(settings.SmtpSecurity, ignoreCase: true), cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUser))
        {
            await client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
