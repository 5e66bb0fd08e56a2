using System.Globalization;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// What each released file is, in words, for the requester's release page and the officer's pages alike: a record by
/// its number and Bates range (never by the original's name, which can itself identify a student), the exemption log,
/// the letter.
/// </summary>
public static class ReleaseFileWords
{
    public static string Title(ReleaseFile file) => file.Kind switch
    {
        ReleaseFileKind.Record when file.DocumentNumber is { } number => $"Document {number}: {Range(file)}",
        ReleaseFileKind.NativeCopy when file.DocumentNumber is { } number => $"Document {number} in its own format",
        ReleaseFileKind.Record => "A released record",
        ReleaseFileKind.NativeCopy => "A released record in its own format",
        ReleaseFileKind.ExemptionLogPdf => "Exemption log (PDF)",
        ReleaseFileKind.ExemptionLogCsv => "Exemption log (spreadsheet)",
        ReleaseFileKind.ResponseLetter => "The district's response letter",
        _ => file.FileName,
    };

    public static string Explanation(ReleaseFile file) => file.Kind switch
    {
        ReleaseFileKind.Record => Pages(file) + (file.RedactionCount switch
        {
            null => ".",
            0 => ", released in full.",
            1 => "; one part is covered in black, marked with the exemption that allows it to be withheld.",
            var n => string.Create(CultureInfo.InvariantCulture, $"; {n} parts are covered in black, each marked with the exemption that allows it to be withheld."),
        }) + " Each page carries its Bates number at the bottom.",
        ReleaseFileKind.NativeCopy => "The same record as the district keeps it (a spreadsheet stays a spreadsheet), with hidden content such as comments and tracked changes removed. Nothing in it was redacted.",
        ReleaseFileKind.ExemptionLogPdf => "Every part withheld: its page (by Bates number), the exemption of G.L. c.4 §7 cl.26 that applies, and why.",
        ReleaseFileKind.ExemptionLogCsv => "The same exemption log as a spreadsheet, for sorting and filtering.",
        ReleaseFileKind.ResponseLetter => "The district's written response: what is produced, what is withheld and why, and how to appeal.",
        _ => "",
    };

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB"),
    };

    private static string Range(ReleaseFile file) => file.FirstBates == file.LastBates
        ? $"page {file.FirstBates}"
        : $"pages {file.FirstBates} to {file.LastBates}";

    private static string Pages(ReleaseFile file) => file.PageCount switch
    {
        null => "The record's pages",
        1 => "1 page",
        var n => string.Create(CultureInfo.InvariantCulture, $"{n} pages"),
    };

    /// <summary>The letter first (it explains the rest), then the records (each PDF followed by its own-format copy), then the exemption log.</summary>
    public static IEnumerable<ReleaseFile> InOrder(IEnumerable<ReleaseFile> files) => files
        .OrderBy(f => f.Kind == ReleaseFileKind.ResponseLetter ? 0 : f.Kind is ReleaseFileKind.Record or ReleaseFileKind.NativeCopy ? 1 : 2)
        .ThenBy(f => f.DocumentNumber ?? int.MaxValue)
        .ThenBy(f => f.Kind)
        .ThenBy(f => f.FileName, StringComparer.Ordinal);
}
