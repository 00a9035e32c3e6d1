using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Summit.Data;
using Summit.Data.Files;
using Summit.Data.Notifications;
using Summit.Gateway.Live;
using Summit.Gateway.Security;
using Summit.Grains.Deadlines;
using Summit.Hosting.DemoData;
using Summit.Settings;
using Summit.Tests.Api;

namespace Summit.Tests.Hosting;

/// <summary>Every options class is checked at start-up; a wrong setting stops the host with a message naming it.</summary>
public sealed class SettingsValidationTests
{
    // Nothing listens here: a host stopped by its settings never opens a connection.
    private const string UnusedDatabase = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none";

    private static readonly Assembly[] SummitAssemblies =
    [
        typeof(SettingsValidator<>).Assembly, typeof(DeadlineEngineOptions).Assembly, typeof(SummitHostingOptions).Assembly,
        typeof(DemoDataOptions).Assembly, typeof(LiveOptions).Assembly, typeof(Program).Assembly,
    ];

    /// <summary>Each options class with the section it is bound from (its <c>Section</c> or <c>SectionName</c> constant).</summary>
    public static TheoryData<string> OptionsClasses()
    {
        var data = new TheoryData<string>();
        foreach (var type in OptionsTypes()) data.Add(type.FullName!);
        return data;
    }

    private static IEnumerable<Type> OptionsTypes() =>
        SummitAssemblies.Distinct().SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsClass && !t.IsAbstract && t.Name.EndsWith("Options", StringComparison.Ordinal) && SectionOf(t) is not null);

    private static string? SectionOf(Type type) =>
        (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) ?? type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static))
        ?.GetRawConstantValue() as string;

    [Fact]
    public void Every_options_class_is_found()
    {
        var names = OptionsTypes().Select(t => t.Name).ToHashSet();
        foreach (var expected in new[]
                 {
                     "LiveOptions", "ProgressOptions", "SummitAuthOptions", "RateLimitOptions", "AdminBootstrapOptions", "IdempotencyOptions",
                     "WebhookOptions", "NotificationPruningOptions", "DeadlineEngineOptions", "DemoDataOptions", "DatabasePoolOptions",
                     "SummitHostingOptions",
                 })
            Assert.Contains(expected, names);
    }

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void The_defaults_are_valid(string typeName)
    {
        var type = OptionsTypes().Single(t => t.FullName == typeName);
        var validator = Activator.CreateInstance(typeof(SettingsValidator<>).MakeGenericType(type), SectionOf(type))!;
        var result = (ValidateOptionsResult)validator.GetType().GetMethod(nameof(SettingsValidator<object>.Validate))!
            .Invoke(validator, [null, Activator.CreateInstance(type)])!;
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_missing_signing_key_is_valid_in_demo_mode_only()
    {
        static ValidateOptionsResult Check(bool demo, string? key) => new SigningKeyValidator(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [SummitHostingOptions.DemoEnabledKey] = demo.ToString() }).Build())
            .Validate(null, new SummitAuthOptions { SigningKey = key });

        Assert.True(Check(demo: true, key: null).Succeeded);
        Assert.True(Check(demo: false, key: new string('k', SummitAuthOptions.MinSigningKeyBytes)).Succeeded);
        Assert.StartsWith("Summit:Auth:SigningKey", Check(demo: false, key: null).FailureMessage);
        Assert.Equal("Summit:Auth:SigningKey must be at least 32 bytes of UTF-8 for HMAC-SHA256 (got 5).", Check(demo: true, key: "short").FailureMessage);
    }

    [Fact]
    public void A_failure_names_the_setting_and_the_value()
    {
        var result = new SettingsValidator<LiveOptions>(LiveOptions.Section).Validate(null, new LiveOptions { BatchMilliseconds = -5, OutboxCapacity = 0 });
        Assert.Equal(
            ["Summit:Live:BatchMilliseconds must be 0 or more (got -5).", "Summit:Live:OutboxCapacity must be 1 or more (got 0)."],
            result.Failures!.Order());
        var webhooks = new SettingsValidator<WebhookOptions>(WebhookOptions.SectionName).Validate(null, new WebhookOptions { Timeout = TimeSpan.Zero });
        Assert.Equal("Summit:Webhooks:Timeout must be more than 0 (got 00:00:00).", webhooks.FailureMessage);
    }

    [Fact]
    public void Files_in_an_S3_bucket_need_its_endpoint_and_name_at_start()
    {
        using var missing = new GatewayFactory(UnusedDatabase, new Dictionary<string, string?> { ["Summit:Files:Store"] = "s3" });
        var error = Assert.Throws<OptionsValidationException>(() => missing.CreateClient());
        Assert.Equal(
            [
                "Summit:Files:S3:Bucket must be set when Summit:Files:Store is s3.",
                "Summit:Files:S3:ServiceUrl must be set when Summit:Files:Store is s3 (the endpoint, e.g. http://127.0.0.1:9000 or https://s3.cn-north-1.amazonaws.com.cn).",
            ],
            error.Failures.Order(StringComparer.Ordinal));

        static ValidateOptionsResult Check(FileContentOptions options) => new SettingsValidator<FileContentOptions>(FileContentOptions.Section).Validate(null, options);
        Assert.True(Check(new FileContentOptions()).Succeeded);
        Assert.True(Check(new FileContentOptions { Store = "S3", S3 = { ServiceUrl = "http://127.0.0.1:9000", Bucket = "summit-files" } }).Succeeded);
        Assert.Equal("Summit:Files:Store must be postgres or s3.", Check(new FileContentOptions { Store = "minio" }).FailureMessage);
        Assert.Equal(
            [
                "Summit:Files:S3:AccessKey and S3:SecretKey must be set together (or both left out for the SDK's own credentials).",
                "Summit:Files:S3:Bucket must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens.",
                "Summit:Files:S3:ServiceUrl must be an absolute http or https URL.",
            ],
            Check(new FileContentOptions { Store = "s3", S3 = { ServiceUrl = "127.0.0.1:9000", Bucket = "Summit_Files", AccessKey = "key" } })
                .Failures!.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Summit:Live:BatchMilliseconds", "-5", "Summit:Live:BatchMilliseconds must be 0 or more (got -5).")]
    [InlineData("Summit:Live:AllowedOrigins:0", "summit.example.org", "Summit:Live:AllowedOrigins must hold absolute http or https origins")]
    [InlineData("Summit:Webhooks:Timeout", "-00:00:01", "Summit:Webhooks:Timeout must be more than 0 (got -00:00:01).")]
    [InlineData("Summit:Demo:Enabled", "false", "Summit:Auth:SigningKey (environment variable Summit__Auth__SigningKey) is required outside demo mode")]
    public void A_wrong_setting_stops_the_gateway_at_start_naming_it(string key, string value, string message)
    {
        using var gateway = new GatewayFactory(UnusedDatabase, new Dictionary<string, string?> { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => gateway.CreateClient());
        Assert.Contains(message, error.Message);
        Assert.Single(error.Failures);
    }
}
