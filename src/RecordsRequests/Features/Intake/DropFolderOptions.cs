using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Intake;

public sealed class DropFolderOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Relative paths are under the data folder. Processed files move to its <c>processed</c> subfolder.</summary>
    public string Path { get; set; } = "dropbox";

    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
