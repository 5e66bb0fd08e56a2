using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Demo;

public static class DemoModule
{
    public static IServiceCollection AddDemo(this IServiceCollection services) =>
        services.AddCliCommand<SeedDemoCommand>("seed-demo", "create demo staff accounts and sample requests (idempotent)", "ops/records seed-demo");
}

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
    IOptions<RecordsOptions> options) : ICliCommand
{
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

    private async Task<int> SeedRequestsAsync(CancellationToken cancellationToken)
    {
        var officer = await users.FindByEmailAsync(Accounts[0].Email);
        var samples = new (string? Name, string? Email, string? Postal, string Description, CitedLaw Law, RequestChannel Channel, int DaysAgo, RequestStatus[] Path)[]
        {
            ("Jordan Reporter", "jordan@gazette.example", null, "All e-mails between the superintendent and the school committee chair about the bus contract, January–March.",
                CitedLaw.MassachusettsPublicRecordsLaw, RequestChannel.Email, 1, []),
            (null, "anon.parent@mail.example", null, "The district's current anti-bullying policy and the number of incidents reported last year.",
                CitedLaw.None, RequestChannel.WebForm, 3, [RequestStatus.Acknowledged]),
            ("Priya Lawyer", "priya@lawfirm.example", null, "Under the Freedom of Information Act, all contracts with food-service vendors since 2024.",
                CitedLaw.FederalFoia, RequestChannel.Email, 6, [RequestStatus.Acknowledged, RequestStatus.InTriage, RequestStatus.Collecting]),
            ("Sam Parent", "sam.parent@mail.example", null, "A copy of my daughter's complete student record under 603 CMR 23.",
                CitedLaw.StudentRecordRegulations, RequestChannel.Email, 8, [RequestStatus.Acknowledged, RequestStatus.InTriage, RequestStatus.AwaitingClarification]),
            ("Taylor Citizen", null, "12 Elm Street, Springfield, MA 01101", "Minutes of all school committee executive sessions in 2025.",
                CitedLaw.MassachusettsPublicRecordsLaw, RequestChannel.PostalMail, 12,
                [RequestStatus.Acknowledged, RequestStatus.InTriage, RequestStatus.Collecting, RequestStatus.InReview, RequestStatus.AwaitingCounsel]),
            ("Riley Researcher", "riley@univ.example", null, "Enrollment counts by grade for each school, 2020–2025.",
                CitedLaw.None, RequestChannel.WebForm, 30,
                [RequestStatus.Acknowledged, RequestStatus.InTriage, RequestStatus.Collecting, RequestStatus.Responded, RequestStatus.Closed]),
        };

        foreach (var sample in samples)
        {
            var receivedAt = time.Now.AddDays(-sample.DaysAgo);
            var request = await submit.HandleAsync(
                new SubmitRequest.Input { Name = sample.Name, Email = sample.Email, PostalAddress = sample.Postal, Description = sample.Description },
                sample.Channel, sample.Law, cancellationToken, receivedAt);
            if (sample.Path.Length > 0)
            {
                request.AssignTo(officer?.Id);
                foreach (var status in sample.Path)
                {
                    request.MoveTo(status, receivedAt.AddHours(1));
                }
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        return samples.Length;
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
