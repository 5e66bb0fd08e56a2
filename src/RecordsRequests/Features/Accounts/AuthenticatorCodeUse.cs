namespace RecordsRequests.Features.Accounts;

/// <summary>The last authenticator time step (30-second window, RFC 6238) whose code signed a member in.</summary>
public sealed class AuthenticatorCodeUse
{
    public string UserId { get; private set; } = "";
    public long LastTimeStep { get; private set; }

    private AuthenticatorCodeUse() { }
}
