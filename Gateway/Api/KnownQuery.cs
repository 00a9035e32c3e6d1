using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing.Patterns;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary>
/// A list refuses query parameters it does not take (400 naming each one) instead of ignoring them: a misspelt filter
/// (<c>?stauts=done</c>) would otherwise answer the unfiltered list as if it were the filtered one. The parameters a list
/// takes are read from its handler once: <c>[FromQuery]</c> members of its <c>[AsParameters]</c> records and its own
/// query-bound parameters; names compare ignoring case, as binding does.
/// </summary>
public static class KnownQuery
{
    public static RouteHandlerBuilder RejectsUnknownQuery(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilterFactory((context, next) =>
        {
            var names = QueryNames(context.MethodInfo);
            FrozenSet<string>? known = null;
            return invocation =>
            {
                var http = invocation.HttpContext;
                known ??= Without(names, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern);
                FieldErrors? errors = null;
                foreach (var name in http.Request.Query.Keys)
                    if (!known.Contains(name))
                        (errors ??= new FieldErrors()).Add(QueryValues.Printable(name),
                            known.Count == 0
                                ? "is not a parameter of this list (it takes none)."
                                : $"is not a parameter of this list (it takes: {string.Join(", ", known.Order(StringComparer.Ordinal))}).");
                errors?.ThrowIfAny();
                return next(invocation);
            };
        });

    /// <summary>The query parameter names a handler binds, route values included (they are removed per endpoint).</summary>
    public static IReadOnlyList<string> QueryNames(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var names = new List<string>();
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } query) names.Add(query.Name ?? property.Name);
                continue;
            }
            if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery)
            {
                names.Add(fromQuery.Name ?? parameter.Name!);
                continue;
            }
            // An unattributed parameter of a simple type binds from the route or, failing that, the query string.
            if (parameter.Name is { } name && IsSimple(parameter.ParameterType)
                && !parameter.GetCustomAttributes().Any(a => a is IBindingSourceMetadata))
                names.Add(name);
        }
        return names;
    }

    private static FrozenSet<string> Without(IReadOnlyList<string> names, RoutePattern? route) =>
        names.Where(n => route?.GetParameter(n) is null).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(Guid)
            || t == typeof(DateTime) || t == typeof(DateTimeOffset);
    }
}
