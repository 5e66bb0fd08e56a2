using System.ComponentModel.DataAnnotations;
using RecordsRequests.Data;
using RecordsRequests.Features.Shared;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Requests;

/// <summary>Opens a request and gives it its tracking number, in one transaction.</summary>
public sealed class SubmitRequest(AppDbContext db, DistrictTime time, IEnumerable<IRequestOpeningContributor> contributors,
    IEnumerable<IRequestOpenedObserver> observers, ILogger<SubmitRequest> log)
{
    public sealed class Input
    {
        [StringLength(300)]
        [Display(Name = "Your name (optional)")]
        public string? Name { get; set; }

        [EmailAddress]
        [StringLength(320)]
        [Display(Name = "E-mail address")]
        public string? Email { get; set; }

        [StringLength(1000)]
        [Display(Name = "Postal address")]
        public string? PostalAddress { get; set; }

        [Required(ErrorMessage = "Describe the records you are asking for.")]
        [StringLength(20000)]
        [Display(Name = "Records you are requesting")]
        public string Description { get; set; } = "";
    }

    public async Task<Request> HandleAsync(Input input, RequestChannel channel, CitedLaw citedLaw, CancellationToken cancellationToken,
        DateTimeOffset? receivedAt = null)
    {
        Request request;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            request = await OpenInTransactionAsync(input, channel, citedLaw, cancellationToken, receivedAt);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await AnnounceAsync(request, cancellationToken);
        return request;
    }

    /// <summary>
    /// Opens a request inside the caller's transaction: it is numbered and added, with what must commit with it (its
    /// clocks), to the caller's unit of work, and the caller's save stores it with whatever else the caller adds (intake
    /// adds the message that asked, so the request and its message commit together or not at all, in one save). Once
    /// that transaction has committed the caller calls <see cref="AnnounceAsync"/>; observers that never hear of it
    /// recover it by their sweeps.
    /// </summary>
    /// <param name="reserveAhead">How many more requests the caller may open in this transaction (a batch of intake): their
    /// tracking numbers are drawn with this one's, in one statement, and the caller gives back those it did not use with
    /// <see cref="ReturnUnusedNumbersAsync"/> before it commits.</param>
    public async Task<Request> OpenInTransactionAsync(Input input, RequestChannel channel, CitedLaw citedLaw, CancellationToken cancellationToken,
        DateTimeOffset? receivedAt = null, int reserveAhead = 0)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A request is opened inside the transaction that saves it.");
        }
        // The one door every new request comes through, so the one place its words are made storable.
        var requester = Requester.Create(UntrustedText.CleanOrNull(input.Name), UntrustedText.CleanOrNull(input.Email), UntrustedText.CleanOrNull(input.PostalAddress));
        var request = Request.Receive(requester, UntrustedText.Clean(input.Description), channel, citedLaw, receivedAt ?? time.Now);
        var year = time.DateOf(request.ReceivedAt).Year;
        request.AssignTrackingNumber(year, await NextSequenceAsync(year, reserveAhead, cancellationToken));
        db.Requests.Add(request);
        // What must commit with it (its clocks) is added before the save.
        foreach (var contributor in contributors)
        {
            await contributor.AddToOpeningAsync(request, cancellationToken);
        }
        return request;
    }

    /// <summary>Tracking sequences drawn ahead in the current transaction and not used yet: Next to Last of Year.</summary>
    private (Guid Transaction, int Year, int Next, int Last)? _reserved;

    private async Task<int> NextSequenceAsync(int year, int reserveAhead, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction!.TransactionId;
        if (_reserved is { } reserved && reserved.Transaction == transaction && reserved.Year == year && reserved.Next <= reserved.Last)
        {
            _reserved = reserved with { Next = reserved.Next + 1 };
            return reserved.Next;
        }
        // Another year (a batch across midnight of December 31st): what was drawn for the last one goes back first.
        await ReturnUnusedNumbersAsync(cancellationToken);
        var first = await TrackingNumbers.ReserveAsync(db, year, 1 + reserveAhead, cancellationToken);
        if (reserveAhead > 0)
        {
            _reserved = (transaction, year, first + 1, first + reserveAhead);
        }
        return first;
    }

    /// <summary>
    /// Gives back the tracking sequences drawn ahead (<c>reserveAhead</c>) that no request used, so the numbers stay without
    /// gaps. Called inside the transaction that drew them, before it commits: its lock on the year's counter has kept
    /// every other submission waiting, so the unused ones are still the counter's last.
    /// </summary>
    public async Task ReturnUnusedNumbersAsync(CancellationToken cancellationToken)
    {
        if (_reserved is not { } reserved || db.Database.CurrentTransaction?.TransactionId != reserved.Transaction)
        {
            _reserved = null;
            return;
        }
        _reserved = null;
        if (reserved.Next <= reserved.Last)
        {
            await TrackingNumbers.ReturnAsync(db, reserved.Year, reserved.Next, reserved.Last, cancellationToken);
        }
    }

    /// <summary>Tells the observers of requests opened together (a batch of intake) once they have committed, all at once.</summary>
    public Task AnnounceAllAsync(IReadOnlyList<Request> requests, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return Task.CompletedTask;
        }
        var ids = requests.Select(r => r.Id).ToList();
        return TellObserversAsync(observer => observer.OnOpenedAsync(ids, cancellationToken),
            $"{ids.Count} requests together ({requests[0].TrackingNumber} and on)");
    }

    /// <summary>Tells the observers (the lifecycle) of a request whose opening has committed.</summary>
    public Task AnnounceAsync(Request request, CancellationToken cancellationToken) =>
        TellObserversAsync(observer => observer.OnOpenedAsync(request.Id, cancellationToken), request.TrackingNumber);

    private async Task TellObserversAsync(Func<IRequestOpenedObserver, Task> tell, string opened)
    {
        foreach (var observer in observers)
        {
            try
            {
                await tell(observer);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The requests are committed; the observer's own sweep picks up those it missed.
                log.LogWarning(e, "After opening {Opened}, {Observer} failed", opened, observer.GetType().Name);
            }
        }
    }
}
