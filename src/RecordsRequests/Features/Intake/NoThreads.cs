namespace RecordsRequests.Features.Intake;

/// <summary>For a dry run without a database: no request exists, so nothing threads and every reply looks new.</summary>
public sealed class NoThreads : IThreadLookup
{
    public static readonly NoThreads Instance = new();

    public Task<ThreadMatch?> ByReplyTokensAsync(IReadOnlyCollection<string> tokens, CancellationToken cancellationToken) => Task.FromResult<ThreadMatch?>(null);

    public Task<ThreadMatch?> ByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken) => Task.FromResult<ThreadMatch?>(null);

    public Task<ThreadMatch?> ByTrackingNumberAsync(string trackingNumber, CancellationToken cancellationToken) => Task.FromResult<ThreadMatch?>(null);

    public Task<ThreadMatch?> ByRequesterSubjectAsync(string senderAddress, string normalizedSubject, CancellationToken cancellationToken) =>
        Task.FromResult<ThreadMatch?>(null);
}
