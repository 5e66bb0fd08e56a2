using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// The one home of a request's fee: the calculator's estimate (950 CMR 32.07) from the request's own clocks, so a late
/// day-10 response zeroes it (950 CMR 32.06(2)(c)), recorded as evidence and written into the letter from the same lines.
/// </summary>
public sealed class FeeEstimates(AppDbContext db, RequestClockUpdater clocks, DistrictTime time, IOptions<FeeOptions> options)
{
    /// <summary>The estimate as it would be given now, and whether the response was late; nothing is stored.</summary>
    public async Task<(FeeEstimateResult Result, bool ResponseWasLate)> PreviewAsync(Guid requestId, FeeInput input, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == requestId, cancellationToken);
        var set = await clocks.RecomputeAsync(request, cancellationToken);
        var writtenResponseOn = await db.Set<RequestClockInput>().AsNoTracking().Where(i => i.RequestId == requestId)
            .Select(i => i.WrittenResponseOn).SingleOrDefaultAsync(cancellationToken);
        // 950 CMR 32.06(2)(c): no fee unless the RAO responded within ten business days of receipt.
        var late = set.ResponseWasLate(writtenResponseOn, time.Today);
        var rules = await clocks.RulesAsync(cancellationToken);
        return (FeeCalculator.Estimate(input, rules.PublicRecordsRegime, options.Value, late), late);
    }

    /// <summary>Computes the estimate and adds it to the caller's unit of work (its SaveChanges commits it).</summary>
    public async Task<(FeeEstimate Estimate, FeeEstimateResult Result)> AddEstimateAsync(Guid requestId, FeeInput input, CancellationToken cancellationToken)
    {
        var (result, late) = await PreviewAsync(requestId, input, cancellationToken);
        var estimate = FeeEstimate.Record(requestId, input, late, result, time.Now);
        db.Add(estimate);
        return (estimate, result);
    }

    public async Task<FeeEstimate> EstimateAsync(Guid requestId, FeeInput input, CancellationToken cancellationToken)
    {
        var (estimate, _) = await AddEstimateAsync(requestId, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return estimate;
    }

    /// <summary>Why an estimate with a fee cannot be sent for this input now, in words, or null.</summary>
    public async Task<string?> RefusalAsync(Guid requestId, FeeInput input, CancellationToken cancellationToken)
    {
        try
        {
            var (result, late) = await PreviewAsync(requestId, input, cancellationToken);
            if (late)
            {
                return "No fee may be charged: the written response was not sent within 10 business days of receipt (950 CMR 32.06(2)(c)). Choose “No fee”.";
            }
            return result.Total == 0m ? "This estimate comes to $0.00 (the free hours cover it); choose “No fee”." : null;
        }
        catch (DomainException e)
        {
            return e.Message;
        }
    }

    /// <summary>The itemised lines and notes of an estimate, as the requester reads them in the fee letter.</summary>
    public static string Itemised(FeeEstimateResult result)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        foreach (var line in result.Lines)
        {
            text.AppendLine(culture, $"- {line.Item}: {line.Quantity}{(line.Amount > 0 ? $" = ${line.Amount:0.00}" : "")} ({line.Basis})");
        }
        if (result.Reduction > 0)
        {
            text.AppendLine(culture, $"- Subtotal: ${result.Subtotal:0.00}; less ${result.Reduction:0.00}");
        }
        text.AppendLine(culture, $"- Total: ${result.Total:0.00}");
        foreach (var note in result.Notes)
        {
            text.AppendLine().AppendLine(note);
        }
        return text.ToString();
    }
}
