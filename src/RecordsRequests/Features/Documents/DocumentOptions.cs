namespace RecordsRequests.Features.Documents;

/// <summary>How the converters and OCR that turn records into pages run.</summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    /// <summary>
    /// How converters of untrusted files are kept off the network and away from the data folder: <c>auto</c> (bubblewrap
    /// if it works here, else a user and network namespace with unshare, else none, with a warning in the log),
    /// <c>bubblewrap</c>, <c>unshare</c> or <c>none</c> (for a container that already runs without network access to the
    /// outside; see README "Converters and OCR").
    /// </summary>
    public string Isolation { get; set; } = "auto";

    /// <summary>The longest a single conversion (LibreOffice, msgconvert, tiff2pdf) may run.</summary>
    public TimeSpan ConversionTimeLimit { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The longest rendering or OCR of one page may run.</summary>
    public TimeSpan PageTimeLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Address space each converter process may use (LibreOffice reserves much more than it touches).</summary>
    public long ConverterMemoryBytes { get; set; } = 6L << 30;

    /// <summary>Address space of pdftoppm and tesseract per page.</summary>
    public long PageToolMemoryBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Tesseract languages: English, Spanish and Portuguese, the languages of most Massachusetts families. A page is read
    /// in the first; one whose words read as Spanish or Portuguese is read again with the others first.
    /// </summary>
    public string OcrLanguages { get; set; } = "eng+spa+por";

    /// <summary>Pages converted or read at once; tesseract runs one thread per page.</summary>
    public int ParallelPages { get; set; } = Environment.ProcessorCount;

    /// <summary>A page whose text layer has fewer words than this is read by OCR (a scan with a stamped header).</summary>
    public int MinimumTextLayerWords { get; set; } = 3;
}
