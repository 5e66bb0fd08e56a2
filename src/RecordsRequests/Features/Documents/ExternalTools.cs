using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;

namespace RecordsRequests.Features.Documents;

/// <summary>
/// Runs the Debian programs that read untrusted files (LibreOffice, pdftoppm, tesseract, msgconvert, tiff2pdf) as
/// separate processes with a time limit, an address-space limit (prlimit) and, where the host allows it, no network and
/// no view of the data folder: bubblewrap gives the process a read-only /usr and /etc, an empty /tmp and only its own
/// scratch folder; unshare gives at least an empty network namespace. A crash or hang of a converter costs one record,
/// never the application.
/// </summary>
public sealed class ExternalTools(IOptions<DocumentOptions> options, ILogger<ExternalTools> logger)
{
    private readonly Lazy<string> _isolation = new(() => ChooseIsolation(options.Value.Isolation, logger));

    public string Isolation => _isolation.Value;

    public async Task<ToolResult> RunAsync(string program, IReadOnlyList<string> arguments, string scratch, TimeSpan timeLimit, long memoryBytes,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = scratch,
        };
        foreach (var argument in Wrap(program, arguments, scratch, timeLimit, memoryBytes, Isolation))
        {
            start.ArgumentList.Add(argument);
        }
        start.FileName = start.ArgumentList[0];
        start.ArgumentList.RemoveAt(0);
        start.Environment["HOME"] = scratch;
        start.Environment["TMPDIR"] = scratch;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ConversionFailedException($"{program} is not installed ({e.Message}); run ops/run, which installs it.");
        }
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ConversionFailedException($"{Path.GetFileName(program)} took longer than {timeLimit.TotalSeconds:0} s and was stopped.");
        }
        return new ToolResult(process.ExitCode, await output, await error);
    }

    private static IEnumerable<string> Wrap(string program, IReadOnlyList<string> arguments, string scratch, TimeSpan timeLimit, long memoryBytes, string isolation)
    {
        // coreutils' timeout stands between this process and the sandbox. Bubblewrap's --die-with-parent kills the
        // sandbox when the thread that started it ends, and .NET starts processes from pool threads that retire when
        // the pool shrinks: on a busy host a conversion was killed halfway (SIGKILL, no message). timeout outlives that
        // thread, and if this application dies it still stops the tool, a little after the limit enforced here.
        var command = new List<string> { "timeout", "--signal=KILL", $"{Math.Ceiling(timeLimit.TotalSeconds) + 30:0}" };
        switch (isolation)
        {
            case "bubblewrap":
                command.AddRange(["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
                    "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
                    "--ro-bind-try", "/lib", "/lib", "--ro-bind-try", "/lib64", "/lib64", "--ro-bind-try", "/bin", "/bin", "--ro-bind-try", "/sbin", "/sbin",
                    "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--bind", scratch, scratch, "--chdir", scratch, "--"]);
                break;
            case "unshare":
                command.AddRange(["unshare", "--user", "--map-root-user", "--net", "--"]);
                break;
        }
        command.AddRange(["prlimit", $"--as={memoryBytes}", "--", program]);
        command.AddRange(arguments);
        return command;
    }

    /// <summary>Tries the configured isolation once; "auto" takes the strongest that works on this host.</summary>
    private static string ChooseIsolation(string configured, ILogger logger)
    {
        string[] candidates = configured switch
        {
            "auto" => ["bubblewrap", "unshare"],
            "none" => [],
            _ => [configured],
        };
        foreach (var candidate in candidates)
        {
            if (Works(candidate))
            {
                return candidate;
            }
            if (configured != "auto")
            {
                throw new InvalidOperationException($"Documents:Isolation is {configured}, but it does not work on this host; see README \"Converters and OCR\".");
            }
        }
        if (configured == "auto")
        {
            logger.LogWarning("Neither bubblewrap nor unshare can isolate converters on this host: they run with the application's network access. " +
                "Run the container without outbound network for converters, or set Documents:Isolation to none to acknowledge (README \"Converters and OCR\").");
        }
        return "none";
    }

    private static bool Works(string isolation)
    {
        var scratch = Directory.CreateTempSubdirectory("records-isolation-").FullName;
        try
        {
            var command = Wrap("true", [], scratch, TimeSpan.FromSeconds(10), 1L << 30, isolation).ToList();
            var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in command.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            process.WaitForExit(10_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The last lines a tool wrote to standard error, for a failure reason.</summary>
    public static string Tail(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new StringBuilder().AppendJoin(" ", lines.TakeLast(2)).ToString();
    }
}
