using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Correspondence;

[Collection(Lanes.Engine)]
public class OutboxTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task QueuedMail_IsDeliveredOnceAndKeptOnTheTimeline()
    {
        await using var services = database.BuildServices();
        Request request;
        string messageId;
        await using (var scope = services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = "reply-to-me@example.org", Description = "outbox" }, RequestChannel.WebForm, CitedLaw.None, CancellationToken.None);
            var queued = scope.ServiceProvider.GetRequiredService<Outbox>()
                .Queue(request.Id, MailKind.Acknowledgement, "reply-to-me@example.org", null, $"Your request {request.TrackingNumber}", "We received it.");
            messageId = queued.InternetMessageId;
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var delivery = scope.ServiceProvider.GetRequiredService<OutboxDelivery>();
            Assert.True(await delivery.DeliverDueAsync(100, CancellationToken.None) >= 1);
            Assert.Equal(0, await delivery.DeliverDueAsync(100, CancellationToken.None));
        }

        var folder = services.GetRequiredService<PickupFolderTransport>().Folder;
        var file = Path.Combine(folder, PickupFolderTransport.FileNameFor(messageId));
        Assert.True(File.Exists(file));
        Assert.Contains("Auto-Submitted: auto-generated", await File.ReadAllTextAsync(file), StringComparison.Ordinal);

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var copy = await db.Messages.SingleAsync(m => m.InternetMessageId == messageId);
            Assert.Equal(request.Id, copy.RequestId);
            Assert.Equal(MessageDirection.Outbound, copy.Direction);
            Assert.NotNull((await db.Set<OutboundEmail>().SingleAsync(m => m.InternetMessageId == messageId)).SentAt);
        }
    }

    [Fact]
    public async Task RedeliveryAfterACrash_LeavesOneFile()
    {
        await using var services = database.BuildServices();
        var transport = services.GetRequiredService<PickupFolderTransport>();
        var message = new MimeKit.MimeMessage { MessageId = $"{Guid.NewGuid():N}@test.example", Subject = "once" };
        message.To.Add(MimeKit.MailboxAddress.Parse("a@example.org"));
        message.Body = new MimeKit.TextPart("plain") { Text = "body" };

        await transport.SendAsync(message, CancellationToken.None);
        await transport.SendAsync(message, CancellationToken.None);

        Assert.Single(Directory.GetFiles(transport.Folder, PickupFolderTransport.FileNameFor(message.MessageId)));
    }

    [Fact]
    public async Task MailQueuedInARolledBackTransaction_IsNeverSent()
    {
        await using var services = database.BuildServices();
        string messageId;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            messageId = scope.ServiceProvider.GetRequiredService<Outbox>().Queue(null, MailKind.PasswordReset, "nobody@example.org", null, "never", "never").InternetMessageId;
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverDueAsync(100, CancellationToken.None);
        }
        Assert.False(File.Exists(Path.Combine(services.GetRequiredService<PickupFolderTransport>().Folder, PickupFolderTransport.FileNameFor(messageId))));
    }
}
