using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// A student roster an admin uploaded (the CSV export of the student information system). The file is kept in the
/// content store as it arrived; the newest upload is the roster detection uses.
/// </summary>
public sealed class RosterUpload : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string FileName { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public int StudentCount { get; private set; }
    public string UploadedBy { get; private set; } = "";
    public DateTimeOffset UploadedAt { get; private set; }

    private RosterUpload() { }

    public static RosterUpload Create(string fileName, string sha256, int students, string by, DateTimeOffset now) => new()
    {
        FileName = fileName,
        Sha256 = sha256,
        StudentCount = students,
        UploadedBy = by,
        UploadedAt = now.ToUniversalTime(),
    };
}

internal sealed class RosterUploadConfiguration : IEntityTypeConfiguration<RosterUpload>
{
    public void Configure(EntityTypeBuilder<RosterUpload> builder)
    {
        builder.ToTable("roster_uploads");
        builder.Property(r => r.FileName).HasMaxLength(300);
        builder.Property(r => r.Sha256).HasMaxLength(64);
        builder.Property(r => r.UploadedBy).HasMaxLength(300);
        builder.HasIndex(r => r.UploadedAt);
    }
}

/// <summary>
/// Where detection gets the roster: the newest uploaded one, else the file configured at Redaction:RosterPath, else
/// none (detection then finds structured identifiers only).
/// </summary>
public sealed class RosterSource(AppDbContext db, ContentStore store, IOptions<RedactionOptions> options)
{
    public async Task<Roster?> LoadAsync(CancellationToken cancellationToken)
    {
        var uploaded = await db.Set<RosterUpload>().AsNoTracking().OrderByDescending(r => r.UploadedAt).FirstOrDefaultAsync(cancellationToken);
        if (uploaded is not null)
        {
            using var reader = new StreamReader(store.Open(uploaded.Sha256));
            return Roster.Read(reader);
        }
        return options.Value.RosterPath is { Length: > 0 } path ? Roster.Load(path) : null;
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken) =>
        options.Value.RosterPath is { Length: > 0 } || await db.Set<RosterUpload>().AnyAsync(cancellationToken);
}
