using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;
using WorkflowCore.Interface;

namespace RecordsRequests.Features.Demo;

/// <summary>
/// Fills an empty database with a demo district: one account per role and a handful of requests in different states.
/// Running it again changes nothing and prints the same credentials, which are kept in the data folder.
/// </summary>
internal sealed class SeedDemoCommand(
    AppDbContext db,
    UserManager<StaffUser> users,
    RoleManager<IdentityRole> roles,
    SubmitRequest submit,
    DistrictTime time,
    IOptions<RecordsOptions> options,
    IServiceProvider provider,
    IWorkflowHost host,
    WorkflowDefinitions definitions) : ICliCommand
{
    public static string Name => "seed-demo";
    public static string Summary => "create demo staff accounts and sample requests (idempotent)";
    public static string Usage => "ops/records seed-demo    (load data for benchmarks: ops/benchmark synthetic-requests N)";

    internal static readonly (string Email, string Name, string Role)[] Accounts =
    [
        ("officer@demo.example", "Olivia Officer", Roles.RecordsOfficer),
        ("counsel@demo.example", "Carlos Counsel", Roles.Counsel),
        ("admin@demo.example", "Ada Admin", Roles.Admin),
    ];

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        new CliArguments(arguments, new HashSet<string>()).RejectUnknown();
        var password = await DemoPasswordAsync(cancellationToken);

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }
        foreach (var (email, name, role) in Accounts)
        {
            if (await users.FindByEmailAsync(email) is null)
            {
                var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
                Check(await users.CreateAsync(user, password));
                Check(await users.AddToRoleAsync(user, role));
            }
        }

        var created = await db.Requests.AnyAsync(cancellationToken) ? 0 : await SeedRequestsAsync(cancellationToken);

        Console.WriteLine($"Demo district ready ({created} sample requests added). Sign in with any of:");
        foreach (var (email, _, role) in Accounts)
        {
            Console.WriteLine($"  {role,-15} {email,-24} password: {password}");
        }
        return 0;
    }

    private sealed record Decision(LifecycleEvent Event, string Outcome, string? Comments = null);

    /// <summary>
    /// Each sample is submitted like a real request and then decided step by step through its lifecycle, as an officer
    /// would on the request page, so the demo's statuses, letters, audit trail and workflows agree with each other.
    /// </summary>
    private async Task<int> SeedRequestsAsync(CancellationToken cancellationToken)
    {
        var officer = await users.FindByEmailAsync(Accounts[0].Email);
        Decision[] triaged = [new(LifecycleEvent.TriageDecided, "public-records")];
        var samples = new (string? Name, string? Email, string? Postal, string Description, CitedLaw Law, RequestChannel Channel, int DaysAgo, Decision[] Path)[]
        {
            ("Jordan Reporter", "jordan@gazette.example", null, "All e-mails between the superintendent and the school committee chair about the bus contract, January–March.",
                CitedLaw.MassachusettsPublicRecordsLaw, RequestChannel.Email, 1, []),
            (null, "anon.parent@mail.example", null, "The district's current anti-bullying policy and the number of incidents reported last year.",
                CitedLaw.None, RequestChannel.WebForm, 3, []),
            ("Priya Lawyer", "priya@lawfirm.example", null, "Under the Freedom of Information Act, all contracts with food-service vendors since 2024.",
                CitedLaw.FederalFoia, RequestChannel.Email, 6, triaged),
            ("Sam Parent", "sam.parent@mail.example", null, "A copy of my daughter's complete student record under 603 CMR 23.",
                CitedLaw.StudentRecordRegulations, RequestChannel.Email, 8,
                [new(LifecycleEvent.TriageDecided, "clarify", "Which school does your daughter attend, and what is her date of birth? We need both to find her record and confirm your access under 603 CMR 23.07.")]),
            ("Taylor Citizen", null, "12 Elm Street, Springfield, MA 01101", "Minutes of all school committee executive sessions in 2025.",
                CitedLaw.MassachusettsPublicRecordsLaw, RequestChannel.PostalMail, 12,
                [.. triaged, new(LifecycleEvent.CollectionCompleted, "collected"), new(LifecycleEvent.ReviewCompleted, "ready")]),
            ("Riley Researcher", "riley@univ.example", null, "Enrollment counts by grade for each school, 2020–2025.",
                CitedLaw.None, RequestChannel.WebForm, 30,
                [.. triaged, new(LifecycleEvent.CollectionCompleted, "no-records"), new(LifecycleEvent.ResponseChosen, "no-records"),
                    new(LifecycleEvent.AppealWindowResolved, "close")]),
        };

        var paths = new List<(Guid RequestId, Decision[] Path)>();
        foreach (var sample in samples)
        {
            var request = await submit.HandleAsync(
                new SubmitRequest.Input { Name = sample.Name, Email = sample.Email, PostalAddress = sample.Postal, Description = sample.Description },
                sample.Channel, sample.Law, cancellationToken, time.Now.AddDays(-sample.DaysAgo));
            if (sample.Path.Length > 0)
            {
                request.AssignTo(officer?.Id);
                await db.SaveChangesAsync(cancellationToken);
            }
            paths.Add((request.Id, sample.Path));
        }

        // The engine runs here only while the decisions are made; the web host's worker carries on from where it stops.
        provider.ApplyEngineOptions();
        definitions.EnsureRegistered();
        await host.StartAsync(cancellationToken);
        try
        {
            foreach (var (requestId, path) in paths)
            {
                foreach (var decision in path)
                {
                    await DecideWhenWaitingAsync(requestId, decision, cancellationToken);
                }
                // Before the engine stops, let the last decision (or the automatic acknowledgement) take effect: the
                // workflow then waits for its next event, or has ended.
                var last = path.Length == 0 ? (LifecycleEvent?)null : path[^1].Event;
                await UntilAsync(requestId, view => view.Waiting.Count > 0 && view.Waiting.All(w => w.Event != last), cancellationToken);
            }
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
        return samples.Length;
    }

    private async Task DecideWhenWaitingAsync(Guid requestId, Decision decision, CancellationToken cancellationToken)
    {
        await UntilAsync(requestId, view => view.Waiting.Any(w => w.Event == decision.Event), cancellationToken);
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HttpOrSystemActor>().SystemName = Accounts[0].Email;
        var result = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>()
            .PublishAsync(requestId, decision.Event, decision.Outcome, decision.Comments, cancellationToken);
        if (result.Outcome != RequestLifecycle.PublishOutcome.Accepted)
        {
            throw new InvalidOperationException($"The demo could not record {decision.Event} = {decision.Outcome}: {result.Reason}");
        }
    }

    /// <summary>Polls the request's lifecycle until the condition holds; a minute without it means the engine is stuck.</summary>
    private async Task UntilAsync(Guid requestId, Func<RequestLifecycle.LifecycleView, bool> condition, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using (var scope = provider.CreateAsyncScope())
            {
                if (await scope.ServiceProvider.GetRequiredService<RequestLifecycle>().DescribeAsync(requestId, cancellationToken) is { } view
                    && (condition(view) || view.Status != WorkflowCore.Models.WorkflowStatus.Runnable))
                {
                    return;
                }
            }
            if (waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException($"The lifecycle of demo request {requestId} did not move on within a minute; see /admin/workflows.");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The demo password is made once per data folder and kept there (readable by its owner only).</summary>
    private async Task<string> DemoPasswordAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(options.DataPath(), "demo-password.txt");
        if (File.Exists(file))
        {
            return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }
        var password = "Demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await File.WriteAllTextAsync(file, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return password;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
