using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Archive;

/// <summary>Archive search for records officers. Every search is audited: searching staff mail is itself a record.</summary>
[Authorize(Policy = Policies.Officers)]
public sealed class IndexModel(AuditedSearch search, AttachArchiveHits attach) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Custodian { get; set; }
    [BindProperty(SupportsGet = true)] public ArchiveSort Sort { get; set; }
    [BindProperty(SupportsGet = true)] public int P { get; set; } = 1;

    [BindProperty] public string? TrackingNumber { get; set; }
    [BindProperty] public List<Guid> Selected { get; set; } = [];
    [BindProperty] public bool AttachAll { get; set; }

    public ArchiveResult? Result { get; private set; }
    public string? Error { get; private set; }
    public string? Notice { get; private set; }

    public int PageCount => Result is null ? 0 : Math.Max(1, (Result.TotalHits + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Q))
        {
            await RunSearchAsync(cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Q))
        {
            Error = "Search first, then attach the hits.";
            return Page();
        }
        if (string.IsNullOrWhiteSpace(TrackingNumber))
        {
            Error = "Give the tracking number of the request the hits belong to.";
        }
        else if (!AttachAll && Selected.Count == 0)
        {
            Error = "Select hits to attach, or choose to attach all hits.";
        }
        else
        {
            try
            {
                var result = await attach.AttachAsync(TrackingNumber, CurrentQuery(), AttachAll ? null : Selected, cancellationToken);
                Notice = string.Create(CultureInfo.InvariantCulture,
                    $"Attached {result.Attached} candidate records to {result.TrackingNumber} ({result.AlreadyAttached} were already attached); the search was saved with the request.");
            }
            catch (DomainException e)
            {
                Error = e.Message;
            }
        }
        await RunSearchAsync(cancellationToken);
        return Page();
    }

    private ArchiveQuery CurrentQuery() => new(Q ?? "", From, To, Custodian, Sort, Math.Max(P, 1), PageSize);

    private async Task RunSearchAsync(CancellationToken cancellationToken)
    {
        var outcome = await search.SearchAsync(CurrentQuery(), cancellationToken);
        Result = outcome.Result;
        if (outcome.Error is not null)
        {
            Error = outcome.Error;
        }
    }

    public Dictionary<string, string> RouteFor(int page) => new()
    {
        ["q"] = Q ?? "",
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        ["custodian"] = Custodian ?? "",
        ["sort"] = Sort.ToString(),
        ["p"] = page.ToString(CultureInfo.InvariantCulture),
    };
}
