using Npgsql;
using RecordsRequests.Data;

namespace RecordsRequests.Tests.Hosting;

public sealed class DataSourceTests
{
    [Fact]
    public void StatementsAreAutoPreparedUnlessTheConnectionStringSaysOtherwise()
    {
        Assert.Equal(DataModule.AutoPreparedStatements, MaxAutoPrepare("Host=db.example;Database=records"));
        Assert.Equal(0, MaxAutoPrepare("Host=db.example;Database=records;Max Auto Prepare=0"));
        Assert.Equal(7, MaxAutoPrepare("Host=db.example;Database=records;maxautoprepare=7"));
    }

    private static int MaxAutoPrepare(string connectionString)
    {
        using var dataSource = DataModule.BuildDataSource(connectionString);
        return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare;
    }
}
