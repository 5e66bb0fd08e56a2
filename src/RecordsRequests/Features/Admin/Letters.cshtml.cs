using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Admin;

/// <summary>Each letter template as it reads for a sample request received now; nothing is saved.</summary>
[Authorize(Policy = Policies.Admins)]
public sealed class LettersModel(LetterTemplates templates, DistrictTime time) : PageModel
{
    public IReadOnlyList<LetterDraft> Drafts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var sample = RecordsRequests.Features.Requests.Request.Receive(Requester.Create("Sample Requester", "requester@example.org", null),
            "All contracts for school bus transportation, 2024 to date.", RequestChannel.Email, CitedLaw.MassachusettsPublicRecordsLaw, time.Now);
        sample.AssignTrackingNumber(time.Today.Year, 1);
        var drafts = new List<LetterDraft>();
        foreach (var kind in Enum.GetValues<LetterKind>())
        {
            drafts.Add(await templates.DraftAsync(kind, sample, cancellationToken));
        }
        Drafts = drafts;
    }
}
