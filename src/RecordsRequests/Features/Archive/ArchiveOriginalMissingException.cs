namespace RecordsRequests.Features.Archive;

/// <summary>
/// The database lists an archived item whose original is not in the content store. Every original is stored and synced
/// before its row is saved, so this means the data folder is not the one the database was used with, or was lost:
/// indexing on would leave the item unsearchable, so the import or rebuild stops and says so.
/// </summary>
public sealed class ArchiveOriginalMissingException(Guid itemId, string sha256, string contentFolder, Exception inner)
    : Exception(
        $"The original of archive item {itemId} (SHA-256 {sha256}) is not in the content store, {contentFolder}. " +
        "Every archived original is stored there before the database lists it, so the data folder (RECORDS_DATA) is probably not " +
        "the one this database was used with: point RECORDS_DATA at that folder, or restore it from a backup. " +
        "The database and the stored originals were not changed.", inner);
