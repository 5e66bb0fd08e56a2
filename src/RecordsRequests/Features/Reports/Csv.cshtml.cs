using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Reports;

/// <summary>Each table of /reports as a CSV download (RFC 4180, UTF-8, CRLF line ends).</summary>
[Authorize(Policy = Policies.Officers)]
public sealed class CsvModel(RequestReports reports) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string table, CancellationToken cancellationToken)
    {
        var report = await reports.BuildAsync(cancellationToken);
        var rows = table switch
        {
            "monthly" => RequestReports.MonthsCsv(report),
            "overdue" => RequestReports.OverdueCsv(report),
            _ => null,
        };
        if (rows is null)
        {
            return NotFound();
        }
        var fileName = $"requests-{table}-{report.AsOf:yyyy-MM-dd}.csv";
        return File(Encoding.UTF8.GetBytes(RequestReports.Csv(rows)), "text/csv; charset=utf-8", fileName);
    }
}
