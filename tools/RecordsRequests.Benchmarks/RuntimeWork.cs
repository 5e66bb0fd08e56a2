using System.Runtime;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// The runtime's own work over a stretch of a bench: the methods the JIT compiled and the time it spent compiling, the
/// bytes allocated, the collections of each generation and the time threads were paused for them. Read with
/// <see cref="Now"/> before and after, and <see cref="Since"/> gives what the stretch cost.
/// </summary>
internal sealed record RuntimeWork(long JitMethods, TimeSpan JitTime, long Allocated, int[] Collections, TimeSpan GcPauses)
{
    public static RuntimeWork Now() => new(JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(), GC.GetTotalAllocatedBytes(precise: true),
        [.. Enumerable.Range(0, GC.MaxGeneration + 1).Select(GC.CollectionCount)], GC.GetTotalPauseDuration());

    public RuntimeWork Since(RuntimeWork before) => new(JitMethods - before.JitMethods, JitTime - before.JitTime, Allocated - before.Allocated,
        [.. Collections.Zip(before.Collections, (now, then) => now - then)], GcPauses - before.GcPauses);

    /// <summary>"65 / 23 / 20 of generations 0 / 1 / 2, threads paused for them 1.10 s"</summary>
    public string CollectionsText() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{string.Join(" / ", Collections.Select(n => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} of generations {string.Join(" / ", Enumerable.Range(0, Collections.Length))}, threads paused for them {GcPauses.TotalSeconds:F2} s");
}
