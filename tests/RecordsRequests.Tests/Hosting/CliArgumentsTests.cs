using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Tests.Hosting;

public class CliArgumentsTests
{
    [Fact]
    public void Parse_SeparatesOptionsFlagsAndPositionals()
    {
        var args = new CliArguments(["mail.mbox", "--custodian", "jsmith", "--json"], new HashSet<string> { "json" });

        Assert.Equal(["mail.mbox"], args.Positional);
        Assert.Equal("jsmith", args.Value("custodian"));
        Assert.True(args.Has("json"));
        Assert.False(args.Has("limit"));
    }

    [Fact]
    public void Parse_OptionWithoutValue_IsAUsageError() =>
        Assert.Throws<UsageException>(() => new CliArguments(["--custodian"], new HashSet<string>()));

    [Fact]
    public void RejectUnknown_NamesTheUnknownOption()
    {
        var args = new CliArguments(["--colour", "red"], new HashSet<string>());
        var error = Assert.Throws<UsageException>(() => args.RejectUnknown("custodian"));
        Assert.Contains("--colour", error.Message, StringComparison.Ordinal);
    }
}
