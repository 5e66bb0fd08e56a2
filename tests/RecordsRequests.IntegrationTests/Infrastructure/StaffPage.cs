using Microsoft.Playwright;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>A staff page in chromium, signed in through the sign-in page, and everything the browser reported as an error on it.</summary>
public sealed record StaffPage(IPage Page, IReadOnlyList<string> Errors, string Email)
{
    public void Deconstruct(out IPage page, out IReadOnlyList<string> errors) => (page, errors) = (Page, Errors);
}
