namespace RecordsRequests.Features.Redactions;

/// <summary>A roster match: the span of text and what the roster says it is.</summary>
/// <param name="Students">For a student's name, the roster rows (indexes into <see cref="Roster.Students"/>) with that name; otherwise empty.</param>
public readonly record struct RosterHit(int Start, int End, RedactionCategory Category, IReadOnlyList<int> Students);
