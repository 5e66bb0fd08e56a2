namespace RecordsRequests.Features.Releases;

/// <summary>
/// What of one sheet was taken out because a reader could not see it: hidden rows, hidden columns, and single cells
/// whose number format shows nothing (";;;").
/// </summary>
internal sealed class SheetMask(IEnumerable<uint> rows, IEnumerable<(uint Min, uint Max)> columns, IEnumerable<(uint Row, uint Column)> cells)
{
    public const uint LastRow = 1_048_576;
    public const uint LastColumn = 16_384;

    private readonly uint[] rows = rows.Distinct().Order().ToArray();
    private readonly (uint Min, uint Max)[] columns = columns.ToArray();
    private readonly HashSet<(uint Row, uint Column)> cells = cells.ToHashSet();

    public bool IsEmpty => rows.Length == 0 && columns.Length == 0 && cells.Count == 0;

    public bool IsRowHidden(uint row) => Array.BinarySearch(rows, row) >= 0;

    public bool IsColumnHidden(uint column) => columns.Any(c => column >= c.Min && column <= c.Max);

    public bool Contains(uint row, uint column) => IsRowHidden(row) || IsColumnHidden(column) || cells.Contains((row, column));

    /// <summary>Whether any removed content lies in the rectangle from (row1, column1) to (row2, column2).</summary>
    public bool Intersects(uint row1, uint column1, uint row2, uint column2) =>
        AnyRowBetween(row1, row2) || columns.Any(c => c.Min <= column2 && c.Max >= column1)
        || cells.Any(c => c.Row >= row1 && c.Row <= row2 && c.Column >= column1 && c.Column <= column2);

    private bool AnyRowBetween(uint first, uint last)
    {
        var index = Array.BinarySearch(rows, first);
        if (index >= 0)
        {
            return true;
        }
        index = ~index;
        return index < rows.Length && rows[index] <= last;
    }
}
