using System.IO.Compression;

namespace RecordsRequests.Features.Archive;

/// <summary>A zip of files to import (a Google Vault export is downloaded as zips), opened into a folder the importer reads.</summary>
public static class ArchiveZip
{
    public static bool IsZip(string path) => File.Exists(path) && string.Equals(Path.GetExtension(path), ".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Opens the zip into <paramref name="folder"/> unless an earlier run did. It is opened beside that folder first and
    /// moved into place once whole, so a run killed while unpacking unpacks again rather than importing half a zip. The
    /// folder's path stays the same from run to run: it is what a resumed import recognises its sources by. Entries that
    /// would land outside the folder are refused by <see cref="ZipFile.ExtractToDirectory(string, string)"/>.
    /// </summary>
    public static string Unpack(string zip, string folder)
    {
        if (Directory.Exists(folder))
        {
            return folder;
        }
        var partial = folder + ".unpacking";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }
        try
        {
            ZipFile.ExtractToDirectory(zip, partial);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(zip)} is not a zip that can be opened ({e.Message}); download it again.", e);
        }
        Directory.Move(partial, folder);
        return folder;
    }
}
