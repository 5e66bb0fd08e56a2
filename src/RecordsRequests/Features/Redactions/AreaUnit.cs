namespace RecordsRequests.Features.Redactions;

/// <summary>How the coordinates of a typed area are given.</summary>
public enum AreaUnit
{
    /// <summary>Points (1/72 inch) from the page's top-left corner, as the page viewer fills them in.</summary>
    Points,
    /// <summary>Percent of the page's width (x, width) and height (y, height).</summary>
    Percent,
}
