using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// The "add a redaction" form of the officer's and counsel's review pages: selected words (the character offsets of the
/// first and last word, as wwwroot/js/page-viewer.js fills them), the exact text (for a browser without script), or an
/// area of a page drawn with the mouse, nudged with the keyboard or typed in points or percent.
/// </summary>
public sealed class RedactionInput
{
    public int? Start { get; set; }
    public int? End { get; set; }
    /// <summary>The exact text to withhold: every occurrence not already redacted is added.</summary>
    public string? Exact { get; set; }
    public int? Page { get; set; }
    public double? X { get; set; }
    public double? Y { get; set; }
    public double? Width { get; set; }
    public double? Height { get; set; }
    public AreaUnit Unit { get; set; } = AreaUnit.Points;
    public RedactionCategory Category { get; set; } = RedactionCategory.Other;
    public string? ExemptionCode { get; set; } = ExemptionCatalog.Ferpa;
    public string? Note { get; set; }

    /// <summary>Adds the selected words or the exact text; says what was done in words.</summary>
    public async Task<AddResult> AddWordsAsync(RedactionReview review, AppDbContext db, Record record, string actor, CancellationToken cancellationToken)
    {
        var note = Note ?? "";
        if (Start is { } start && End is { } end)
        {
            var added = await review.AddAsync(record.Id, start, end, Category, ExemptionCode ?? "", note, actor, cancellationToken);
            return new AddResult($"Redaction added: “{added.Text}” on {PagesOf(added)}.", added);
        }
        if (string.IsNullOrEmpty(Exact))
        {
            return new AddResult("Select words on the page, or type the exact text to redact.");
        }
        var text = (await review.ReadTextAsync(record, cancellationToken)).Text;
        var taken = await db.Set<Redaction>().Where(r => r.RecordId == record.Id && r.Kind == RedactionKind.Text && r.Status != RedactionStatus.Rejected)
            .Select(r => new { r.Start, r.End }).ToListAsync(cancellationToken);
        var count = 0;
        Redaction? first = null;
        for (var at = text.IndexOf(Exact, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Exact, at + Exact.Length, StringComparison.Ordinal))
        {
            var stop = at + Exact.Length;
            if (taken.Any(t => t.Start < stop && at < t.End))
            {
                continue;
            }
            var added = await review.AddAsync(record.Id, at, stop, Category, ExemptionCode ?? "", note, actor, cancellationToken);
            first ??= added;
            count++;
        }
        return new AddResult(count switch
        {
            0 => "That text does not occur in the record outside existing redactions.",
            1 => "Added 1 redaction.",
            _ => $"Added {count} redactions.",
        }, first);
    }

    /// <summary>Adds the area given in points or percent of its page.</summary>
    public async Task<AddResult> AddAreaAsync(RedactionReview review, AppDbContext db, Record record, string actor, CancellationToken cancellationToken)
    {
        if (Page is not { } number || X is not { } x || Y is not { } y || Width is not { } width || Height is not { } height)
        {
            return new AddResult("Draw a box on the page, or give its page, x, y, width and height.");
        }
        if (Unit == AreaUnit.Percent)
        {
            var size = await db.Set<DocumentPage>().AsNoTracking().Where(p => p.RecordId == record.Id && p.Number == number)
                .Select(p => new { p.Width, p.Height }).SingleOrDefaultAsync(cancellationToken)
                ?? throw new DomainException($"This record has no page {number}.");
            (x, y, width, height) = (x * size.Width / 100, y * size.Height / 100, width * size.Width / 100, height * size.Height / 100);
        }
        var added = await review.AddAreaAsync(record.Id, new PageBox(number, x, y, width, height), Category, ExemptionCode ?? "", Note ?? "", actor, cancellationToken);
        return new AddResult($"Area redacted on page {number}" + (added.Text.Length > 0 ? $", covering “{Shorten(added.Text)}”." : "."), added);
    }

    private static string PagesOf(Redaction redaction)
    {
        var pages = redaction.Boxes.Select(b => b.Page).Distinct().Order().ToList();
        return pages.Count == 1 ? $"page {pages[0]}" : $"pages {string.Join(", ", pages)}";
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "…";
}
