using Microsoft.Extensions.DependencyInjection;

namespace EventLink;

/// <summary>Configures EventLink: schema, store and options. Store packages add their <c>Use…</c> methods to it.</summary>
public interface IEventLinkBuilder
{
    /// <summary>Gets the service collection EventLink registers into.</summary>
    IServiceCollection Services { get; }
}
