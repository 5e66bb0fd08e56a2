using RecordsRequests.Features.Redactions;

namespace RecordsRequests.TestSupport;

/// <summary>An identifier the generator planted, with its span: the ground truth for recall and precision.</summary>
/// <param name="NeedsRoster">Whether only the roster identifies it (a listed student's name, ID, guardian or address, or
/// a named student's date of birth with no cue); the others a reader finds by their context or form, with no roster.</param>
public sealed record PlantedIdentifier(int Start, int End, RedactionCategory Category, bool NeedsRoster);
