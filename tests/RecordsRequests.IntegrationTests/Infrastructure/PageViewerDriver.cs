using System.Text.Json;
using Microsoft.Playwright;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// Drives the review pages' page viewer (wwwroot/js/page-viewer.js) the way a person does: with the mouse over the page
/// picture. Word positions come from the page itself, so a test selects what an officer would see.
/// </summary>
public static class PageViewerDriver
{
    /// <summary>Shows the given page of the first viewer on the screen (the page number box, as a person types it).</summary>
    public static async Task ShowPageAsync(IPage page, int number, ILocator? viewer = null)
    {
        viewer ??= page.Locator(".page-viewer").First;
        var box = viewer.Locator(".page-number");
        await box.FillAsync(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await box.PressAsync("Enter");
        await box.DispatchEventAsync("change");
        await Assertions.Expect(viewer.Locator($"figure.page[data-page=\"{number}\"]")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Presses the mouse on the first word of the first occurrence of <paramref name="phrase"/> (words in reading order on
    /// one page), drags to its last word and lets go. Returns the page it was found on.
    /// </summary>
    public static async Task<int> DragOverWordsAsync(IPage page, string phrase, ILocator? viewer = null)
    {
        viewer ??= page.Locator(".page-viewer").First;
        var wanted = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var found = await viewer.EvaluateAsync<JsonElement>("""
            (root, wanted) => {
                for (const figure of root.querySelectorAll('figure.page')) {
                    const words = [...figure.querySelectorAll('.word')];
                    for (let i = 0; i + wanted.length <= words.length; i++) {
                        if (wanted.every((w, j) => words[i + j].textContent === w)) {
                            return { page: +figure.dataset.page, first: i, last: i + wanted.length - 1 };
                        }
                    }
                }
                return null;
            }
            """, wanted);
        if (found.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidOperationException($"\"{phrase}\" is not among the words on the pages.");
        }
        var number = found.GetProperty("page").GetInt32();
        await ShowPageAsync(page, number, viewer);
        var words = viewer.Locator($"figure.page[data-page=\"{number}\"] .word");
        var first = await Centre(words.Nth(found.GetProperty("first").GetInt32()));
        var last = await Centre(words.Nth(found.GetProperty("last").GetInt32()));
        await page.Mouse.MoveAsync(first.X, first.Y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((first.X + last.X) / 2, (first.Y + last.Y) / 2, new() { Steps = 4 });
        await page.Mouse.MoveAsync(last.X, last.Y, new() { Steps = 4 });
        await page.Mouse.UpAsync();
        return number;
    }

    /// <summary>
    /// Switches the mouse to drawing and drags a rectangle on a page, given in fractions of the page's width and height
    /// from its top-left corner.
    /// </summary>
    public static async Task DrawBoxAsync(IPage page, int number, double left, double top, double width, double height, ILocator? viewer = null)
    {
        viewer ??= page.Locator(".page-viewer").First;
        await viewer.GetByLabel("draws a box").CheckAsync();
        await ShowPageAsync(page, number, viewer);
        var sheet = viewer.Locator($"figure.page[data-page=\"{number}\"] .page-sheet");
        // A page at "fit width" is taller than the window: scroll the pages so the area to draw is in the middle, as a person would.
        await sheet.EvaluateAsync("""
            (sheet, middle) => {
                const page = sheet.getBoundingClientRect();
                window.scrollBy(0, page.top + page.height * middle - window.innerHeight / 2);
            }
            """, top + height / 2);
        var bounds = await sheet.BoundingBoxAsync() ?? throw new InvalidOperationException($"Page {number} is not on the screen.");
        float At(double start, double size, double fraction) => (float)(start + size * fraction);
        await page.Mouse.MoveAsync(At(bounds.X, bounds.Width, left), At(bounds.Y, bounds.Height, top));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(At(bounds.X, bounds.Width, left + width / 2), At(bounds.Y, bounds.Height, top + height / 2), new() { Steps = 5 });
        await page.Mouse.MoveAsync(At(bounds.X, bounds.Width, left + width), At(bounds.Y, bounds.Height, top + height), new() { Steps = 5 });
        await page.Mouse.UpAsync();
    }

    private static async Task<(float X, float Y)> Centre(ILocator element)
    {
        await element.ScrollIntoViewIfNeededAsync();
        var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException("The word is not on the screen.");
        return (box.X + box.Width / 2, box.Y + box.Height / 2);
    }
}
