namespace RecordsRequests.Features.Releases;

/// <summary>One entry of a ZIP package (an OOXML file, or any ZIP) as the leak gate reads it.</summary>
/// <param name="Name">The entry's path inside the package; nested packages are written outer/inner.</param>
/// <param name="Bytes">The inflated bytes of the entry, for the raw byte searches.</param>
/// <param name="Text">For an XML entry, every text node and attribute value; null when the entry is not XML.</param>
/// <param name="JoinedText">For an XML entry, the text nodes of each paragraph, cell or string item joined with
/// nothing between them, so a word Word split over two runs ("Oka" + "for") is read whole; null when not XML.</param>
public sealed record PackageEntry(string Name, byte[] Bytes, string? Text, string? JoinedText);
