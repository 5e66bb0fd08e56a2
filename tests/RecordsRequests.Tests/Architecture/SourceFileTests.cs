using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RecordsRequests.Tests.Architecture;

/// <summary>
/// Every top-level type of the application and of the tools beside it (class, record, struct, interface, enum,
/// delegate) lives in a file named after it, alone, so a newcomer finds a type by its name and a file holds one thing.
/// A generic Foo&lt;T&gt; lives in Foo.cs; nested types stay inside their type; a partial type may span Foo.cs and
/// Foo.Part.cs; a Razor page's X.cshtml.cs holds its page model XModel. EF Core's migrations are generated and left as
/// written.
/// </summary>
public class SourceFileTests
{
    private static readonly string[] Generated = ["Data/Migrations/"];

    [Theory]
    [InlineData("src/RecordsRequests", 100)]
    // The benchmarks and the code tests share with them, outside the product.
    [InlineData("tools/RecordsRequests.Benchmarks", 5)]
    [InlineData("tools/RecordsRequests.TestSupport", 3)]
    public void EachTopLevelType_LivesAloneInAFileNamedAfterIt(string project, int atLeast)
    {
        var root = Path.Combine(RepositoryRoot(), project);
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => (Path: f, Relative: Path.GetRelativePath(root, f).Replace('\\', '/')))
            .Where(f => !f.Relative.StartsWith("bin/", StringComparison.Ordinal) && !f.Relative.StartsWith("obj/", StringComparison.Ordinal))
            .Where(f => !Generated.Any(folder => f.Relative.StartsWith(folder, StringComparison.Ordinal)))
            .ToList();

        var offences = files.SelectMany(f => Offences(f.Relative, File.ReadAllText(f.Path))).Order(StringComparer.Ordinal).ToList();

        Assert.True(files.Count > atLeast, $"Only {files.Count} source files found under {root}.");
        Assert.True(offences.Count == 0, $"{offences.Count} files break \"one top-level type per file, named after it\":\n" + string.Join("\n", offences));
    }

    [Fact]
    public void TheFileCheck_FindsASecondTypeAndAMisnamedOne()
    {
        // The check itself, on files that exist only here.
        Assert.Empty(Offences("Features/Requests/Request.cs", "namespace N;\n/// <summary>A.</summary>\npublic sealed class Request { public enum Kind { A } }\n"));
        Assert.Empty(Offences("Features/Requests/Result.cs", "namespace N;\npublic sealed record Result<T>(T Value);\n"));
        Assert.Empty(Offences("Features/Redactions/PiiDetector.Context.cs", "namespace N;\npublic sealed partial class PiiDetector;\n"));
        Assert.Empty(Offences("Features/Status/Confirm.cshtml.cs", "namespace N;\npublic sealed class ConfirmModel;\n"));
        Assert.Empty(Offences("Program.cs", "return 0;\npublic partial class Program;\n"));

        Assert.Equal(["Features/Requests/Request.cs declares 2 top-level types (Request, RequestRow): give each a file named after it"],
            Offences("Features/Requests/Request.cs", "namespace N;\npublic sealed class Request;\npublic sealed record RequestRow(int Id);\n"));
        Assert.Equal(["Features/Requests/Enums.cs declares RequestKind, not Enums: name the file after its type"],
            Offences("Features/Requests/Enums.cs", "namespace N;\npublic enum RequestKind { Email }\n"));
        Assert.Equal(["Features/Status/Confirm.cshtml.cs declares ConfirmRow, not ConfirmModel: name the file after its type"],
            Offences("Features/Status/Confirm.cshtml.cs", "namespace N\n{\n    public delegate void ConfirmRow();\n}\n"));
    }

    /// <summary>What is wrong with one source file, as one line each (the path relative to src/RecordsRequests).</summary>
    private static List<string> Offences(string relative, string text)
    {
        var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview));
        if (tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            return [$"{relative} does not parse: {error}"];
        }
        var root = tree.GetCompilationUnitRoot();
        var types = TopLevelTypes(root.Members).Select(Name).Distinct(StringComparer.Ordinal).ToList();
        var fileName = Path.GetFileName(relative);
        // X.cshtml.cs holds the page model XModel; Foo.cs and the parts of a partial type (Foo.Part.cs) hold Foo.
        var expected = fileName.EndsWith(".cshtml.cs", StringComparison.Ordinal)
            ? fileName[..^".cshtml.cs".Length] + "Model"
            : fileName.Split('.')[0];
        if (types.Count > 1)
        {
            return [$"{relative} declares {types.Count} top-level types ({string.Join(", ", types)}): give each a file named after it"];
        }
        if (types.Count == 1 && types[0] != expected)
        {
            return [$"{relative} declares {types[0]}, not {expected}: name the file after its type"];
        }
        return [];
    }

    private static IEnumerable<MemberDeclarationSyntax> TopLevelTypes(SyntaxList<MemberDeclarationSyntax> members) =>
        members.SelectMany(m => m is BaseNamespaceDeclarationSyntax ns
            ? TopLevelTypes(ns.Members)
            : m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax ? [m] : []);

    private static string Name(MemberDeclarationSyntax type) => type switch
    {
        BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
        DelegateDeclarationSyntax d => d.Identifier.ValueText,
        _ => throw new ArgumentException($"Not a type: {type.Kind()}", nameof(type)),
    };

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RecordsRequests.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No repository (RecordsRequests.sln) above {AppContext.BaseDirectory}.");
    }
}
