namespace RecordsRequests.Features.Documents;

public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>
    /// Why the tool failed, in a line for the records page: the last lines it wrote to its error stream, or, when it wrote
    /// none (killed by the memory limit, or by a signal from the host), how it ended.
    /// </summary>
    public string Reason => ExternalTools.Tail(StandardError) is { Length: > 0 } tail ? tail
        : ExitCode > 128 ? $"stopped by signal {ExitCode - 128}"
        : ExitCode != 0 ? $"exit code {ExitCode}, no message"
        : "it ended without writing its output";
}
