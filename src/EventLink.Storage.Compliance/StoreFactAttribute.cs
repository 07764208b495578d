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

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests as <see cref="StoreTestCase"/>s (xunit creates it by name).</summary>
/// <param name="diagnosticMessageSink">The sink for xunit's diagnostic messages.</param>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc/>
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A test case that asks the fixture of its (derived) test class whether its store is available.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    /// <summary>Initializes a test case for xunit's de-serializer; not for direct use.</summary>
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    /// <summary>Initializes a test case for <paramref name="testMethod"/>.</summary>
    /// <param name="diagnosticMessageSink">The sink for xunit's diagnostic messages.</param>
    /// <param name="defaultMethodDisplay">How the test's name is displayed.</param>
    /// <param name="defaultMethodDisplayOptions">The options of that display.</param>
    /// <param name="testMethod">The test method.</param>
    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    /// <summary>Gets the fixture's <c>SkipReason</c> when it declares one and it is not <see langword="null"/>, otherwise the attribute's own <c>Skip</c>.</summary>
    /// <param name="factAttribute">The test's attribute.</param>
    /// <returns>Why the test is skipped, or <see langword="null"/> when it runs.</returns>
    protected override string? GetSkipReason(IAttributeInfo factAttribute)
    {
        var testClass = TestMethod.TestClass.Class.ToRuntimeType();
        return FixtureStatic(testClass, "SkipReason") as string
            ?? MissingCapabilityReason(testClass, TestMethod.Method.ToRuntimeMethod())
            ?? base.GetSkipReason(factAttribute);
    }

    /// <summary>Why a test needing a capability the fixture does not declare is skipped, or <see langword="null"/>.</summary>
    private static string? MissingCapabilityReason(Type? testClass, System.Reflection.MethodInfo? method)
    {
        if (testClass is null || FixtureStatic(testClass, "Capabilities") is not StoreCapabilities declared)
        {
            return null;
        }

        var needed = testClass.GetCustomAttributes(typeof(RequiresCapabilityAttribute), inherit: true)
            .Concat(method?.GetCustomAttributes(typeof(RequiresCapabilityAttribute), inherit: true) ?? [])
            .Cast<RequiresCapabilityAttribute>()
            .FirstOrDefault(a => !declared.HasFlag(a.Capability));
        return needed is null ? null : $"The store does not declare StoreCapabilities.{needed.Capability}.";
    }

    /// <summary>Reads a public static property of the fixture of a contract test class, or <see langword="null"/>.</summary>
    private static object? FixtureStatic(Type? testClass, string name)
    {
        for (var type = testClass; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ContractTestBase<>))
            {
                var property = type.GetGenericArguments()[0].GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static);
                return property?.GetValue(null);
            }
        }

        return null;
    }
}
