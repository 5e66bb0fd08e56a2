namespace RecordsRequests.Benchmarks;

/// <summary>
/// Where a bench makes its scratch data folder, and what it must say about the file system that folder is on. On ext4 without a journal, Linux does not
/// reuse an inode freed in the last minute, or in the last six while the block holding it is unwritten, and it finds
/// that out for each freed inode it passes while looking for a free one, so creating files right after tens of thousands
/// were deleted is slow. A bench deletes its scratch folder when it ends: on this project's 2-core machine, whose disk
/// is such a file system, an import started within those minutes of another run's clean-up spent a third of its processor
/// time in its first seconds looking past freed inodes (perf: <c>recently_deleted</c> under <c>find_inode_bit</c>), and
/// 0.1 % when no run had deleted its folder since. Not every such run is slowed (it depends on which part of the disk
/// the new folder's files are given), which is what makes it easy to mistake for the machine's speed drifting. A
/// journalled file system does not do this.
/// </summary>
internal static class ScratchFileSystem
{
    /// <summary>
    /// A new scratch data folder for a bench, named <paramref name="name"/>, inside the product's data folder: an import's
    /// originals are written, and synced, on the disk the product keeps them on. Not the system's temporary folder, which
    /// on many systems is memory (tmpfs), where creating and syncing files costs next to nothing, and which test suites
    /// fill and empty all day (on this project's machine, ops/test deletes tens of thousands of files there).
    /// </summary>
    public static string Create(string dataPath, string name)
    {
        var folder = Path.Combine(dataPath, ScratchParent, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Where in the data folder scratch folders go; left there, empty, when the last is deleted.</summary>
    private const string ScratchParent = "bench-scratch";

    /// <summary>A caution for a bench's report when <paramref name="folder"/> is on ext4 without a journal; otherwise null.</summary>
    public static string? Caution(string folder)
    {
        if (MountOf(Path.GetFullPath(folder)) is not { FileSystem: "ext4" } mount || HasJournal(mount.Device))
        {
            return null;
        }
        return $"the scratch data folder is on ext4 without a journal ({mount.Device} at {mount.Point}): files created within six minutes of many being deleted, "
            + "as each run of a bench deletes its own when it ends, can be slowed; for a series of runs pass --keep to each and delete the kept folders after the last";
    }

    private sealed record Mount(string Point, string FileSystem, string Device);

    /// <summary>The mount holding <paramref name="path"/>: the longest mount point that contains it, from /proc/self/mountinfo.</summary>
    private static Mount? MountOf(string path)
    {
        if (!File.Exists("/proc/self/mountinfo"))
        {
            return null;
        }
        Mount? best = null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "36 35 98:0 / /mnt1 rw,noatime master:1 - ext3 /dev/root rw": the mount point is the fifth field, the file
            // system and its source follow the separator " - ".
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }
            var point = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
            var contains = point == "/" || path == point || path.StartsWith(point + "/", StringComparison.Ordinal);
            if (contains && (best is null || point.Length > best.Point.Length))
            {
                best = new Mount(point, fields[separator + 1], fields[separator + 2]);
            }
        }
        return best;
    }

    /// <summary>Whether ext4 on <paramref name="device"/> keeps a journal: the kernel lists each journal in /proc/fs/jbd2 as "device-inode".</summary>
    private static bool HasJournal(string device)
    {
        var name = Path.GetFileName(device);
        return !Directory.Exists("/proc/fs/jbd2")
            || Directory.EnumerateDirectories("/proc/fs/jbd2").Any(d => Path.GetFileName(d).StartsWith(name + "-", StringComparison.Ordinal));
    }
}
