using RecordsRequests.Data;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>The collections table on the request's page.</summary>
public sealed class RequestCollectionsViewComponent(AppDbContext db) : Microsoft.AspNetCore.Mvc.ViewComponent
{
    public async Task<Microsoft.AspNetCore.Mvc.IViewComponentResult> InvokeAsync(Guid requestId, string trackingNumber, bool canResume) =>
        View("/Features/Mailboxes/_Collections.cshtml", new CollectionsPanel(trackingNumber, await CollectModel.ForRequestAsync(db, requestId, HttpContext.RequestAborted), canResume));
}
