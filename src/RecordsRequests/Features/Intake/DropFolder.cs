using Microsoft.Extensions.Options;
using RecordsRequests.Features.Shared;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Intake;

/// <summary>Where the drop folder is, and what it refused.</summary>
public static class DropFolder
{
    public const string RejectedFolderName = "rejected";
    public const string ReasonSuffix = ".reason.txt";

    public static string PathOf(IntakeOptions intake, IOptions<RecordsOptions> records) =>
        Path.IsPathRooted(intake.DropFolder.Path) ? intake.DropFolder.Path : Path.Combine(records.DataPath(), intake.DropFolder.Path);

    /// <summary>The most recent refusals first, each with the reason written beside it.</summary>
    public static IReadOnlyList<RefusedFile> Refused(IntakeOptions intake, IOptions<RecordsOptions> records, int limit = 200)
    {
        var folder = Path.Combine(PathOf(intake, records), RejectedFolderName);
        if (!intake.DropFolder.Enabled || !Directory.Exists(folder))
        {
            return [];
        }
        return Directory.EnumerateFiles(folder, "*" + ReasonSuffix)
            .Select(note => new FileInfo(note))
            .OrderByDescending(note => note.LastWriteTimeUtc).Take(limit)
            .Select(note => new RefusedFile(UntrustedText.Clean(note.Name[..^ReasonSuffix.Length]), new DateTimeOffset(note.LastWriteTimeUtc, TimeSpan.Zero),
                UntrustedText.Clean(ReadNote(note.FullName))))
            .ToList();
    }

    private static string ReadNote(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the note of the reason could not be read: {e.Message}";
        }
    }
}
