using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Lucene41;
using Lucene.Net.Codecs.Lucene46;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Lucene's default codec, writing larger blocks of terms. Each block of the terms dictionary gets a small FST of its
/// own when a segment is flushed or merged, and Lucene 4.8 starts every one with a 32 KB page: with the default 25 to
/// 48 terms a block, that was the largest source of garbage during an import (the Enron mail has a large vocabulary of
/// numbers, addresses and names). Four times larger blocks make a quarter of the FSTs; looking a term up scans a
/// longer block, which costs microseconds. Only the writer's block sizes differ: segments are still "Lucene46" with
/// "Lucene41" postings, so any Lucene 4.8 reader (and an index written before) reads them as usual.
/// </summary>
public sealed class ArchiveCodec : Lucene46Codec
{
    private const int MinTermsPerBlock = 100;
    private const int MaxTermsPerBlock = 2 * (MinTermsPerBlock - 1);

    private static readonly PostingsFormat LargerTermBlocks = new Lucene41PostingsFormat(MinTermsPerBlock, MaxTermsPerBlock);

    public override PostingsFormat GetPostingsFormatForField(string field) => LargerTermBlocks;
}
