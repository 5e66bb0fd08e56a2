using System.Globalization;
using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Reads the references of an Excel formula (as stored in the file, A1 style) and says whether the formula could
/// reach content the copy no longer holds: a sheet that is gone, a hidden row or column, a removed name, an external
/// workbook, or a reference it computes at run time (INDIRECT, OFFSET, table references) when anything was removed.
/// Such a formula is replaced by its cached value, which is what the reader of the original saw.
/// </summary>
internal sealed partial class SpreadsheetReferences(
    IReadOnlyDictionary<string, SheetMask> sheets, IReadOnlySet<string> removedNames, bool anythingRemoved)
{
    public bool AnythingRemoved => anythingRemoved;

    /// <param name="hostSheet">The sheet the formula lives on, for references without a sheet name; null for a workbook-level name.</param>
    /// <param name="extraRows">For a shared formula: how far down its copies reach, since their relative references move with them.</param>
    /// <param name="extraColumns">Likewise across.</param>
    public bool ReachesRemoved(string formula, string? hostSheet, uint extraRows = 0, uint extraColumns = 0)
    {
        var code = StringLiteral().Replace(formula, "\"\"");
        if (ExternalWorkbook().IsMatch(code))
        {
            return true;
        }
        if (anythingRemoved && (code.Contains('[', StringComparison.Ordinal) || ComputedReference().IsMatch(code)))
        {
            return true;
        }
        foreach (Match qualifier in SheetQualifier().Matches(code))
        {
            if (qualifier.Index > 0 && code[qualifier.Index - 1] == ':' || !sheets.ContainsKey(SheetName(qualifier.Groups["sheet"].Value)))
            {
                return true; // a sheet that is gone, or a 3-D reference across sheets
            }
        }
        foreach (var name in removedNames)
        {
            if (Regex.IsMatch(code, $@"(?<![\p{{L}}\p{{N}}_\.\\]){Regex.Escape(name)}(?![\p{{L}}\p{{N}}_\.\(])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                return true;
            }
        }
        foreach (Match reference in Reference().Matches(code))
        {
            var sheetName = reference.Groups["sheet"].Success ? SheetName(reference.Groups["sheet"].Value) : hostSheet;
            if (sheetName is null)
            {
                if (sheets.Values.Any(mask => Intersects(mask, reference, extraRows, extraColumns)))
                {
                    return true;
                }
            }
            else if (!sheets.TryGetValue(sheetName, out var mask) || Intersects(mask, reference, extraRows, extraColumns))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Intersects(SheetMask mask, Match reference, uint extraRows, uint extraColumns)
    {
        if (mask.IsEmpty)
        {
            return false;
        }
        if (reference.Groups["c1"].Success)
        {
            var (r1, c1) = (uint.Parse(reference.Groups["r1"].Value, CultureInfo.InvariantCulture), ColumnNumber(reference.Groups["c1"].Value));
            var (r2, c2) = reference.Groups["c2"].Success ? (uint.Parse(reference.Groups["r2"].Value, CultureInfo.InvariantCulture), ColumnNumber(reference.Groups["c2"].Value)) : (r1, c1);
            return mask.Intersects(Math.Min(r1, r2), Math.Min(c1, c2), Math.Max(r1, r2) + extraRows, Math.Max(c1, c2) + extraColumns);
        }
        if (reference.Groups["wc1"].Success)
        {
            var (c1, c2) = (ColumnNumber(reference.Groups["wc1"].Value), ColumnNumber(reference.Groups["wc2"].Value));
            return mask.Intersects(1, Math.Min(c1, c2), SheetMask.LastRow, Math.Max(c1, c2) + extraColumns);
        }
        var (w1, w2) = (uint.Parse(reference.Groups["wr1"].Value, CultureInfo.InvariantCulture), uint.Parse(reference.Groups["wr2"].Value, CultureInfo.InvariantCulture));
        return mask.Intersects(Math.Min(w1, w2), 1, Math.Max(w1, w2) + extraRows, SheetMask.LastColumn);
    }

    private static string SheetName(string qualifier) =>
        qualifier.StartsWith('\'') ? qualifier[1..^1].Replace("''", "'", StringComparison.Ordinal) : qualifier;

    public static uint ColumnNumber(string letters)
    {
        uint number = 0;
        foreach (var c in letters.TrimStart('$'))
        {
            number = number * 26 + (uint)(char.ToUpperInvariant(c) - 'A' + 1);
        }
        return number;
    }

    /// <summary>"AB12" as (row 12, column 28); null when the text is not a single cell reference.</summary>
    public static (uint Row, uint Column)? Cell(string reference)
    {
        var match = CellOnly().Match(reference);
        return match.Success ? (uint.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), ColumnNumber(match.Groups[1].Value)) : null;
    }

    /// <summary>"B2:D9" (or "B2") as its corners.</summary>
    public static (uint Row1, uint Column1, uint Row2, uint Column2)? Area(string reference)
    {
        var parts = reference.Split(':');
        if (Cell(parts[0]) is not { } first)
        {
            return null;
        }
        var last = parts.Length > 1 ? Cell(parts[1]) : first;
        return last is { } second ? (first.Row, first.Column, second.Row, second.Column) : null;
    }

    public static string ColumnLetters(uint column)
    {
        var letters = "";
        while (column > 0)
        {
            var rest = (column - 1) % 26;
            letters = (char)('A' + rest) + letters;
            column = (column - 1) / 26;
        }
        return letters;
    }

    [GeneratedRegex("\"(?:[^\"]|\"\")*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex ExternalWorkbook();

    [GeneratedRegex(@"\b(?:INDIRECT|OFFSET)\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ComputedReference();

    [GeneratedRegex(@"(?<sheet>'(?:[^']|'')+'|[\p{L}_][\p{L}\p{N}_\.]*)!")]
    private static partial Regex SheetQualifier();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_\.\$])(?:(?<sheet>'(?:[^']|'')+'|[\p{L}_][\p{L}\p{N}_\.]*)!)?(?:\$?(?<c1>[A-Za-z]{1,3})\$?(?<r1>\d+)(?::\$?(?<c2>[A-Za-z]{1,3})\$?(?<r2>\d+))?|\$?(?<wc1>[A-Za-z]{1,3}):\$?(?<wc2>[A-Za-z]{1,3})|\$?(?<wr1>\d+):\$?(?<wr2>\d+))(?![\p{L}\p{N}_\(!])")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\$?([A-Za-z]{1,3})\$?(\d+)$")]
    private static partial Regex CellOnly();
}
