using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>axe-core in the real browser, limited to the WCAG 2.1 A/AA rules: the bar the requester pages must meet.</summary>
public static class Accessibility
{
    private static readonly List<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    public static async Task AssertNoViolationsAsync(IPage page)
    {
        var violations = await ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{page.Url} has WCAG 2.1 AA violations:\n" + string.Join("\n", violations));
    }

    /// <summary>The page's WCAG 2.1 A/AA violations in words, for a test that visits many pages and reports them together.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        var results = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags } });
        return results.Violations.Select(v => $"{page.Url}: {v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Html))}").ToList();
    }
}
