using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink;

/// <summary>Binds EventLink's schema and options from configuration, such as <c>appsettings.json</c>.</summary>
public static class EventLinkConfigurationBuilderExtensions
{
    /// <summary>Binds the schema from configuration (the shape of <see cref="EventLinkSchemaOptions"/>).</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="schemaSection">The section, such as <c>Configuration.GetSection("EventLink:Schema")</c>.</param>
    /// <returns>The builder.</returns>
    public static TBuilder BindSchema<TBuilder>(this TBuilder builder, IConfiguration schemaSection)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(schemaSection);
        builder.Services.Configure<EventLinkSchemaOptions>(schemaSection);
        return builder;
    }

    /// <summary>Binds engine options from a section, the schema from its <c>Schema</c> child and the privacy options (the tombstone secret among them) from its <c>Privacy</c> child.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, such as <c>Configuration.GetSection("EventLink")</c>.</param>
    /// <returns>The builder.</returns>
    public static TBuilder BindConfiguration<TBuilder>(this TBuilder builder, IConfiguration section)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.Configure<EventLinkOptions>(section);
        builder.Services.Configure<EventLinkPrivacyOptions>(section.GetSection("Privacy"));
        return builder.BindSchema(section.GetSection("Schema"));
    }

    /// <summary>Binds data-quality options from configuration (the shape of <see cref="DataQualityOptions"/>; delegates are C# only).</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, such as <c>Configuration.GetSection("EventLink:DataQuality")</c>.</param>
    /// <returns>The builder.</returns>
    public static TBuilder BindDataQuality<TBuilder>(this TBuilder builder, IConfiguration section)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.Configure<DataQualityOptions>(section);
        return builder;
    }

    /// <summary>Binds computed traits, audiences and event triggers from configuration (the shape of <see cref="TraitsOptions"/>).</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, such as <c>Configuration.GetSection("EventLink:Traits")</c>.</param>
    /// <returns>The builder.</returns>
    public static TBuilder BindTraits<TBuilder>(this TBuilder builder, IConfiguration section)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.Configure<TraitsOptions>(section);
        return builder;
    }
}
