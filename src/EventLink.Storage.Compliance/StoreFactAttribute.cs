using Xunit.Abstractions;
using Xunit.Sdk;

namespace EventLink.Storage.Compliance;

/// <summary>
/// A contract test. It runs like <see cref="FactAttribute"/>, but is skipped (with the fixture's reason) when the
/// store behind the derived class is not available here: a fixture may declare <c>public static string? SkipReason</c>.
/// </summary>
[XunitTestCaseDiscoverer("EventLink.Storage.Compliance.StoreFactDiscoverer", "EventLink.Storage.Compliance")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests as <see cref="StoreTestCase"/>s.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A test case that asks the fixture of its (derived) test class whether its store is available.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        FixtureSkipReason(TestMethod.TestClass.Class.ToRuntimeType()) ?? base.GetSkipReason(factAttribute);

    private static string? FixtureSkipReason(Type? testClass)
    {
        for (var type = testClass; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ContractTestBase<>))
            {
                var property = type.GetGenericArguments()[0].GetProperty("SkipReason", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static);
                return property?.GetValue(null) as string;
            }
        }

        return null;
    }
}
