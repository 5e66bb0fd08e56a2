namespace RecordsRequests.Features.Records;

/// <summary>How far a record is on its way to pages that can be reviewed and released.</summary>
public enum PagesState
{
    /// <summary>Stored, waiting for a worker.</summary>
    Queued,
    /// <summary>Being converted to PDF (LibreOffice, e-mail typesetting, scans).</summary>
    Converting,
    /// <summary>Pages being rendered and read (text layer or OCR); see the record's progress.</summary>
    Reading,
    Ready,
    /// <summary>It could not be made into pages; <see cref="Record.PagesFailure"/> says why, in plain words.</summary>
    Failed,
}
