using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Intake;

/// <summary>An officer hands intake a message saved from another mailbox (.eml, or an .mbox of several).</summary>
[Authorize(Policy = Policies.Officers)]
public sealed class UploadModel(MailIntake intake, IOptions<IntakeOptions> options) : PageModel
{
    [BindProperty]
    public IFormFile? MailFile { get; set; }

    public IReadOnlyList<IntakeResult> Results { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (MailFile is null || MailFile.Length == 0)
        {
            ModelState.AddModelError(nameof(MailFile), "Choose an .eml or .mbox file.");
            return Page();
        }
        if (MailFile.Length > options.Value.MaxMessageBytes)
        {
            ModelState.AddModelError(nameof(MailFile), $"The file is larger than {options.Value.MaxMessageBytes / 1048576} MB.");
            return Page();
        }
        using var buffer = new MemoryStream();
        await MailFile.CopyToAsync(buffer, cancellationToken);
        var results = new List<IntakeResult>();
        var index = 0;
        foreach (var raw in MboxSplitter.Split(buffer.ToArray()))
        {
            results.Add(await intake.ReceiveAsync(raw, IntakeSource.Upload, $"{Path.GetFileName(MailFile.FileName)}#{index++}", cancellationToken));
        }
        Results = results;
        return Page();
    }
}
