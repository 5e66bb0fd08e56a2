using System.Text.Json;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Releases;

/// <summary>ops/records check-pdf: screens incoming PDFs for text left under painted-over boxes.</summary>
internal sealed class CheckPdfCommand : ICliCommand
{
    public static string Name => "check-pdf";
    public static string Summary => "flag PDFs whose text lies under filled boxes (failed redactions)";
    public static string Usage => "ops/records check-pdf <file.pdf>... [--json]\n  Exit code 1 if any file has text hidden under a filled box.";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var options = new CliArguments(arguments, new HashSet<string> { "json" });
        options.RejectUnknown("json");
        if (options.Positional.Count == 0)
        {
            throw new UsageException("Name at least one PDF.");
        }
        var reports = new List<OverlayReport>();
        foreach (var path in options.Positional)
        {
            reports.Add(PdfOverlayInspector.Inspect(Path.GetFileName(path), await File.ReadAllBytesAsync(path, cancellationToken)));
        }
        if (options.Has("json"))
        {
            var json = reports.Select(r => new { file = r.File, pages = r.Pages, hiddenText = r.HasHiddenText, findings = r.Findings });
            Console.WriteLine(JsonSerializer.Serialize(reports.Count == 1 ? (object)json.Single() : json, ReleaseJson.Options));
        }
        else
        {
            foreach (var report in reports)
            {
                Console.WriteLine(report.HasHiddenText
                    ? $"{report.File}: HIDDEN TEXT under {report.Findings.Count} box(es), {report.Findings.Sum(f => f.Characters)} characters"
                    : $"{report.File}: no text under filled boxes");
                foreach (var finding in report.Findings)
                {
                    Console.WriteLine($"  page {finding.Page} box ({finding.Left},{finding.Bottom})-({finding.Right},{finding.Top}): {finding.Characters} characters");
                }
            }
        }
        return reports.Any(r => r.HasHiddenText) ? 1 : 0;
    }
}
