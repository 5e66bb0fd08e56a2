using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow.Engine;

/// <summary>
/// Type-preserving JSON for the engine's <c>object</c> members (workflow data, event data, pointer outcomes). The engine
/// needs the original .NET types back, so the stored JSON names types; upstream's providers let the stored name pick
/// any type (WorkflowCore issue #1280: a row naming e.g. System.Diagnostics.Process becomes code execution). Here a
/// stored name is only looked up in <see cref="AllowedTypes"/>: anything else is refused on read and on write.
/// </summary>
internal static class WorkflowJson
{
    /// <summary>
    /// Every type that may appear under <c>$type</c>. Adding a workflow data type means adding it here; renaming or
    /// moving one breaks instances in flight, so keep these names stable (the full name is what is stored).
    /// </summary>
    public static readonly IReadOnlyList<Type> AllowedTypes =
    [
        typeof(LifecycleData),
        typeof(LifecycleDecision),
        // The engine's own persistence data for container steps (parallel branches, schedules, loops).
        typeof(ControlPersistenceData),
        typeof(SchedulePersistenceData),
        typeof(IteratorPersistenceData),
        typeof(string), typeof(bool), typeof(int), typeof(long), typeof(double), typeof(decimal),
        typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan),
        typeof(List<string>), typeof(string[]), typeof(List<object>), typeof(Dictionary<string, object>),
        typeof(Dictionary<string, string>),
    ];

    private static readonly AllowListBinder Binder = new(AllowedTypes);

    public static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.Auto,
        SerializationBinder = Binder,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        // Stored in text columns, so $type stays first; ReadAhead guards against a hand-edited row with it elsewhere.
        MetadataPropertyHandling = MetadataPropertyHandling.ReadAhead,
        MaxDepth = 64,
    };

    public static string? SerializeObject(object? value) =>
        value is null ? null : JsonConvert.SerializeObject(value, typeof(object), Settings);

    public static object? DeserializeObject(string? json) =>
        json is null ? null : JsonConvert.DeserializeObject<object>(json, Settings);

    public static string Serialize<T>(T value) => JsonConvert.SerializeObject(value, typeof(T), Settings);

    public static T Deserialize<T>(string json) =>
        JsonConvert.DeserializeObject<T>(json, Settings) ?? throw new JsonSerializationException($"Stored {typeof(T).Name} is empty.");

    private sealed class AllowListBinder(IEnumerable<Type> allowed) : ISerializationBinder
    {
        private readonly Dictionary<string, Type> _byName = allowed.ToDictionary(Alias, StringComparer.Ordinal);
        private readonly Dictionary<Type, string> _names = allowed.ToDictionary(t => t, Alias);

        /// <summary>
        /// The stored name: the full name for a plain type; for a constructed generic, its definition's full name with
        /// the arguments' aliases, without assembly names or commas (Newtonsoft would read text after a comma as an assembly).
        /// </summary>
        private static string Alias(Type type) => type.IsGenericType
            ? $"{type.GetGenericTypeDefinition().FullName}[{string.Join("|", type.GetGenericArguments().Select(Alias))}]"
            : type.FullName!;

        public Type BindToType(string? assemblyName, string typeName) =>
            _byName.TryGetValue(typeName, out var type)
                ? type
                : throw new JsonSerializationException($"Stored workflow JSON names type '{typeName}', which is not on the allow-list.");

        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
        {
            if (!_names.TryGetValue(serializedType, out var name))
            {
                throw new JsonSerializationException($"Type '{serializedType.FullName}' may not be stored in workflow data; add it to WorkflowJson.AllowedTypes.");
            }
            // Only the full name is stored: the assembly never comes from the row.
            assemblyName = null;
            typeName = name;
        }
    }
}
