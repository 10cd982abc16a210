using Xunit;

namespace Router.Tests.Lab;

/// <summary>Lab tests share one set of namespaces and run alone (one router owns the TAPs at a time; timing stays sane).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "Real-network lab";
}
