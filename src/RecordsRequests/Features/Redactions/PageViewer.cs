using System.Globalization;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// What _PageViewer.cshtml draws for one record: its page pictures, its words laid transparently over them (so they can
/// be selected with the mouse or the keyboard), and its redactions' boxes: dashed while suggested, solid once accepted or
/// approved, labelled with the exemption. <see cref="FormId"/> names the "add a redaction" form the viewer fills in;
/// without one the pages are shown read-only.
/// </summary>
public sealed class PageViewer(string trackingNumber, Record record, IReadOnlyList<DocumentPage> pages, PagedText text, IReadOnlyList<Redaction> redactions,
    string? formId, Guid? justAdded = null)
{
    public string TrackingNumber { get; } = trackingNumber;
    public Record Record { get; } = record;
    public IReadOnlyList<DocumentPage> Pages { get; } = pages;
    public string? FormId { get; } = formId;
    public string Id => $"viewer-{Record.Id:N}";

    /// <summary>The redaction just added, shown (its page, its boxes in view) when the page returns, so the officer sees the result.</summary>
    public Redaction? Shown { get; } = justAdded is { } id ? redactions.FirstOrDefault(r => r.Id == id && r.Boxes.Count > 0) : null;

    private readonly ILookup<int, PlacedWord> _words = text.Words.ToLookup(w => w.Page);

    public IEnumerable<PlacedWord> WordsOn(int page) => _words[page];

    /// <summary>The boxes drawn on a page: every redaction not rejected.</summary>
    public IEnumerable<(PageBox Box, Redaction Redaction)> BoxesOn(int page) =>
        redactions.Where(r => r.Status != RedactionStatus.Rejected).SelectMany(r => r.Boxes.Where(b => b.Page == page).Select(b => (b, r)));

    public string PictureAddress(int page) => PagePictures.Address(TrackingNumber, Record.Id, page);

    /// <summary>Points as the data attributes carry them (invariant, two decimals); page-viewer.js turns them into percentages.</summary>
    public static string Points(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string StatusClass(Redaction redaction) => redaction.Status.ToString().ToLowerInvariant();

    public static string Describe(Redaction redaction) =>
        $"{ReviewWords.Of(redaction.Category)} · {redaction.ExemptionCode} · {ReviewWords.Of(redaction.Status)}";

    /// <summary>Pixels of the picture at the review resolution, so the browser reserves its space before it loads.</summary>
    public static int Pixels(double points) => (int)Math.Round(points / 72 * PageImages.ReviewDpi);
}
