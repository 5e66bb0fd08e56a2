using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Requests;

/// <summary>
/// The person or organisation asking. A name is never required: anonymous requests are valid
/// (950 CMR 32.06(1)(c) forbids requiring identification), but the district needs somewhere to send the response.
/// </summary>
public sealed class Requester : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string? Name { get; private set; }
    public string? Email { get; private set; }
    public string? PostalAddress { get; private set; }
    public string? Organization { get; private set; }

    private Requester() { }

    public static Requester Create(string? name, string? email, string? postalAddress, string? organization = null)
    {
        email = Normalize(email)?.ToLowerInvariant();
        postalAddress = Normalize(postalAddress);
        if (email is null && postalAddress is null)
        {
            throw new DomainException("A requester needs an e-mail or postal address so the district can respond.");
        }
        return new Requester
        {
            Name = Normalize(name),
            Email = email,
            PostalAddress = postalAddress,
            Organization = Normalize(organization),
        };
    }

    public bool IsAnonymous => Name is null;

    public string DisplayName => Name ?? Email ?? "Anonymous requester";

    private static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
