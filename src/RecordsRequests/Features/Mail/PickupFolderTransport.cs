using Microsoft.Extensions.Options;
using MimeKit;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Mail;

/// <summary>
/// Writes each message as <c>&lt;Message-ID&gt;.eml</c> in the outbox folder. A message already written is not written
/// again, so a redelivery after a crash leaves exactly one file.
/// </summary>
public sealed class PickupFolderTransport(IOptions<MailOptions> mail, IOptions<RecordsOptions> records) : IMailTransport
{
    public string Folder { get; } = Path.IsPathRooted(mail.Value.OutboxFolder)
        ? mail.Value.OutboxFolder
        : Path.Combine(records.DataPath(), mail.Value.OutboxFolder);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var messageId = message.MessageId ?? throw new InvalidOperationException("Outbound mail must carry a Message-ID.");
        var target = Path.Combine(Folder, FileNameFor(messageId));
        if (File.Exists(target))
        {
            return;
        }
        var temporary = target + ".partial";
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, target, overwrite: false);
    }

    public static string FileNameFor(string messageId) =>
        string.Concat(messageId.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '@' or '_' ? c : '_')) + ".eml";
}
