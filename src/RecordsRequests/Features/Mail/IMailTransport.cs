using MimeKit;

namespace RecordsRequests.Features.Mail;

/// <summary>Hands a finished message to the outside world.</summary>
public interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
