namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// What went wrong with a mailbox connection, in words district IT can act on, and the README section that fixes it.
/// The message never contains a secret or a token.
/// </summary>
public sealed class MailboxProblem(string plainWords, string setupSection, Exception? inner = null) : Exception(plainWords, inner)
{
    public string SetupSection { get; } = setupSection;

    /// <summary>Seconds the provider asked us to wait (throttling), when that is what ended the call.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
