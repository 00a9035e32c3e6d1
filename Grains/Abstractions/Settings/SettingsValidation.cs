using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Summit.Settings;

/// <summary>
/// Checks an options class bound from one configuration section against its validation attributes and, when it is
/// <see cref="IValidatableObject"/>, its own rules. Each failure names the setting as an operator writes it
/// (<c>Summit:Live:BatchMilliseconds must be 0 or more (got -5).</c>), so a wrong setting stops start-up with a message
/// that says which one. A rule's message is the rest of the sentence after the key; the key is the section and the
/// result's member name.
/// </summary>
public sealed class SettingsValidator<T>(string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(result => Describe(options, result)));
    }

    private string Describe(T options, ValidationResult result)
    {
        var member = result.MemberNames.FirstOrDefault();
        var message = (result.ErrorMessage ?? "is not valid").TrimEnd('.');
        if (member is null) return $"{section}: {message}.";
        // Numbers and durations are shown as read; text is left out, as it may be a secret.
        var value = typeof(T).GetProperty(member, BindingFlags.Public | BindingFlags.Instance)?.GetValue(options);
        var got = value is IFormattable formattable and not Enum
            ? $" (got {formattable.ToString(null, CultureInfo.InvariantCulture)})"
            : "";
        return $"{section}:{member} {message}{got}.";
    }
}

public static class SettingsRegistration
{
    /// <summary>
    /// Validates the options with <see cref="SettingsValidator{T}"/>, whose messages name each setting under
    /// <paramref name="section"/>. Used as <c>AddOptions&lt;T&gt;().BindConfiguration(T.Section).ValidateSettings(T.Section).ValidateOnStart()</c>.
    /// </summary>
    public static OptionsBuilder<T> ValidateSettings<T>(this OptionsBuilder<T> builder, string section) where T : class
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new SettingsValidator<T>(section)));
        return builder;
    }

    /// <summary>
    /// True when <paramref name="error"/> is wrong settings (one options class or several) and <paramref name="program"/>
    /// is the process's own program, which then reports them itself; a host that runs the program in its own process (a
    /// test's application factory) gets the exception instead.
    /// </summary>
    public static bool StopsOwnProcess(Type program, Exception error) =>
        Assembly.GetEntryAssembly() == program.Assembly && WrongSettings(error).Count > 0;

    /// <summary>
    /// Tells the operator on standard error which settings stopped start-up (one line, no stack trace) and returns the
    /// process's exit code, 1.
    /// </summary>
    public static int ReportStartupFailure(Exception error)
    {
        Console.Error.WriteLine($"Summit cannot start: {string.Join(" ", WrongSettings(error))}");
        return 1;
    }

    /// <summary>The failures of an <see cref="OptionsValidationException"/>, or of several together; none for any other error.</summary>
    public static IReadOnlyList<string> WrongSettings(Exception error) => error switch
    {
        OptionsValidationException wrong => [.. wrong.Failures],
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        _ => [],
    };
}

/// <summary>A number or duration of 0 or more.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotNegativeAttribute() : ValidationAttribute("must be 0 or more")
{
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan span => span >= TimeSpan.Zero,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture) >= 0,
    };
}

/// <summary>A number or duration of more than 0.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveAttribute() : ValidationAttribute("must be more than 0")
{
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan span => span > TimeSpan.Zero,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture) > 0,
    };
}

/// <summary>A number of at least <paramref name="minimum"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AtLeastAttribute(long minimum) : ValidationAttribute($"must be {minimum} or more")
{
    public long Minimum { get; } = minimum;

    public override bool IsValid(object? value) => value is null || Convert.ToDouble(value, CultureInfo.InvariantCulture) >= Minimum;
}

/// <summary>Text that is not empty or blank.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotBlankAttribute() : ValidationAttribute("must not be empty")
{
    public override bool IsValid(object? value) => value is not string text || !string.IsNullOrWhiteSpace(text);
}
