namespace RecordsRequests.Features.Documents;

/// <summary>
/// One page of a record as reviewers see it and as it is released: its size in points, its picture (rendered from the
/// record's rendition at <see cref="PageImages.ReviewDpi"/>, kept in the content store) and its words.
/// </summary>
public sealed class DocumentPage
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RecordId { get; private set; }
    public int Number { get; private set; }
    public double Width { get; private set; }
    public double Height { get; private set; }
    public string ImageSha256 { get; private set; } = "";
    public bool HasColour { get; private set; }
    public PageTextSource TextSource { get; private set; }
    public List<PageWord> Words { get; private set; } = [];

    private DocumentPage() { }

    public static DocumentPage Create(Guid recordId, int number, double width, double height, string imageSha256, bool hasColour,
        PageTextSource textSource, List<PageWord> words) => new()
        {
            RecordId = recordId,
            Number = number,
            Width = width,
            Height = height,
            ImageSha256 = imageSha256,
            HasColour = hasColour,
            TextSource = textSource,
            Words = words,
        };
}
