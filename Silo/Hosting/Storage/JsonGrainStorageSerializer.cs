using Summit.Data.Storage;
using System.Text.Json;
using Orleans.Storage;
using Summit.Serialization;

namespace Summit.Hosting.Storage;

/// <summary>
/// Stores grain state as plain System.Text.Json in Summit's JSON shape, so rows are readable with psql
/// and carry no .NET type names that would tie stored data to class names.
/// </summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    private readonly JsonSerializerOptions _options;

    public JsonGrainStorageSerializer() : this(SummitJson.Options) { }

    public JsonGrainStorageSerializer(JsonSerializerOptions options) => _options = options;

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, _options));

    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(_options)!;
}
