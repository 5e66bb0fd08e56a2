using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Something to withhold from a record, with the exemption that justifies it: a span of the record's text or an area
/// drawn on a page. <see cref="Boxes"/> are what a release paints out; <see cref="Text"/> keeps the withheld words so
/// the release gate can prove they are gone.
/// </summary>
public sealed class Redaction : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public Guid RecordId { get; private set; }
    public Record Record { get; private set; } = null!;
    public RedactionKind Kind { get; private set; }
    /// <summary>Where it is painted on the pages; empty only for a redaction made before records had pages and not yet placed.</summary>
    public List<PageBox> Boxes { get; private set; } = [];
    /// <summary>
    /// Set when a redaction made on the old extracted text could not be placed on the new pages exactly: it must be
    /// reviewed again (redrawn and this one rejected), and nothing is released until it is.
    /// </summary>
    public string? PlacementProblem { get; private set; }
    public int Start { get; private set; }
    public int End { get; private set; }
    public string Text { get; private set; } = "";
    public RedactionCategory Category { get; private set; }
    public string ExemptionCode { get; private set; } = "";
    public string Note { get; private set; } = "";
    public string ProposedBy { get; private set; } = "";
    public DateTimeOffset ProposedAt { get; private set; }
    public RedactionStatus Status { get; private set; }
    public string? ReviewedBy { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }

    private Redaction() { }

    public static Redaction Propose(Record record, PagedText recordText, int start, int end, RedactionCategory category, string exemptionCode,
        string note, string proposedBy, DateTimeOffset now, RedactionStatus status)
    {
        if (start < 0 || end > recordText.Text.Length || end <= start)
        {
            throw new DomainException("The selection is not inside the record's text.");
        }
        var redaction = Create(record, category, exemptionCode, note, proposedBy, now, status);
        redaction.Kind = RedactionKind.Text;
        redaction.Start = start;
        redaction.End = end;
        redaction.Text = recordText.Text[start..end];
        redaction.Boxes = recordText.BoxesFor(start, end).Select(b => b.Inflate(BoxMargin)).ToList();
        return redaction;
    }

    /// <summary>
    /// A rectangle an officer drew on a page. The words it touches are kept as its text (the gate proves they are gone
    /// from the release's text layer); a photo or signature may touch none.
    /// </summary>
    public static Redaction ProposeArea(Record record, PagedText recordText, PageBox box, RedactionCategory category, string exemptionCode,
        string note, string proposedBy, DateTimeOffset now, RedactionStatus status)
    {
        if (box.Width < 1 || box.Height < 1 || box.Page < 1 || box.Page > record.PageCount)
        {
            throw new DomainException("Draw the area on a page of this record.");
        }
        var redaction = Create(record, category, exemptionCode, note, proposedBy, now, status);
        redaction.Kind = RedactionKind.Area;
        var words = recordText.WordsUnder(box);
        redaction.Start = words.Count > 0 ? words[0].Start : 0;
        redaction.End = words.Count > 0 ? words[^1].End : 0;
        redaction.Text = string.Join(' ', words.Select(w => w.Word.Text));
        redaction.Boxes = [box];
        return redaction;
    }

    /// <summary>Points added around a word's box: glyphs reach a little beyond the box a text layer or OCR reports.</summary>
    public const double BoxMargin = 1.5;

    private static Redaction Create(Record record, RedactionCategory category, string exemptionCode, string note, string proposedBy, DateTimeOffset now,
        RedactionStatus status)
    {
        if (!ExemptionCatalog.IsKnown(exemptionCode))
        {
            throw new DomainException($"'{exemptionCode}' is not an exemption in the catalog.");
        }
        return new Redaction
        {
            RequestId = record.RequestId,
            RecordId = record.Id,
            Record = record,
            Category = category,
            ExemptionCode = exemptionCode,
            Note = note.Trim(),
            ProposedBy = proposedBy,
            ProposedAt = now.ToUniversalTime(),
            Status = status,
        };
    }

    /// <summary>A redaction made on the old extracted text, now on the record's pages.</summary>
    public void Place(int start, int end, IReadOnlyList<PageBox> boxes)
    {
        Start = start;
        End = end;
        Boxes = boxes.ToList();
        PlacementProblem = null;
    }

    public void FlagPlacement(string problem) => PlacementProblem = problem;

    /// <summary>Whether it still holds a release back: placed nowhere yet, and not rejected.</summary>
    public bool BlocksRelease => PlacementProblem is not null && Status != RedactionStatus.Rejected;

    public void Decide(RedactionStatus status, string reviewer, DateTimeOffset now)
    {
        if (status == RedactionStatus.Suggested)
        {
            throw new DomainException("A decision accepts, rejects or approves.");
        }
        Status = status;
        ReviewedBy = reviewer;
        ReviewedAt = now.ToUniversalTime();
    }

    /// <summary>Counsel's change of the ground cited; the set then needs counsel's approval again.</summary>
    public void ChangeExemption(string exemptionCode, string note)
    {
        if (!ExemptionCatalog.IsKnown(exemptionCode))
        {
            throw new DomainException($"'{exemptionCode}' is not an exemption in the catalog.");
        }
        ExemptionCode = exemptionCode;
        Note = note.Trim();
    }
}
