using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Correspondence;

/// <summary>
/// One saved version of a letter template. Versions are only ever added, so the history of what the district sent
/// in which words stays readable; the newest version of a kind is the one in use, and a kind with no saved version
/// uses the wording shipped in <see cref="LetterCatalog"/>.
/// </summary>
public sealed class LetterTemplateVersion : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public LetterKind Kind { get; private set; }
    public int Version { get; private set; }
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";

    /// <summary>Why the wording changed, in the admin's words.</summary>
    public string Note { get; private set; } = "";
    public string SavedBy { get; private set; } = "";
    public DateTimeOffset SavedAt { get; private set; }

    private LetterTemplateVersion() { }

    public static LetterTemplateVersion Create(LetterKind kind, int version, string subject, string body, string note, string savedBy, DateTimeOffset now) => new()
    {
        Kind = kind,
        Version = version,
        Subject = subject.Trim(),
        Body = body.Replace("\r\n", "\n", StringComparison.Ordinal).Trim(),
        Note = note.Trim(),
        SavedBy = savedBy,
        SavedAt = now.ToUniversalTime(),
    };
}
