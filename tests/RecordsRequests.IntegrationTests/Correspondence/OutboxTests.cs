using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RecordsRequests.Data;
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

    [Fact]
    public async Task WhileTheRelayTalks_NoLockIsHeld_AndASecondDispatcherPassesTheMessageBy()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = database.BuildServices(clock);
        var messageId = await QueueAsync(services);
        var relay = new HeldRelay();

        Task<int> sending;
        await using (var scope = services.CreateAsyncScope())
        {
            sending = DeliveryThrough(scope.ServiceProvider, relay, clock).DeliverDueAsync(10, CancellationToken.None);
            await relay.Talking.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // An officer's edit, a migration or a backup's lock on the outbox does not wait for a slow relay.
            await using (var other = new NpgsqlConnection(database.ConnectionString))
            {
                await other.OpenAsync();
                await using var transaction = await other.BeginTransactionAsync();
                await using var lockTable = new NpgsqlCommand("SET LOCAL lock_timeout = '3s'; LOCK TABLE outbound_emails IN ACCESS EXCLUSIVE MODE", other, transaction);
                await lockTable.ExecuteNonQueryAsync();
            }
            await using (var second = services.CreateAsyncScope())
            {
                Assert.Equal(0, await second.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverDueAsync(10, CancellationToken.None));
            }
            relay.Finish.SetResult();
            Assert.Equal(1, await sending);
        }

        Assert.Equal([messageId], relay.Sent);
        Assert.False(File.Exists(Path.Combine(services.GetRequiredService<PickupFolderTransport>().Folder, PickupFolderTransport.FileNameFor(messageId))));
        await using var check = services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.NotNull((await db.Set<OutboundEmail>().SingleAsync(m => m.InternetMessageId == messageId)).SentAt);
        Assert.Equal(1, await db.Messages.CountAsync(m => m.InternetMessageId == messageId));
    }

    [Fact]
    public async Task AMessageWhoseDispatcherStoppedMidSend_IsSentOnceItsLeaseHasEnded()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = database.BuildServices(clock, [new("Mail:DeliveryLease", "00:01:00")]);
        var messageId = await QueueAsync(services);
        var relay = new HeldRelay();
        using var stopping = new CancellationTokenSource();

        await using (var scope = services.CreateAsyncScope())
        {
            var sending = DeliveryThrough(scope.ServiceProvider, relay, clock).DeliverDueAsync(10, stopping.Token);
            await relay.Talking.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await stopping.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        }

        var folder = services.GetRequiredService<PickupFolderTransport>().Folder;
        await using (var scope = services.CreateAsyncScope())
        {
            clock.Advance(TimeSpan.FromSeconds(59));
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverDueAsync(10, CancellationToken.None));
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverDueAsync(10, CancellationToken.None));
        }
        Assert.True(File.Exists(Path.Combine(folder, PickupFolderTransport.FileNameFor(messageId))));
    }

    private static async Task<string> QueueAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var messageId = scope.ServiceProvider.GetRequiredService<Outbox>()
            .Queue(null, MailKind.PasswordReset, "someone@example.org", null, "Reset your password", "A link.").InternetMessageId;
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
        return messageId;
    }

    private static OutboxDelivery DeliveryThrough(IServiceProvider services, IMailTransport relay, TimeProvider clock) => new(
        services.GetRequiredService<AppDbContext>(), relay, clock, services.GetRequiredService<IOptions<MailOptions>>(),
        services.GetRequiredService<ReplyAddresses>(), NullLogger<OutboxDelivery>.Instance);

    /// <summary>A relay that answers only when the test lets it: the dispatcher is mid-send for as long as the test needs.</summary>
    private sealed class HeldRelay : IMailTransport
    {
        public TaskCompletionSource Talking { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<string> Sent { get; } = [];

        public async Task SendAsync(MimeKit.MimeMessage message, CancellationToken cancellationToken)
        {
            Talking.TrySetResult();
            await Finish.Task.WaitAsync(cancellationToken);
            Sent.Add(message.MessageId!);
        }
    }
}
