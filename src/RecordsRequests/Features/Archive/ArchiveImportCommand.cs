using System.Globalization;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Archive;

internal sealed class ArchiveImportCommand(ArchiveImporter importer, VaultImporter vault, IOptions<RecordsOptions> records) : ICliCommand
{
    public static string Name => "archive import";
    public static string Summary => "import an mbox, .eml folder, .pst, documents or a Google Vault export into the archive search index";
    public static string Usage => """
        ops/records archive import <path> --custodian <name>
          <path>  an mbox file, a .pst, a .eml file or document (PDF, DOCX, TXT, HTML), a folder of any of these, or a zip of them
                  A Google Vault export (a folder or zip with the mbox files and export_name-metadata.xml) keeps each
                  message's Vault account as its custodian, with its labels and Vault ids; --custodian is then needed
                  only for mail the metadata names no account for.
          Re-running an import, or running it again after it was stopped, skips what is already imported.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string>());
        args.RejectUnknown("custodian");
        if (args.Positional.Count != 1)
        {
            throw new UsageException("Give exactly one path to import.");
        }
        var path = Path.GetFullPath(args.Positional[0]);
        var custodian = args.Value("custodian");
        ImportReport report;
        try
        {
            // A zip is opened in the data folder, at a place named after the zip's path, so a second run resumes the first.
            var source = ArchiveZip.IsZip(path)
                ? ArchiveZip.Unpack(path, Path.Combine(Path.GetFullPath(records.Value.DataPath), "imports",
                    "zip-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(path)))[..16]))
                : path;
            if (VaultExport.MetadataFile(source) is not null)
            {
                report = await vault.ImportAsync(source, custodian, Console.Error, cancellationToken);
            }
            else
            {
                report = await importer.ImportAsync(source, custodian ?? throw new UsageException("--custodian is required: whose mailbox or files are these?"),
                    Console.Error, cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or ArchiveOriginalMissingException)
        {
            // Not a usage mistake and not a fault of ours: a file that is not what it claims, said in words.
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        foreach (var stage in report.Stages)
        {
            // Where the time went, for whoever sizes the machine: busy wall time summed over the stage's workers.
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {stage.Name}: {stage.Workers} worker{(stage.Workers == 1 ? "" : "s")}, busy {stage.Busy.TotalSeconds:F1} s{(stage.Cpu is { } cpu ? $", processor {cpu.TotalSeconds:F1} s" : "")}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported {report.NewItems} new items, {report.Duplicates} duplicates of items already in the archive, {report.AlreadyImported} already imported, {report.Failures.Count} failed, in {report.Elapsed.TotalSeconds:F1} s."));
        return report.Failures.Count == 0 ? 0 : 1;
    }
}
