using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// The e-mail as the recipient gets it: the app's dispatcher delivers it to the pickup folder. Links are read from
/// there, because every copy the district keeps after delivery has the requester's private links masked.
/// </summary>
public static class SentMail
{
    /// <summary>The text of the one e-mail <paramref name="which"/> selects, once it is delivered (within 60 s).</summary>
    public static async Task<string> TextAsync(IServiceProvider services, Expression<Func<OutboundEmail, bool>> which)
    {
        using var message = await MessageAsync(services, which);
        return message.TextBody ?? "";
    }

    /// <summary>The one e-mail <paramref name="which"/> selects, as delivered (within 60 s).</summary>
    public static async Task<MimeMessage> MessageAsync(IServiceProvider services, Expression<Func<OutboundEmail, bool>> which)
    {
        var folder = services.GetRequiredService<PickupFolderTransport>().Folder;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using (var scope = services.CreateAsyncScope())
            {
                var messageId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<OutboundEmail>().AsNoTracking()
                    .Where(which).Where(m => m.SentAt != null).Select(m => m.InternetMessageId).SingleOrDefaultAsync();
                var file = messageId is null ? null : Path.Combine(folder, PickupFolderTransport.FileNameFor(messageId));
                if (file is not null && File.Exists(file))
                {
                    return await MimeMessage.LoadAsync(file);
                }
            }
            Assert.True(DateTime.UtcNow < until, "The e-mail was not delivered within 60 s.");
            await Task.Delay(200);
        }
    }
}
