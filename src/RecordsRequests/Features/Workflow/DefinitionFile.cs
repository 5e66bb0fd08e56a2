namespace RecordsRequests.Features.Workflow;

/// <summary>One <c>workflows/&lt;name&gt;.v&lt;N&gt;.json</c> file, as written (see workflows/README.md).</summary>
public sealed record DefinitionFile(string Id, int Version, string? Description, string Start, IReadOnlyList<NodeFile> Steps);
