using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Correspondence;

/// <summary>
/// What every letter to a requester carries around its own words: the district's letterhead, the date, the addressee
/// by name where known, the request it answers (its tracking number, when it arrived and what it asked), and the
/// signature of the officer who sends it. One home, so no letter goes out as "Dear requester" without a date.
/// </summary>
public sealed class Letterhead(AppDbContext db, DistrictTime time, IOptions<RecordsOptions> records)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The request's words are restated up to this many characters.</summary>
    public const int RestateCut = 600;

    public async Task<string> WrapAsync(Request request, string body, string? sender, CancellationToken cancellationToken)
    {
        var options = records.Value;
        var text = new StringBuilder();
        text.AppendLine(options.DistrictName);
        if (!string.IsNullOrWhiteSpace(options.DistrictAddress))
        {
            text.AppendLine(options.DistrictAddress.Trim());
        }
        text.AppendLine("Office of the Records Access Officer").AppendLine();
        text.AppendLine(time.Today.ToString("MMMM d, yyyy", English)).AppendLine();
        if (request.Requester.Name is { Length: > 0 } name)
        {
            text.AppendLine(name);
        }
        if (request.Requester.PostalAddress is { Length: > 0 } postal)
        {
            text.AppendLine(postal);
        }
        text.AppendLine();
        text.AppendLine(English, $"Re: Public records request {request.TrackingNumber}, received {time.DateOf(request.ReceivedAt).ToString("MMMM d, yyyy", English)}");
        var asked = request.Description.Length > RestateCut ? request.Description[..RestateCut] + " …" : request.Description;
        text.AppendLine(English, $"You asked for: “{asked.Trim()}”").AppendLine();
        text.AppendLine(English, $"Dear {Greeting.NameFor(request.Requester.Name)},").AppendLine();
        text.AppendLine(body.Trim()).AppendLine();
        text.AppendLine("Sincerely,").AppendLine();
        text.AppendLine(await SignerAsync(sender, cancellationToken));
        text.AppendLine(English, $"Records Access Officer, {options.DistrictName}");
        return text.ToString();
    }

    /// <summary>The sending officer's name on file; else the configured records access officer; else the office.</summary>
    private async Task<string> SignerAsync(string? sender, CancellationToken cancellationToken)
    {
        var name = sender is null ? null : await db.Users.AsNoTracking().Where(u => u.UserName == sender || u.Email == sender)
            .Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        return !string.IsNullOrWhiteSpace(name) ? name : records.Value.RecordsAccessOfficer is { Length: > 0 } configured ? configured : "The Records Access Officer";
    }
}
