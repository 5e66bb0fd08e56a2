using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Admin;

/// <summary>
/// The letter catalog: every letter the district sends a requester, editable by an admin with a preview on a sample
/// request. Saving adds a version (the history keeps every earlier wording); a wording that drops a field the law
/// requires, or names one the letter does not have, is refused with the reason.
/// </summary>
[Authorize(Policy = Policies.Admins)]
public sealed class LettersModel(LetterCatalog catalog, LetterTemplates templates, DistrictTime time, ICurrentActor actor) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public LetterKind Kind { get; set; } = LetterKind.Acknowledgement;

    [BindProperty, Required(ErrorMessage = "Write a subject."), StringLength(300)]
    public string Subject { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Write the letter."), StringLength(20000)]
    public string Body { get; set; } = "";

    [BindProperty, StringLength(1000)]
    public string? Note { get; set; }

    public LetterDraft Preview { get; private set; } = null!;
    public IReadOnlyList<LetterTemplateVersion> History { get; private set; } = [];
    public IReadOnlyList<string> Problems { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var current = await catalog.CurrentAsync(Kind, cancellationToken);
        (Subject, Body) = (current.Subject, current.Body);
        await LoadAsync(cancellationToken);
    }

    /// <summary>Shows the edited wording on the sample request; nothing is saved.</summary>
    public async Task OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        Problems = LetterCatalog.Problems(Kind, new LetterText(Subject, Body));
        Message = Problems.Count == 0 ? "Preview of your changes below; they are not saved yet." : null;
        await LoadAsync(cancellationToken);
    }

    public async Task OnPostSaveAsync(CancellationToken cancellationToken)
    {
        Problems = ModelState.IsValid
            ? await catalog.SaveAsync(Kind, new LetterText(Subject, Body), Note ?? "", actor.Name, cancellationToken)
            : ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).ToList();
        if (Problems.Count == 0)
        {
            Message = $"Saved. Letters from now on use this wording ({Kind.Label()}).";
            Note = "";
        }
        await LoadAsync(cancellationToken);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        History = await catalog.HistoryAsync(Kind, cancellationToken);
        Preview = await templates.DraftAsync(Kind, new LetterText(Subject, Body), SampleRequest(), cancellationToken, inputs: SampleInputs(Kind));
    }

    private RecordsRequests.Features.Requests.Request SampleRequest()
    {
        var sample = RecordsRequests.Features.Requests.Request.Receive(Requester.Create("Sample Requester", "requester@example.org", null),
            "All contracts for school bus transportation, 2024 to date.", RequestChannel.Email, CitedLaw.MassachusettsPublicRecordsLaw, time.Now);
        sample.AssignTrackingNumber(time.Today.Year, 1);
        return sample;
    }

    /// <summary>What an officer, the workflow or a release would supply, made up for the preview (fee amounts stay to fill in).</summary>
    private static Dictionary<string, string?> SampleInputs(LetterKind kind) => new()
    {
        ["question"] = "Which school years do you mean, and is the transportation office the only place we should search?",
        ["outcome"] = "The district is releasing the records you requested in full.",
        ["details"] = "The contracts are attached as PDF files.",
        ["withheld"] = "  - Bid evaluation notes — G.L. c.4 §7 cl.26(d) — policy deliberation not yet final",
        ["note"] = kind == LetterKind.Withdrawal ? "Note: withdrawn by telephone on the requester's call." : null,
        ["documents"] = "  - Document 1: PRR-0001-000001 to PRR-0001-000012 (12 pages, in full)\n  - Document 2: PRR-0001-000013 to PRR-0001-000015 (3 pages, 1 redaction)",
        ["exemptions"] = "  - [26(c) Privacy] G.L. c.4 §7 cl.26(c): 1 redaction(s) of a driver's home address.",
        ["law_and_dates"] = "Your request is being processed under the Massachusetts Public Records Law, G.L. c.66 §10, and 950 CMR 32.00.\n\nKey dates: (computed for each request)",
        ["status_link"] = "(the requester's private status link)",
    };
}
