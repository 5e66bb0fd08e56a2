using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// Hangfire keeps its job storage, job activator and log provider in process-wide statics: each service provider sets
/// them when it first resolves a Hangfire service, and takes the storage and activator that are set at that moment.
/// One host at a time, that was its own. With test lanes running hosts side by side, a host could take another lane's
/// storage (its jobs would run against the other lane's database) and log through a stopped host's disposed logger
/// factory. So every provider the tests build takes its own storage and activator as it is built, under one lock, and
/// Hangfire's log provider is then one that outlives every host (Hangfire's own messages are not logged in tests).
/// </summary>
internal static class HangfireGlobals
{
    private static readonly Lock Gate = new();

    /// <summary>Builds a service provider (or a host around one) and pins its Hangfire services, with no other build in between.</summary>
    public static T BuildPinned<T>(Func<T> build, Func<T, IServiceProvider> servicesOf)
    {
        lock (Gate)
        {
            var built = build();
            var services = servicesOf(built);
            if (services.GetService<IGlobalConfiguration>() is not null)
            {
                services.GetRequiredService<JobStorage>();
                services.GetRequiredService<JobActivator>();
                GlobalConfiguration.Configuration.UseLogProvider(new AspNetCoreLogProvider(NullLoggerFactory.Instance));
            }
            return built;
        }
    }
}
