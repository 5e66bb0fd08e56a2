using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Demo;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Reports;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Status;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Hosting;

public static class RecordsHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] == "serve")
        {
            var app = BuildWebApplication(args.Skip(1).ToArray());
            await app.RunAsync();
            return 0;
        }

        return await RunCommandAsync(args);
    }

    /// <summary>
    /// Runs the command named by <paramref name="args"/> with the app's configuration and services. A tool outside the
    /// product (the benchmarks) passes <paramref name="commands"/> to offer its own commands instead of the product's.
    /// </summary>
    public static async Task<int> RunCommandAsync(string[] args, Action<IServiceCollection>? commands = null, string program = "ops/records")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddRecordsEnvironment();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // EF logs the probe of a missing migrations table on a first migrate as an error; real failures still throw.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        AddRecordsCore(builder.Services);
        if (commands is not null)
        {
            builder.Services.RemoveAll<CliCommandDescriptor>();
            commands(builder.Services);
        }
        // Identity's token providers (resolved with every command through SeedDemo's UserManager) need data protection,
        // which the web host gets from its cookie authentication; without this no command could start.
        using var host = builder.Build();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            return await CliRunner.RunAsync(host.Services, args, cancel.Token, program);
        }
        catch (OptionsValidationException e)
        {
            // A setting is missing or out of range (no database configured, a fee above the legal cap): say which, in
            // one line, instead of a stack trace.
            await Console.Error.WriteLineAsync($"Configuration error: {string.Join(" ", e.Failures)} (see ops/env.example).");
            return 78;
        }
    }

    public static WebApplication BuildWebApplication(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            // Named explicitly so Razor Pages are found when a test host, not this assembly, is the entry point.
            ApplicationName = typeof(RecordsHost).Assembly.GetName().Name,
        });
        builder.Configuration.AddRecordsEnvironment();
        AddRecordsCore(builder.Services);
        builder.AddRecordsWeb();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseRecordsWeb();
        return app;
    }

    /// <summary>Services the web host and the command line share.</summary>
    public static void AddRecordsCore(IServiceCollection services)
    {
        services.AddOptions<RecordsOptions>()
            .BindConfiguration(RecordsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Records:TimeZone is not a known IANA time zone.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DistrictTime>();
        services.AddHttpContextAccessor();
        services.AddScoped<HttpOrSystemActor>();
        services.AddScoped<ICurrentActor>(provider => provider.GetRequiredService<HttpOrSystemActor>());
        services.AddRecordsData();
        services.AddAbuseLimits();
        services.AddAccounts();
        services.AddRequests();
        services.AddDemo();
        services.AddJobs();
        services.AddMail();
        services.AddCorrespondence();
        services.AddDeadlines();
        services.AddIntake();
        services.AddMailboxes();
        services.AddDocuments();
        services.AddRedactions();
        services.AddReleases();
        services.AddWorkflowEngine();
        services.AddRecordStorage();
        services.AddArchive();
        services.AddStatusLinks();
        services.AddReports();
        services.AddCliCommand<MigrateCommand>();
    }

    /// <summary>Resolves the configured data folder to an absolute path and makes sure it exists.</summary>
    public static string DataPath(this IOptions<RecordsOptions> options)
    {
        var path = Path.GetFullPath(options.Value.DataPath);
        Directory.CreateDirectory(path);
        return path;
    }
}
