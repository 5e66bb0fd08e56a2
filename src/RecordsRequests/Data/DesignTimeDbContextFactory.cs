using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using RecordsRequests.Hosting;

namespace RecordsRequests.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database or host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DataModule.Configure(builder, new NpgsqlDataSourceBuilder("Host=design-time-only").Build());
        return new AppDbContext(builder.Options, new DesignTimeActor(), TimeProvider.System);
    }

    private sealed class DesignTimeActor : ICurrentActor
    {
        public string Name => "design-time";
    }
}
