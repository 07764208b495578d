using System.Diagnostics.CodeAnalysis;
using EventLink.Storage;
using EventLink.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLink;

/// <summary>Configuration methods of <see cref="IEventLinkBuilder"/>.</summary>
public static class EventLinkBuilderExtensions
{
    /// <summary>Defines (part of) the schema in C#. May be called several times; definitions add up.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Defines record types, merge rules and identity rules.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddSchema<TBuilder>(this TBuilder builder, Action<SchemaBuilder> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<EventLinkSchemaOptions>(options => configure(new SchemaBuilder(options)));
        return builder;
    }

    /// <summary>Configures engine options.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder.</returns>
    public static TBuilder Configure<TBuilder>(this TBuilder builder, Action<EventLinkOptions> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Uses the in-memory store (the default).</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static TBuilder UseInMemoryStore<TBuilder>(this TBuilder builder)
        where TBuilder : IEventLinkBuilder =>
        builder.UseStore(_ => new InMemoryEventLinkStore());

    /// <summary>Uses a store created by a factory; it is a singleton the container disposes.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store.</param>
    /// <returns>The builder.</returns>
    public static TBuilder UseStore<TBuilder>(this TBuilder builder, Func<IServiceProvider, EventLinkStore> factory)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<EventLinkStore>();
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Takes the ambient tenant from an accessor (for example one reading the current HTTP request).</summary>
    /// <typeparam name="TAccessor">The accessor type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEventLinkBuilder UseTenantAccessor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAccessor>(this IEventLinkBuilder builder)
        where TAccessor : class, ITenantAccessor
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ITenantAccessor>();
        builder.Services.AddSingleton<ITenantAccessor, TAccessor>();
        return builder;
    }
}
