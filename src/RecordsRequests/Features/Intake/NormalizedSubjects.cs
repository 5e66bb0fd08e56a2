namespace RecordsRequests.Features.Intake;

/// <summary>
/// Subjects as a thread lookup compares them (<see cref="TrackingReference.NormalizeSubject"/>), each normalized once
/// while the lookup lives: a requester writing often brings the same recent subjects up for every message.
/// </summary>
internal sealed class NormalizedSubjects
{
    private readonly Dictionary<string, string> _normalized = new(StringComparer.Ordinal);

    public string Of(string subject)
    {
        if (!_normalized.TryGetValue(subject, out var normalized))
        {
            normalized = TrackingReference.NormalizeSubject(subject);
            _normalized[subject] = normalized;
        }
        return normalized;
    }
}
