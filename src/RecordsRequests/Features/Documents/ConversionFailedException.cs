namespace RecordsRequests.Features.Documents;

/// <summary>A converter failed, ran out of time or memory: the record fails with this reason, in plain words.</summary>
public sealed class ConversionFailedException(string reason) : Exception(reason);
