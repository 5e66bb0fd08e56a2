using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util.Packed;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// One segment's estimated pages and attachment count per item, read from its doc values once and then held in memory
/// as long as the segment is in use: the fee figures add them up over every hit of a search, and reading doc values
/// (from the mapped index file) cost about 20 ns a value. At 1,000,000 generated messages that was 10 of the 15 ms of
/// CPU a search for one common word took (233,588 hits, two values each); from memory it is about 1 ms. Values are packed
/// to the bits the segment's largest needs (a few MB per million items). A segment's doc values never change: the
/// archive replaces an item by adding it again, never updates a value in place.
/// </summary>
internal sealed class SegmentFeeFigures
{
    private static readonly ConditionalWeakTable<object, SegmentFeeFigures> Loaded = new();

    private readonly PackedValues? _pages;
    private readonly PackedValues? _attachments;

    private SegmentFeeFigures(AtomicReader reader)
    {
        _pages = PackedValues.Read(reader, ArchiveFields.Pages);
        _attachments = PackedValues.Read(reader, ArchiveFields.Attachments);
    }

    /// <summary>The figures of <paramref name="reader"/>'s segment, loaded by the first search that needs them.</summary>
    public static SegmentFeeFigures Of(AtomicReader reader) => Loaded.GetValue(reader.CoreCacheKey, _ => new SegmentFeeFigures(reader));

    /// <summary>An item indexed without a page estimate counts as one page.</summary>
    public long PagesOf(int doc) => _pages?.Get(doc) ?? 1;

    public long AttachmentsOf(int doc) => _attachments?.Get(doc) ?? 0;

    private sealed class PackedValues(long minimum, PackedInt32s.Mutable offsets)
    {
        public long Get(int doc) => minimum + offsets.Get(doc);

        /// <summary>Null when the segment has no such doc values.</summary>
        public static PackedValues? Read(AtomicReader reader, string field)
        {
            if (reader.GetNumericDocValues(field) is not { } values)
            {
                return null;
            }
            var count = reader.MaxDoc;
            long minimum = long.MaxValue, maximum = long.MinValue;
            for (var doc = 0; doc < count; doc++)
            {
                var value = values.Get(doc);
                minimum = Math.Min(minimum, value);
                maximum = Math.Max(maximum, value);
            }
            if (count == 0)
            {
                minimum = maximum = 0;
            }
            var offsets = PackedInt32s.GetMutable(count, PackedInt32s.BitsRequired(maximum - minimum), PackedInt32s.FAST);
            for (var doc = 0; doc < count; doc++)
            {
                offsets.Set(doc, values.Get(doc) - minimum);
            }
            return new PackedValues(minimum, offsets);
        }
    }
}
