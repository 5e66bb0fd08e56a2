using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Shared;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Status;

/// <summary>Hands out confirmation links, confirms addresses and answers whether a request's address is confirmed.</summary>
public sealed class AddressConfirmations(AppDbContext db, Outbox outbox, TimeProvider clock, IOptions<RecordsOptions> options)
{
    public const string RoutePrefix = "/confirm-address/";

    /// <summary>A requester may ask for a new link this often; more would let a status-link holder fill the inbox.</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromMinutes(10);

    /// <summary>Issues a link on the caller's unit of work (saved with the e-mail that carries it) and returns its address.</summary>
    public string Issue(Guid requestId, string email)
    {
        var token = SecretLinkToken.Create();
        db.Add(AddressConfirmation.Create(requestId, email, SecretLinkToken.Hash(token), clock.GetUtcNow()));
        return options.Value.PublicBaseUrl.TrimEnd('/') + RoutePrefix + token;
    }

    /// <summary>The words the acknowledgement and the resent e-mail use, so the requester reads the same thing twice.</summary>
    public static string Explain(string confirmUrl, string email) =>
        $"Please confirm that {email} is your address by opening this link:\n{confirmUrl}\n"
        + "Once you have, e-mails you send us from this address about your request are added to it straight away. Until then an officer checks them first, "
        + "because anyone can put someone else's address on an e-mail. Replying to our e-mails always reaches your request.";

    /// <summary>Null when the requester gave no e-mail address (nothing to confirm).</summary>
    public async Task<bool?> IsConfirmedAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var email = await db.Requests.AsNoTracking().Where(r => r.Id == requestId).Select(r => r.Requester.Email).SingleOrDefaultAsync(cancellationToken);
        return email is null ? null : await IsConfirmedAsync(db, requestId, email, cancellationToken);
    }

    /// <summary>The rule, in one place: the requester opened a link sent to the address the request has now.</summary>
    public static async Task<bool> IsConfirmedAsync(AppDbContext db, Guid requestId, string? email, CancellationToken cancellationToken) =>
        email is not null && await db.Set<AddressConfirmation>().AnyAsync(c => c.RequestId == requestId && c.Email == email && c.ConfirmedAt != null, cancellationToken);

    public async Task<ConfirmationView?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        var confirmation = await ByTokenAsync(token, cancellationToken);
        if (confirmation is null)
        {
            return null;
        }
        var tracking = await db.Requests.AsNoTracking().Where(r => r.Id == confirmation.RequestId).Select(r => r.TrackingNumber).SingleAsync(cancellationToken);
        return new ConfirmationView(tracking, confirmation.Email, confirmation.ConfirmedAt is not null);
    }

    /// <summary>Marks the link's address as the requester's; null for an unknown link.</summary>
    public async Task<ConfirmationView?> ConfirmAsync(string? token, CancellationToken cancellationToken)
    {
        var confirmation = await ByTokenAsync(token, cancellationToken);
        if (confirmation is null)
        {
            return null;
        }
        confirmation.Confirm(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return await FindAsync(token, cancellationToken);
    }

    /// <summary>
    /// Sends a fresh link to the request's address, unless one went out within <see cref="ResendInterval"/>. Returns
    /// when the last link was sent, so the page can say so.
    /// </summary>
    public async Task<(bool Sent, DateTimeOffset? LastSentAt)> ResendAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new { r.TrackingNumber, r.Requester.Email, r.Requester.Name }).SingleAsync(cancellationToken);
        if (request.Email is null)
        {
            return (false, null);
        }
        var last = await db.Set<AddressConfirmation>().Where(c => c.RequestId == requestId).MaxAsync(c => (DateTimeOffset?)c.SentAt, cancellationToken);
        if (last is { } sent && clock.GetUtcNow() - sent < ResendInterval)
        {
            return (false, last);
        }
        var url = Issue(requestId, request.Email);
        outbox.Queue(requestId, MailKind.AddressConfirmation, request.Email, request.Name, $"[{request.TrackingNumber}] Please confirm your e-mail address",
            $"Dear {Greeting.NameFor(request.Name)},\n\n{Explain(url, request.Email)}\n\nIf you did not ask for this, you can ignore this e-mail.\n");
        await db.SaveChangesAsync(cancellationToken);
        return (true, clock.GetUtcNow());
    }

    private async Task<AddressConfirmation?> ByTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SecretLinkToken.IsPlausible(token))
        {
            return null;
        }
        var hash = SecretLinkToken.Hash(token!);
        return await db.Set<AddressConfirmation>().SingleOrDefaultAsync(c => c.TokenHash == hash, cancellationToken);
    }
}
