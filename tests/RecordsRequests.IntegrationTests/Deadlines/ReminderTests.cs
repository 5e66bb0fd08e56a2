using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Deadlines;

/// <summary>
/// The reminder sweep against a real database with a fake clock. Request received Monday March 2, 2026 (municipal):
/// day 10 Monday March 16, day 20 Monday March 30, day 25 Monday April 6.
/// </summary>
[Collection(Lanes.Engine)]
public class ReminderTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly DateTimeOffset Received = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Noon in Boston on the given day.</summary>
    private static DateTimeOffset Noon(int month, int day) => new(2026, month, day, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sweep_SendsEachStageOfTheDay10ReminderOnce_ToTheAssignedOfficer()
    {
        var clock = new FakeTimeProvider(Noon(3, 10));
        await using var services = database.BuildServices(clock);
        var (request, officer) = await ReceiveAssignedAsync(services);

        await SweepAsync(services);
        Assert.Empty(await SentAsync(services, request, ClockKind.ResponseDue));

        foreach (var (day, expected) in new[] { (11, ReminderKind.FirstWarning), (13, ReminderKind.LastWarning), (16, ReminderKind.DueToday), (17, ReminderKind.Overdue) })
        {
            clock.SetUtcNow(Noon(3, day));
            await SweepAsync(services);
            await SweepAsync(services); // a second run the same day sends nothing more
            Assert.Equal(expected, (await SentAsync(services, request, ClockKind.ResponseDue)).Last());
        }
        clock.SetUtcNow(Noon(3, 18));
        await SweepAsync(services);

        Assert.Equal([ReminderKind.FirstWarning, ReminderKind.LastWarning, ReminderKind.DueToday, ReminderKind.Overdue],
            await SentAsync(services, request, ClockKind.ResponseDue));
        var mails = await MailsToAsync(services, request, officer);
        Assert.Equal(4, mails.Count(m => m.Subject.Contains("Written response due", StringComparison.Ordinal)));
        Assert.Contains(mails, m => m.Subject.StartsWith($"[{request.TrackingNumber}] OVERDUE", StringComparison.Ordinal));
        Assert.All(mails, m => Assert.Contains("How the date was computed", m.BodyText, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RequestStatus.Withdrawn)]
    [InlineData(RequestStatus.Closed)]
    public async Task Sweep_SendsNothing_ForAWithdrawnOrClosedRequest(RequestStatus final)
    {
        var clock = new FakeTimeProvider(Noon(3, 11));
        await using var services = database.BuildServices(clock);
        var (request, _) = await ReceiveAssignedAsync(services);
        await SweepAsync(services);
        Assert.Single(await SentAsync(services, request, ClockKind.ResponseDue));

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var tracked = await db.Requests.SingleAsync(r => r.Id == request.Id);
            var path = final == RequestStatus.Withdrawn
                ? new[] { RequestStatus.Withdrawn }
                : [RequestStatus.InTriage, RequestStatus.Responded, RequestStatus.Closed];
            foreach (var status in path)
            {
                tracked.MoveTo(status, clock.GetUtcNow());
            }
            await db.SaveChangesAsync();
        }
        foreach (var day in new[] { 13, 16, 17, 31 })
        {
            clock.SetUtcNow(Noon(3, day));
            await SweepAsync(services);
        }

        Assert.Equal([ReminderKind.FirstWarning], await SentAsync(services, request, ClockKind.ResponseDue));
        Assert.Empty(await SentAsync(services, request, ClockKind.PetitionDeadline));
        Assert.Empty(await SentAsync(services, request, ClockKind.ProductionDue));
    }

    [Fact]
    public async Task SupervisorExtension_MovesTheProductionReminders_ToTheNewDate()
    {
        var clock = new FakeTimeProvider(Noon(4, 3)); // Friday, 1 business day before day 25 (Monday April 6)
        await using var services = database.BuildServices(clock);
        var (request, _) = await ReceiveAssignedAsync(services);
        await using (var scope = services.CreateAsyncScope())
        {
            var clocks = scope.ServiceProvider.GetRequiredService<RequestClockUpdater>();
            (await clocks.InputsForEditAsync(request.Id, CancellationToken.None)).RecordWrittenResponse(new DateOnly(2026, 3, 13));
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
        }
        await SweepAsync(services);
        Assert.Equal([ReminderKind.LastWarning], await SentAsync(services, request, ClockKind.ProductionDue));

        // The Supervisor grants 30 business days: day 25 + 30 = Tuesday May 19, 2026 (Patriots' Day and nothing else skipped).
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var clocks = scope.ServiceProvider.GetRequiredService<RequestClockUpdater>();
            (await clocks.InputsForEditAsync(request.Id, CancellationToken.None)).RecordExtension(30, new DateOnly(2026, 4, 2), null, "SPR26/0042", StatutoryRegime.Municipal);
            await db.SaveChangesAsync();
            await clocks.RecomputeAsync(await db.Requests.SingleAsync(r => r.Id == request.Id), CancellationToken.None);
            await db.SaveChangesAsync();
        }
        var newDate = await StoredAsync(services, request, ClockKind.ExtendedProductionDue);
        Assert.Equal(new DateOnly(2026, 5, 19), newDate);

        clock.SetUtcNow(Noon(4, 6));
        await SweepAsync(services);
        clock.SetUtcNow(Noon(4, 7));
        await SweepAsync(services);
        Assert.Equal([ReminderKind.LastWarning], await SentAsync(services, request, ClockKind.ProductionDue));
        Assert.Empty(await SentAsync(services, request, ClockKind.ExtendedProductionDue));

        clock.SetUtcNow(Noon(5, 19));
        await SweepAsync(services);
        Assert.Equal([ReminderKind.DueToday], await SentAsync(services, request, ClockKind.ExtendedProductionDue));
    }

    [Fact]
    public async Task SweepThatFailsPartWay_IsFinishedByTheNextRun_WithoutLosingOrRepeatingAReminder()
    {
        var clock = new FakeTimeProvider(Noon(3, 11));
        await using var services = database.BuildServices(clock);
        var (first, officer) = await ReceiveAssignedAsync(services);
        var (second, _) = await ReceiveAssignedAsync(services, officer);

        // The database refuses the second request's reminder row, as a crash or lost connection would: its whole
        // transaction (reminder row and e-mails) rolls back, and the job fails.
        await database.ScalarAsync($"""
            CREATE OR REPLACE FUNCTION fail_reminder() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.request_id = '{second.Id}' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER fail_reminder BEFORE INSERT ON reminders_sent FOR EACH ROW EXECUTE FUNCTION fail_reminder();
            SELECT 0;
            """);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => SweepAsync(services));
            Assert.Empty(await SentAsync(services, second, ClockKind.ResponseDue));
            Assert.Empty(await MailsToAsync(services, second, officer));
        }
        finally
        {
            await database.ScalarAsync("DROP TRIGGER fail_reminder ON reminders_sent; DROP FUNCTION fail_reminder(); SELECT 0;");
        }

        await SweepAsync(services);
        await SweepAsync(services);

        foreach (var request in new[] { first, second })
        {
            Assert.Equal([ReminderKind.FirstWarning], await SentAsync(services, request, ClockKind.ResponseDue));
            Assert.Single(await MailsToAsync(services, request, officer));
        }
    }

    private static async Task SweepAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReminderSweep>().RunAsync(CancellationToken.None);
    }

    private static async Task<(Request Request, StaffUser Officer)> ReceiveAssignedAsync(ServiceProvider services, StaffUser? officer = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (officer is null)
        {
            var email = $"officer-{Guid.NewGuid():N}@district.example";
            officer = new StaffUser { UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant(), DisplayName = "Officer" };
            db.Users.Add(officer);
            await db.SaveChangesAsync();
        }
        var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "requester@example.org", Description = "School committee minutes" },
            RequestChannel.Email, CitedLaw.MassachusettsPublicRecordsLaw, CancellationToken.None, Received);
        var tracked = await db.Requests.SingleAsync(r => r.Id == request.Id);
        tracked.AssignTo(officer.Id);
        await db.SaveChangesAsync();
        return (tracked, officer);
    }

    private static async Task<List<ReminderKind>> SentAsync(ServiceProvider services, Request request, ClockKind clock)
    {
        await using var scope = services.CreateAsyncScope();
        var kinds = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<ReminderSent>()
            .Where(r => r.RequestId == request.Id && r.Clock == clock).Select(r => r.Kind).ToListAsync();
        return kinds.Order().ToList(); // stored as text, so ordered here by stage

    }

    private static async Task<DateOnly> StoredAsync(ServiceProvider services, Request request, ClockKind clock)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<RequestClock>()
            .Where(c => c.RequestId == request.Id && c.Kind == clock).Select(c => c.DueDate).SingleAsync();
    }

    private static async Task<List<OutboundEmail>> MailsToAsync(ServiceProvider services, Request request, StaffUser officer)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<OutboundEmail>()
            .Where(m => m.RequestId == request.Id && m.Kind == MailKind.Reminder && m.ToAddress == officer.Email).ToListAsync();
    }
}
