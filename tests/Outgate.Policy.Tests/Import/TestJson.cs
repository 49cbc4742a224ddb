using System.Text.Json.Serialization;

namespace Outgate.Policy.Tests.Import;

/// <summary>Source-generated JSON for building rule files in tests (patterns need JSON string escaping).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class TestJson : JsonSerializerContext;
