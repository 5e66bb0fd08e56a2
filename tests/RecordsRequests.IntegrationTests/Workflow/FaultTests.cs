using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;
using RecordsRequests.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static RecordsRequests.Features.Workflow.LifecycleEvent;

namespace RecordsRequests.IntegrationTests.Workflow;

/// <summary>
/// The engine runs in a separate process ("workflow worker", the app's own CLI) that is killed with SIGKILL at random
/// moments and restarted while 24 requests are driven through four different paths. Every request must end in the
/// right state with exactly the e-mails its path sends: none twice, none missing.
/// </summary>
[Collection(Lanes.Faults)]
public class FaultTests(TestDatabase database, ITestOutputHelper output)
{
    private sealed record Script(string Name, RequestStatus Final, string[] Mail, (string Node, LifecycleEvent Event, string Outcome, string? Comments)[] Steps,
        bool WithdrawAtCollect = false);

    private static readonly Script[] Scripts =
    [
        new("full release", RequestStatus.Closed, ["Acknowledgement", "Response"],
        [
            ("triage", TriageDecided, "public-records", null), ("collect", CollectionCompleted, "collected", null), ("review", ReviewCompleted, "ready", null),
            ("counsel", CounselDecided, "returned", "Redact page 3."), ("review", ReviewCompleted, "ready", null), ("counsel", CounselDecided, "approved", null),
            ("fee", FeeDecided, "no-fee", null), ("response", ResponseChosen, "full-release", null), ("appeal-window", AppealWindowResolved, "close", null),
        ]),
        new("clarify, fee, partial", RequestStatus.Closed, ["Acknowledgement", "Clarification", "FeeEstimate", "Response"],
        [
            ("triage", TriageDecided, "clarify", "Which years?"), ("clarification", ClarificationReceived, "replied", null),
            ("triage", TriageDecided, "public-records", null), ("collect", CollectionCompleted, "collected", null), ("review", ReviewCompleted, "ready", null),
            ("counsel", CounselDecided, "approved", null), ("fee", FeeDecided, "estimate", null), ("payment", PaymentResolved, "paid", null),
            ("response", ResponseChosen, "partial-release", "Home addresses, c.4 §7 cl.26(c)."), ("appeal-window", AppealWindowResolved, "appeal-received", null),
            ("appeal", SupervisorOrdered, "upheld", null),
        ]),
        new("not a request", RequestStatus.NotARequest, ["Acknowledgement"], [("triage", TriageDecided, "not-a-request", null)]),
        new("withdrawn", RequestStatus.Withdrawn, ["Acknowledgement", "WithdrawalConfirmation"],
            [("triage", TriageDecided, "public-records", null)], WithdrawAtCollect: true),
    ];

    /// <summary>
    /// The worker is killed after every few published decisions (a random count in this range), a random moment after
    /// the last one, so most kills land while it runs the step the decision released. Tied to work, not to time: a
    /// faster or slower engine meets the same number of kills for the same runs.
    /// </summary>
    private static readonly (int Min, int Max) KillEveryDecisions = (3, 8);

