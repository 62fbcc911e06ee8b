using Xunit.Abstractions;
using Xunit.Sdk;

namespace EvidenceChain.Testing.Postgres;

/// <summary>Marks a test class that needs the PostgreSQL server.</summary>
public interface INeedPostgres
{
}

/// <summary>
/// A fact of a contract suite. In a class that implements <see cref="INeedPostgres"/> it is skipped with the reason when
/// no server can be had here, except in CI (<c>CI=true</c>), where it runs and fails.
/// </summary>
[XunitTestCaseDiscoverer("EvidenceChain.Testing.Postgres.ContractFactDiscoverer", "EvidenceChain.Testing.Postgres")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute
{
}

/// <summary>Finds <see cref="ContractFactAttribute"/> tests, skipping those of <see cref="INeedPostgres"/> classes when there is no server.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var type = testMethod.TestClass.Class.ToRuntimeType();
        var display = discoveryOptions.MethodDisplayOrDefault();
        var options = discoveryOptions.MethodDisplayOptionsOrDefault();
        if (typeof(INeedPostgres).IsAssignableFrom(type) && PostgresServer.SkipReason is { } skip)
        {
            yield return new XunitSkippedDataRowTestCase(diagnostics, display, options, testMethod, skip);
        }
        else
        {
            yield return new XunitTestCase(diagnostics, display, options, testMethod);
        }
    }
}
