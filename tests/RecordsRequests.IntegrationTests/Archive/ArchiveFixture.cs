namespace RecordsRequests.IntegrationTests.Archive;

/// <summary>
/// A private copy of TestData/archive with RUNID replaced by a fresh token: every test imports items of its own
/// (distinct bytes, Message-IDs and custodians) although all tests share one database and one index.
/// </summary>
public sealed class ArchiveFixture : IDisposable
{
    public ArchiveFixture()
    {
        Token = $"r{Guid.NewGuid():N}"[..13];
        Root = Directory.CreateTempSubdirectory("archive-test-").FullName;
        var source = Path.Combine(AppContext.BaseDirectory, "TestData", "archive");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, File.ReadAllText(file).Replace("RUNID", Token, StringComparison.Ordinal));
        }
    }

    public string Token { get; }
    public string Root { get; }
    public string Principal => Path.Combine(Root, "principal");
    public string Superintendent => Path.Combine(Root, "superintendent");
    public string PrincipalCustodian => $"principal-{Token}";
    public string SuperintendentCustodian => $"superintendent-{Token}";

    public string MessageId(string local) => $"{local}-{Token}@district.example";

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
