namespace RecordsRequests.Features.Redactions;

/// <summary>One student from the district's student-information-system export.</summary>
public sealed record RosterStudent(
    string StudentId,
    string FirstName,
    string MiddleName,
    string LastName,
    string DateOfBirth,
    IReadOnlyList<string> Guardians,
    string Address);
