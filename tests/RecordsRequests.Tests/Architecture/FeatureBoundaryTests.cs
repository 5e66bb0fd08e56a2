using System.Reflection;
using NetArchTest.Rules;
using RecordsRequests.Hosting;

namespace RecordsRequests.Tests.Architecture;

/// <summary>
/// Feature folders (namespaces under RecordsRequests.Features) may use one another, but never in a circle: a feature
/// that needs to hear from one it is used by does so through an interface it owns (for example IRequestOpenedObserver,
/// IDecisionEvidence), so each can be read, changed and tested starting from the ones below it.
/// </summary>
public class FeatureBoundaryTests
{
    private const string Features = "RecordsRequests.Features";
    private static readonly Assembly Product = typeof(RecordsHost).Assembly;

    [Fact]
    public void FeatureFolders_DependOnEachOtherWithoutCycles()
    {
        var graph = DependencyGraph(Product);

        var cycles = Cycles(graph).Select(cycle => string.Join(" ↔ ", cycle)).ToList();

        Assert.True(cycles.Count == 0, "Features in a cycle: " + string.Join("; ", cycles) + "\n" + Explain(graph, cycles));
    }

    [Fact]
    public void TheCycleCheck_FindsACycle()
    {
        // The check itself: two features that use each other are one cycle, a third that only uses them is outside it.
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["A"],
            ["C"] = ["A"],
        };
        Assert.Equal([["A", "B"]], Cycles(graph).Select(c => c.Order().ToList()).ToList());
    }

    /// <summary>For every feature, the features its types refer to (NetArchTest reads the compiled IL).</summary>
    private static Dictionary<string, HashSet<string>> DependencyGraph(Assembly assembly)
    {
        var features = Types.InAssembly(assembly).That().ResideInNamespaceStartingWith(Features + ".").GetTypes()
            .Select(t => t.Namespace!.Split('.')[2]).Distinct().Order().ToList();
        var graph = features.ToDictionary(f => f, _ => new HashSet<string>());
        foreach (var from in features)
        {
            foreach (var to in features.Where(to => to != from))
            {
                var result = Types.InAssembly(assembly).That().ResideInNamespaceMatching($@"^{Features.Replace(".", @"\.")}\.{from}(\..*)?$")
                    .ShouldNot().HaveDependencyOn($"{Features}.{to}").GetResult();
                if (!result.IsSuccessful)
                {
                    graph[from].Add(to);
                }
            }
        }
        return graph;
    }

    private static string Explain(Dictionary<string, HashSet<string>> graph, List<string> cycles) =>
        string.Join("\n", graph.Where(g => cycles.Any(c => c.Contains(g.Key, StringComparison.Ordinal)))
            .Select(g => $"{g.Key} → {string.Join(", ", g.Value.Order())}"));

    /// <summary>The strongly connected components with more than one feature (Tarjan's algorithm).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = 0;
        var indices = new Dictionary<string, int>();
        var lowLinks = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();

        void Connect(string node)
        {
            indices[node] = lowLinks[node] = index++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (!indices.ContainsKey(next))
                {
                    Connect(next);
                    lowLinks[node] = Math.Min(lowLinks[node], lowLinks[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLinks[node] = Math.Min(lowLinks[node], indices[next]);
                }
            }
            if (lowLinks[node] == indices[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    components.Add(component);
                }
            }
        }

        foreach (var node in graph.Keys.Order())
        {
            if (!indices.ContainsKey(node))
            {
                Connect(node);
            }
        }
        return components;
    }
}
