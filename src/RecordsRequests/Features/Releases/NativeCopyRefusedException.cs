namespace RecordsRequests.Features.Releases;

/// <summary>Raised inside a cleaner when a file holds something that cannot be released natively.</summary>
internal sealed class NativeCopyRefusedException(string reason) : Exception(reason);
