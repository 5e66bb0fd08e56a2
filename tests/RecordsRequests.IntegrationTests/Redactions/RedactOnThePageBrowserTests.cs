using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Redactions;

/// <summary>
/// Review on the page, in chromium, from upload to release: the records page follows the conversion by itself, the
/// officer draws a box on the page picture with the mouse, counsel see it and approve, and the released PDF has the
/// box painted black where it was drawn (rendered with pdftoppm, as a requester's viewer would show it).
/// </summary>
[Collection(Lanes.BrowserCasework)]
public sealed partial class RedactOnThePageBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    /// <summary>Errors in the browser's console, CSP violations included: our pages have none.</summary>
    private readonly List<string> _consoleErrors = [];

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task BoxDrawnWithTheMouse_ApprovedByCounsel_IsBlackOnTheReleasedPage()
    {
        var tracking = await CreateRequestAsync();
        var records = $"/requests/{tracking}/records";
        var officer = await SignInAsync(Roles.RecordsOfficer, records);
        var original = ReleasePdfWriter.Write(
            "Field trip permission, Westfield Middle School\n\nParent signature: ______________________\n\nThe bus leaves at eight from the front entrance.",
            "ORIG", 1).Content;

        await officer.Locator("#Document").SetInputFilesAsync(new FilePayload { Name = "permission-slip.pdf", MimeType = "application/pdf", Buffer = original });
        await officer.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#records-message")).ToHaveTextAsync("Uploaded permission-slip.pdf; its pages are being prepared.");
        // The records page updates itself: the name becomes a link when the pages are ready, with no reload.
        var link = officer.GetByRole(AriaRole.Link, new() { Name = "permission-slip.pdf" });
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = (float)RecordPagesWait.Limit.TotalMilliseconds });
        await Assertions.Expect(officer.Locator("tr", new() { Has = link }).Locator(".state-words")).ToHaveTextAsync("1 page");
        await link.ClickAsync();
        await officer.WaitForFunctionAsync("() => { const i = document.querySelector('.page-viewer figure:not([hidden]) img'); return i && i.complete && i.naturalWidth > 0; }");

        // A box over the lower middle of page 1, drawn with the mouse; then Shift+Right moves it ten points.
        await PageViewerDriver.DrawBoxAsync(officer, 1, 0.25, 0.5, 0.4, 0.12);
        await Assertions.Expect(officer.Locator("#add-redaction-page")).ToHaveValueAsync("1");
        await Assertions.Expect(officer.Locator(".box.draft")).ToBeFocusedAsync();
        var drawnX = double.Parse(await officer.Locator("#add-redaction-x").InputValueAsync(), CultureInfo.InvariantCulture);
        await officer.Keyboard.PressAsync("Shift+ArrowRight");
        await Assertions.Expect(officer.Locator("#add-redaction-x")).ToHaveValueAsync((Math.Round((drawnX + 10) * 100) / 100).ToString(CultureInfo.InvariantCulture));
        await officer.Locator("#add-redaction-category").SelectOptionAsync(new SelectOptionValue { Label = "Other withheld information" });
        await officer.Locator("#add-redaction-exemption").SelectOptionAsync(ExemptionCatalog.Privacy);
        await Infrastructure.Browser.ScreenshotAsync(officer, "page-review-01-box-drawn");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Redact the area" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#record-message")).ToContainTextAsync("Area redacted on page 1");
        await Assertions.Expect(officer.Locator(".box.accepted.area .box-label")).ToHaveTextAsync(ExemptionCatalog.Privacy);
        // The page returns showing the new box where the officer was working.
        await Assertions.Expect(officer.Locator(".box.accepted.area")).ToBeInViewportAsync();
        await Infrastructure.Browser.ScreenshotAsync(officer, "page-review-02-officer-box");
        await Accessibility.AssertNoViolationsAsync(officer);
        var box = await QueryAsync(db => db.Set<Redaction>().Where(r => r.Record.Request.TrackingNumber == tracking).Select(r => r.Boxes).SingleAsync());
        var drawn = Assert.Single(box);
        Assert.Equal(drawnX + 10, drawn.X, 1);

        await officer.GotoAsync(records);
        await officer.Locator("#send-to-counsel").ClickAsync();
        await Assertions.Expect(officer.Locator("#records-message")).ToHaveTextAsync("Sent to counsel.");

        var counsel = await SignInAsync(Roles.Counsel, $"/counsel/{tracking}");
        await Assertions.Expect(counsel.Locator(".page-viewer.ready .box.accepted.area")).ToHaveCountAsync(1);
        await counsel.WaitForFunctionAsync("() => { const i = document.querySelector('.page-viewer figure:not([hidden]) img'); return i && i.complete && i.naturalWidth > 0; }");
        // "page 1" in the list of redactions brings the box into view.
        await counsel.Locator("table.redactions .show-box").ClickAsync();
        await Assertions.Expect(counsel.Locator(".box.accepted.area")).ToBeInViewportAsync();
        await Infrastructure.Browser.ScreenshotAsync(counsel, "page-review-03-counsel");
        await counsel.Locator("#approve").ClickAsync();
        await Assertions.Expect(counsel.Locator("#counsel-message")).ToHaveTextAsync("Approved.");
        await Assertions.Expect(counsel.Locator(".box.approved.area")).ToHaveCountAsync(1);
        await Accessibility.AssertNoViolationsAsync(counsel);

        await officer.GotoAsync(records);
        await officer.Locator("#release").ClickAsync();
        await officer.Locator("#confirm-release").ClickAsync();
        var releaseLink = officer.Locator("#release-link a");
        await Assertions.Expect(releaseLink).ToBeVisibleAsync();
        var listing = await (await officer.Context.APIRequest.GetAsync(new Uri(await releaseLink.InnerTextAsync()).PathAndQuery)).TextAsync();
        var pdfLink = Regex.Match(listing, $"href=\"(/release/[^\"]+/files/[^\"]+)\">{Regex.Escape(tracking)}-000001\\.pdf<");
        Assert.True(pdfLink.Success, listing);
        var released = await (await officer.Context.APIRequest.GetAsync(pdfLink.Groups[1].Value)).BodyAsync();

        // At 72 dpi a pixel is a point, and released pages keep the original's top-left origin (the Bates strip is below).
        var (before, after) = (await RenderAsync(original), await RenderAsync(released));
        var inside = new Rectangle((int)Math.Ceiling(drawn.X) + 2, (int)Math.Ceiling(drawn.Y) + 2, (int)drawn.Width - 4, (int)drawn.Height - 4);
        Assert.True(before.DarkShare(inside) < 0.2, $"The original is already dark where the box was drawn ({before.DarkShare(inside):P0}); the test proves nothing.");
        // Solid black, but for the exemption's label painted in white inside the box; its corners are always black.
        Assert.True(after.DarkShare(inside) > 0.8, $"Only {after.DarkShare(inside):P0} of the box is black on the released page.");
        foreach (var corner in inside.Corners(4))
        {
            Assert.Equal(1.0, after.DarkShare(corner));
        }
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task RecordsPage_FollowsConversionAndShowsAFailureWithItsReason_WithoutAReload()
    {
        var tracking = await CreateRequestAsync();
        var records = $"/requests/{tracking}/records";
        var officer = await SignInAsync(Roles.RecordsOfficer, records);
        var longText = string.Join("\n\n", Enumerable.Range(1, 160).Select(i => $"Paragraph {i}. The committee reviewed the bus routes and the lunch schedule for the spring term."));
        await UploadAsync(officer, "committee-minutes.pdf", "application/pdf", ReleasePdfWriter.Write(longText, "MIN", 1).Content);
        await UploadAsync(officer, "scan-broken.pdf", "application/pdf", Encoding.ASCII.GetBytes("%PDF-1.7\nthis is not a PDF at all\n%%EOF"));
        await officer.EvaluateAsync("() => window.notReloaded = true");
        await Infrastructure.Browser.ScreenshotAsync(officer, "records-01-converting");

        var broken = officer.Locator("tr", new() { HasText = "scan-broken.pdf" });
        await Assertions.Expect(broken.Locator(".pages-state")).ToContainTextAsync("Failed:", new() { Timeout = (float)RecordPagesWait.Limit.TotalMilliseconds });
        Assert.False(string.IsNullOrWhiteSpace(await broken.Locator(".failure").InnerTextAsync()));
        await Infrastructure.Browser.ScreenshotAsync(officer, "records-02-one-failed");
        var minutes = officer.Locator("tr", new() { HasText = "committee-minutes.pdf" });
        await Assertions.Expect(minutes.Locator(".state-words")).ToHaveTextAsync(new Regex(@"^\d+ pages$"), new() { Timeout = (float)RecordPagesWait.Limit.TotalMilliseconds });
        await Assertions.Expect(officer.Locator("#records-progress")).ToHaveTextAsync("1 record could not be made into pages (see its reason).");
        Assert.True(await officer.EvaluateAsync<bool>("() => window.notReloaded === true"), "The records page reloaded instead of updating itself.");
        await Infrastructure.Browser.ScreenshotAsync(officer, "records-03-done");
        await Accessibility.AssertNoViolationsAsync(officer);
        Assert.Empty(_consoleErrors);
    }

    private static async Task UploadAsync(IPage officer, string name, string type, byte[] content)
    {
        await officer.Locator("#Document").SetInputFilesAsync(new FilePayload { Name = name, MimeType = type, Buffer = content });
        await officer.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#records-message")).ToHaveTextAsync($"Uploaded {name}; its pages are being prepared.");
    }

    private async Task<IPage> SignInAsync(string role, string then)
    {
        var email = await WebSession.CreateStaffAsync(_session.App, role);
        var context = await _session.NewContextAsync();
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // The site has no favicon yet (issue 16); that 404 is not this page's error.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        await page.GotoAsync(then);
        await WebSession.SignInInBrowserAsync(page, email);
        await Infrastructure.Browser.WaitForAddressAsync(page, new Regex(Regex.Escape(then) + "$"));
        return page;
    }

    private async Task<string> CreateRequestAsync()
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "parent@example.org", Description = "Permission slips for the May field trip" }, RequestChannel.WebForm, CitedLaw.None, default);
        // Triaged, records being collected: where an officer uploads, redacts and sends the set to counsel.
        await Lifecycles.DriveToAsync(_session.App.Services, request.Id, "collect");
        return request.TrackingNumber;
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Page 1 of a PDF rendered by poppler's pdftoppm at 72 dpi in greyscale.</summary>
    private static async Task<GreyImage> RenderAsync(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("page-review-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "in.pdf"), pdf);
            var start = new ProcessStartInfo("pdftoppm", ["-r", "72", "-gray", "-f", "1", "-l", "1", "-singlefile", "in.pdf", "page"])
            {
                WorkingDirectory = folder,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftoppm did not start (apt-get install poppler-utils).");
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"pdftoppm failed: {errors}");
            return GreyImage.ReadPgm(await File.ReadAllBytesAsync(Path.Combine(folder, "page.pgm")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Rectangle(int X, int Y, int Width, int Height)
    {
        public IEnumerable<Rectangle> Corners(int size) =>
        [
            new(X, Y, size, size), new(X + Width - size, Y, size, size),
            new(X, Y + Height - size, size, size), new(X + Width - size, Y + Height - size, size, size),
        ];
    }

    /// <summary>A binary PGM (P5) as pdftoppm writes it: one byte a pixel, 0 black.</summary>
    private sealed class GreyImage(int width, int height, byte[] pixels)
    {
        public static GreyImage ReadPgm(byte[] file)
        {
            var header = HeaderFields().Match(Encoding.ASCII.GetString(file, 0, Math.Min(file.Length, 64)));
            Assert.True(header.Success, "pdftoppm did not write a binary PGM.");
            var width = int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
            var height = int.Parse(header.Groups[2].Value, CultureInfo.InvariantCulture);
            return new GreyImage(width, height, file[header.Length..(header.Length + width * height)]);
        }

        /// <summary>The share of the rectangle's pixels that are nearly black.</summary>
        public double DarkShare(Rectangle area)
        {
            Assert.True(area.X >= 0 && area.Y >= 0 && area.X + area.Width <= width && area.Y + area.Height <= height, $"{area} is off the {width}×{height} page.");
            var dark = 0;
            for (var y = area.Y; y < area.Y + area.Height; y++)
            {
                for (var x = area.X; x < area.X + area.Width; x++)
                {
                    dark += pixels[y * width + x] < 60 ? 1 : 0;
                }
            }
            return (double)dark / (area.Width * area.Height);
        }
    }

    [GeneratedRegex(@"^P5\s+(\d+)\s+(\d+)\s+255\s")]
    private static partial Regex HeaderFields();
}
