using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Browser;

/// <summary>
/// The letter catalog in chromium (issue 16): an admin edits a template with a preview on a sample request, saving
/// keeps the history, a wording that drops the appeal-rights sentence is refused, and the next letter the workflow
/// sends uses the saved wording on the district's letterhead.
/// </summary>
[Collection(Lanes.Browser)]
public sealed class LetterCatalogBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync()
    {
        // The database is shared with the other classes: they read the shipped wording.
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<LetterTemplateVersion>().ExecuteDeleteAsync();
        }
        await _session.DisposeAsync();
    }

    [Fact]
    public async Task Admin_EditsWithPreview_SavesAVersion_CannotDropAppealRights_AndTheNextLetterUsesTheNewWording()
    {
        var (admin, errors) = await BrowserSignIn.SignInAsync(_session, Roles.Admin, "/admin/letters");
        foreach (var kind in new[] { "Acknowledgement", "Clarification question", "Extension (more time needed)", "Fee estimate", "Response", "Denial", "Withdrawal", "Release" })
        {
            await Assertions.Expect(admin.Locator(".letter-kinds a", new() { HasTextString = kind })).ToHaveCountAsync(1);
        }
        await Assertions.Expect(admin.Locator("#appeal-rights")).ToContainTextAsync(LetterCatalog.AppealRights);
        await Accessibility.AssertNoViolationsAsync(admin);
        await Shot(admin, "acknowledgement");

        // Clarification: change a sentence, preview it on the sample request, then save it with a note.
        await admin.Locator(".letter-kinds a", new() { HasTextString = "Clarification question" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#letter-in-use")).ToContainTextAsync("the wording shipped with the system");
        var body = admin.Locator("#Body");
        await body.FillAsync((await body.InputValueAsync()).Replace("we need a little more information:", "we need one more detail from you:", StringComparison.Ordinal));
        await admin.Locator("#preview-letter").ClickAsync();
        await Assertions.Expect(admin.Locator("#letter-message")).ToHaveTextAsync("Preview of your changes below; they are not saved yet.");
        await Assertions.Expect(admin.Locator("#preview-body")).ToContainTextAsync("we need one more detail from you:");
        await Assertions.Expect(admin.Locator("#preview-body")).ToContainTextAsync("Dear Sample Requester,");
        await Assertions.Expect(admin.Locator("#preview-body")).ToContainTextAsync("Which school years do you mean");
        await Assertions.Expect(admin.Locator("#letter-in-use")).ToContainTextAsync("the wording shipped with the system");
        await Shot(admin, "clarification-preview");
        await admin.Locator("#Note").FillAsync("Friendlier opening, asked by the superintendent.");
        await admin.Locator("#save-letter").ClickAsync();
        await Assertions.Expect(admin.Locator("#letter-message")).ToContainTextAsync("Saved.");
        await Assertions.Expect(admin.Locator("#letter-in-use")).ToContainTextAsync("version 1");
        await Assertions.Expect(admin.Locator("#letter-history tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(admin.Locator("#letter-history tbody tr").First).ToContainTextAsync("Friendlier opening, asked by the superintendent.");
        await Accessibility.AssertNoViolationsAsync(admin);
        await Shot(admin, "clarification-saved");

        // A fee estimate without the appeal-rights sentence is refused, and nothing is saved.
        await admin.GotoAsync("/admin/letters?kind=FeeEstimate");
        await body.FillAsync((await body.InputValueAsync()).Replace("{{appeal_rights}}", "", StringComparison.Ordinal));
        await admin.Locator("#save-letter").ClickAsync();
        await Assertions.Expect(admin.Locator("#letter-problems")).ToContainTextAsync("The letter must keep {{appeal_rights}}");
        await Assertions.Expect(admin.Locator("#letter-in-use")).ToContainTextAsync("the wording shipped with the system");
        await Shot(admin, "fee-refused");
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // The workflow's next clarification uses the saved wording, on the letterhead, greeting the requester by name.
        Request request;
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Name = "Robin Requester", Email = "robin@example.org", Description = "Bus contracts" }, RequestChannel.Email, CitedLaw.None, default);
        }
        await Lifecycles.WaitAtAsync(_session.App.Services, request.Id, "triage");
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            var published = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>().PublishAsync(request.Id, LifecycleEvent.TriageDecided, "clarify",
                "Which bus companies do you mean?", default);
            Assert.Equal(RequestLifecycle.PublishOutcome.Accepted, published.Outcome);
        }
        var letter = await WaitForLetterAsync(request.Id, MailKind.Clarification);
        Assert.Equal($"[{request.TrackingNumber}] A question about your records request", letter.Subject);
        Assert.Contains("we need one more detail from you:", letter.BodyText, StringComparison.Ordinal);
        Assert.Contains("Which bus companies do you mean?", letter.BodyText, StringComparison.Ordinal);
        Assert.Contains("Dear Robin Requester,", letter.BodyText, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^Demo Public Schools\n"), letter.BodyText);
    }

    private async Task<OutboundEmail> WaitForLetterAsync(Guid requestId, MailKind kind)
    {
        var deadline = DateTime.UtcNow + RequestLifecycle.StepPatience;
        while (true)
        {
            await using var scope = _session.App.Services.CreateAsyncScope();
            var letter = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<OutboundEmail>().AsNoTracking()
                .SingleOrDefaultAsync(m => m.RequestId == requestId && m.Kind == kind);
            if (letter is not null)
            {
                return letter;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No {kind} letter was queued within {RequestLifecycle.StepPatience}.");
            await Task.Delay(200);
        }
    }

    private static Task Shot(IPage page, string name) => Infrastructure.Browser.ScreenshotAsync(page, "letters-" + name);
}
