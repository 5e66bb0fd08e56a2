namespace RecordsRequests.Features.Intake;

public static class MailFiles
{
    /// <summary>Every message in a file or, recursively, in a folder, in a stable order. Unreadable files become entries with an error.</summary>
    public static IEnumerable<MailFileEntry> Enumerate(string path, long maxFileBytes)
    {
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Order(StringComparer.Ordinal)
            : [path];
        foreach (var file in files)
        {
            byte[] content = [];
            // A link could point anywhere the service account can read (another district's export, a key file):
            // only files put there themselves are taken in.
            var error = LinkProblem(file);
            try
            {
                var length = error is null ? new FileInfo(file).Length : 0;
                if (error is null && length > maxFileBytes)
                {
                    error = $"file is {length} bytes, over the limit of {maxFileBytes}";
                }
                content = error is null ? File.ReadAllBytes(file) : [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                content = [];
                error = $"cannot read the file: {e.Message}";
            }
            if (error is not null)
            {
                yield return new MailFileEntry(file, 0, null, error);
                continue;
            }
            var index = 0;
            foreach (var message in MboxSplitter.Split(content))
            {
                yield return new MailFileEntry(file, index++, message, null);
            }
        }
    }

    private static string? LinkProblem(string file)
    {
        try
        {
            return new FileInfo(file).LinkTarget is { } target ? $"it is a symbolic link (to {target}); links are not followed, so copy the file itself" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read the file: {e.Message}";
        }
    }
}
