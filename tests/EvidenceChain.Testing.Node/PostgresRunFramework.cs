using System.Reflection;
using EvidenceChain.Testing.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace EvidenceChain.Testing.Node;

/// <summary>
/// The xunit framework of the integration tests' postgres run (an assembly that compiles the same tests and names this
/// framework): every <see cref="TestNode"/> of the run uses the postgres driver; a test marked
/// <see cref="FilesDriverOnlyAttribute"/> is skipped with its reason; and when no PostgreSQL server can be had here,
/// every test is skipped with the reason, except in CI (<c>CI=true</c>), where they run and fail.
/// </summary>
public sealed class PostgresRunFramework : XunitTestFramework
{
    /// <summary>The assembly attribute's arguments that name this framework.</summary>
    public const string TypeName = "EvidenceChain.Testing.Node.PostgresRunFramework";

    public const string AssemblyName = "EvidenceChain.Testing.Node";

    public PostgresRunFramework(IMessageSink messageSink)
        : base(messageSink) => TestNode.Driver = "postgres";

    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider sources, IMessageSink diagnostics)
        : XunitTestFrameworkDiscoverer(assembly, sources, diagnostics)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var method = testMethod.Method.ToRuntimeMethod();
            var filesOnly = method.GetCustomAttribute<FilesDriverOnlyAttribute>() ?? testMethod.TestClass.Class.ToRuntimeType().GetCustomAttribute<FilesDriverOnlyAttribute>();
            var skip = PostgresServer.SkipReason ?? (filesOnly is null ? null : "files driver only: " + filesOnly.Reason);
            if (skip is null || method.GetCustomAttribute<FactAttribute>() is null)
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var testCase = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip);
            return ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus);
        }
    }
}
