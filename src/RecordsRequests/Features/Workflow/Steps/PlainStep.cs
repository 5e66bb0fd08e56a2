using RecordsRequests.Data;
using RecordsRequests.Features.Mail;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>A step with no action of its own: it enters its status (if any) and, if it waits, goes wherever the person deciding chooses.</summary>
public sealed class PlainStep(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox) : LifecycleStep(db, actor, clock, outbox);
