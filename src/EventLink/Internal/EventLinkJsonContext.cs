using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EventLink.Traits.Internal;

namespace EventLink.Internal;

/// <summary>
/// The types the engine serialises itself, with their serialisation code generated at compile time, so trimmed and
/// Native AOT applications work without reflection.
/// </summary>
[JsonSourceGenerationOptions(PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(EventLinkSchemaOptions))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, bool>>))]
internal sealed partial class EventLinkJsonContext : JsonSerializerContext;

/// <summary>Trait state as stored: short property names, nulls left out.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TraitState))]
internal sealed partial class TraitStateJsonContext : JsonSerializerContext;
