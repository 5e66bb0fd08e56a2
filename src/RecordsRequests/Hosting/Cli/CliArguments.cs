namespace RecordsRequests.Hosting.Cli;

/// <summary>A small reader for <c>--name value</c> and <c>--flag</c> arguments, shared by every command.</summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public CliArguments(IReadOnlyList<string> arguments, IReadOnlySet<string> flags)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.StartsWith("--", StringComparison.Ordinal) && argument.Length > 2)
            {
                var name = argument[2..];
                if (flags.Contains(name))
                {
                    _options[name] = null;
                }
                else if (i + 1 < arguments.Count)
                {
                    _options[name] = arguments[++i];
                }
                else
                {
                    throw new UsageException($"--{name} needs a value.");
                }
            }
            else
            {
                _positional.Add(argument);
            }
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public void RejectUnknown(params string[] known)
    {
        var unknown = _options.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"Unknown option --{unknown[0]}.");
        }
    }
}
