using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;
using WorkflowCore.Interface;

namespace RecordsRequests.Features.Demo;

public static class DemoModule
{
    public static IServiceCollection AddDemo(this IServiceCollection services) =>
        services.AddCliCommand<SeedDemoCommand>();
}
