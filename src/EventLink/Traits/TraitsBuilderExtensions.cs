using EventLink.Traits.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventLink;

/// <summary>Computed traits, audiences and triggers: configuration methods of <see cref="IEventLinkBuilder"/>.</summary>
public static class TraitsBuilderExtensions
{
    /// <summary>Defines computed traits, audiences and event triggers in C#. May be called several times; definitions add up.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adds definitions.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddTraits<TBuilder>(this TBuilder builder, Action<TraitsOptions> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
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

    /// <summary>Registers <see cref="EventLinkTraitsRefreshService"/>, a hosted service that evaluates due profiles every <see cref="TraitsOptions.RefreshInterval"/>.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddTraitsRefreshService<TBuilder>(this TBuilder builder)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<EventLinkTraitsRefreshService>();
        return builder;
    }

    /// <summary>Registers the options validation (called by <c>AddEventLink</c>).</summary>
    internal static void Register(IServiceCollection services)
    {
        services.AddOptions<TraitsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TraitsOptions>, TraitsOptionsValidator>());
    }

    private sealed class TraitsOptionsValidator(IOptions<EventLinkSchemaOptions> schema) : IValidateOptions<TraitsOptions>
    {
        public ValidateOptionsResult Validate(string? name, TraitsOptions options)
        {
            EventLinkSchema compiled;
            try
            {
                compiled = EventLinkSchema.Create(schema.Value);
            }
            catch (Exception ex) when (ex is SchemaValidationException or OptionsValidationException)
            {
                // The schema's own validator reports it.
                return ValidateOptionsResult.Skip;
            }

            var errors = TraitsRuntime.Validate(compiled, options);
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