    [Fact]
    public async Task LifecycleRuns_WithTheWorkerKilledAtRandom_EndRightWithEveryMessageExactlyOnce()
    {
        const int runs = 24;
        await using var services = database.BuildServices();
        var runsByRequest = new Dictionary<Guid, (Script Script, int Next, bool Withdrawn, int Reviewed)>();
        await using var worker = new KillableWorker(database, output);
        worker.Start();
        await worker.Ready.WaitAsync(TimeSpan.FromSeconds(60));

        for (var i = 0; i < runs; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Name = $"Fault {i}", Email = $"fault{i}@example.org", Description = $"Fault-test request {i}" },
                RequestChannel.Email, CitedLaw.None, CancellationToken.None);
            runsByRequest[request.Id] = (Scripts[i % Scripts.Length], 0, false, 0);
        }

        var random = new Random(20261129);
        var published = 0;
        var killAt = random.Next(KillEveryDecisions.Min, KillEveryDecisions.Max + 1);
        var deadline = DateTime.UtcNow.AddMinutes(20);
        while (runsByRequest.Values.Any(r => r.Next < r.Script.Steps.Length || (r.Script.WithdrawAtCollect && !r.Withdrawn)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not every run progressed; left: {string.Join(", ", runsByRequest.Where(r => r.Value.Next < r.Value.Script.Steps.Length).Select(r => $"{r.Value.Script.Name}@{r.Value.Next}"))}");
            foreach (var (requestId, run) in runsByRequest.ToList())
            {
                await using var scope = services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<HttpOrSystemActor>().SystemName = "officer";
                var lifecycle = scope.ServiceProvider.GetRequiredService<RequestLifecycle>();
                var view = await lifecycle.DescribeAsync(requestId, CancellationToken.None);
                if (run.Next < run.Script.Steps.Length)
                {
                    var (node, lifecycleEvent, outcome, comments) = run.Script.Steps[run.Next];
                    // Counsel's decision stands on counsel's review: one recorded per counsel step of the script.
                    if (lifecycleEvent == CounselDecided && view?.Waiting.Any(w => w.Node.Id == node) == true && run.Reviewed <= run.Next)
                    {
                        await Lifecycles.RecordCounselReviewAsync(services, requestId, outcome, comments);
                        runsByRequest[requestId] = run with { Reviewed = run.Next + 1 };
                    }
                    // Four hours of search: $50 after the two free hours (c.66 §10(d)(iii)).
                    var fee = lifecycleEvent == FeeDecided && outcome == "estimate" ? new FeeFigures { SearchHours = 4m } : null;
                    if (view?.Waiting.Any(w => w.Node.Id == node) == true
                        && (await lifecycle.PublishAsync(requestId, lifecycleEvent, outcome, comments, CancellationToken.None, fee)).Outcome == RequestLifecycle.PublishOutcome.Accepted)
                    {
                        // Wait until the workflow has left this wait before publishing the next step (a node may repeat: review, counsel, triage).
                        runsByRequest[requestId] = run with { Next = run.Next + 1 };
                        if (++published % killAt == 0)
                        {
                            // Mid-step: a moment after the event, while the worker takes the step it released.
                            await Task.Delay(random.Next(0, 400));
                            await worker.KillAndRestartAsync(random.Next(0, 1000));
                            await worker.Ready.WaitAsync(TimeSpan.FromSeconds(60));
                            published = 0;
                            killAt = random.Next(KillEveryDecisions.Min, KillEveryDecisions.Max + 1);
                        }
                        await WaitUntilLeftAsync(lifecycle, requestId, view.Waiting.Single(w => w.Node.Id == node).Since);
                    }
                }
                else if (run.Script.WithdrawAtCollect && !run.Withdrawn && view?.Waiting.Any(w => w.Node.Id == "collect") == true)
                {
                    await lifecycle.WithdrawAsync(requestId, null, CancellationToken.None);
                    runsByRequest[requestId] = run with { Withdrawn = true };
                }
            }
            await Task.Delay(100);
        }
        output.WriteLine($"kills: {worker.Kills}, starts: {worker.Starts}");

        // Let the last worker finish: every workflow ended and every queued message delivered.
        var ids = runsByRequest.Keys.ToArray();
        var settle = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var open = await database.ScalarAsync(
                $"SELECT count(*) FROM workflow.instances WHERE status IN (0, 1) AND reference IN ({string.Join(",", ids.Select(i => $"'{i}'"))})");
            var unsent = await database.ScalarAsync(
                $"SELECT count(*) FROM outbound_emails WHERE sent_at IS NULL AND request_id IN ({string.Join(",", ids.Select(i => $"'{i}'"))})");
            if (open == 0 && unsent == 0)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < settle, $"{open} workflows still open and {unsent} messages unsent after the last restart.");
            await Task.Delay(250);
        }
        await worker.DisposeAsync();

        await using var check = services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var folder = check.ServiceProvider.GetRequiredService<PickupFolderTransport>().Folder;
        var expectedMessages = 0;
        foreach (var (requestId, run) in runsByRequest)
        {
            var request = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == requestId);
            Assert.Equal(run.Script.Final, request.Status);
            var mail = await db.Set<OutboundEmail>().AsNoTracking().Where(m => m.RequestId == requestId).ToListAsync();
            Assert.Equal(run.Script.Mail.Order(), mail.Select(m => m.Kind.ToString()).Order());
            foreach (var email in mail)
            {
                Assert.True(File.Exists(Path.Combine(folder, PickupFolderTransport.FileNameFor(email.InternetMessageId))), $"{email.Kind} for {request.TrackingNumber} was never written to the pickup folder.");
                Assert.Equal(1, await db.Messages.CountAsync(m => m.InternetMessageId == email.InternetMessageId && m.Direction == MessageDirection.Outbound));
            }
            expectedMessages += run.Script.Mail.Length;
        }
        output.WriteLine($"runs: {runs}, kills: {worker.Kills}, messages: {expectedMessages} expected, all present once");
        // Every script's decisions were published: with a kill after at most 8 of them, the runs met at least this many.
        var decisions = runsByRequest.Values.Sum(r => r.Script.Steps.Length);
        Assert.True(worker.Kills >= decisions / KillEveryDecisions.Max, $"{worker.Kills} kills for {decisions} decisions.");
    }

    private static async Task WaitUntilLeftAsync(RequestLifecycle lifecycle, Guid requestId, DateTime since)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var view = await lifecycle.DescribeAsync(requestId, CancellationToken.None);
            if (view is null || view.Waiting.All(w => w.Since != since))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Request {requestId} did not move on after its event.");
    }

    /// <summary>The app's CLI "workflow worker" as a child process, killed with SIGKILL on demand.</summary>
    private sealed class KillableWorker(TestDatabase database, ITestOutputHelper output) : IAsyncDisposable
    {
        private Process? _process;
        public int Kills { get; private set; }
        public int Starts { get; private set; }

        /// <summary>Completes when the worker's engine has started; kills are timed from then, so each life does some work.</summary>
        public Task Ready { get; private set; } = Task.CompletedTask;

        public void Start()
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RecordsRequests.dll"), "workflow", "worker"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.Environment["RECORDS_DB"] = database.ConnectionString;
            start.Environment["RECORDS_DATA"] = database.DataPath;
            start.Environment["Workflow__PollInterval"] = "00:00:00.500";
            _process = Process.Start(start)!;
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine("worker: " + e.Data); } };
            var ready = new TaskCompletionSource();
            Ready = ready.Task;
            _process.OutputDataReceived += (_, e) => { if (e.Data == "workflow worker started") { ready.TrySetResult(); } };
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
            Starts++;
        }

        public async Task KillAndRestartAsync(int downtimeMs)
        {
            if (_process is { HasExited: false })
            {
                // Process.Kill sends SIGKILL on Unix: no shutdown hooks, no flushing, like a power cut for the app.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
                Kills++;
            }
            _process?.Dispose();
            await Task.Delay(downtimeMs);
            Start();
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process?.Dispose();
            _process = null;
        }
    }
}
