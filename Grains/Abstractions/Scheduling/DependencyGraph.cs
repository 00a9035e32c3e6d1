using Summit.Domain;
using Summit.Rules;

namespace Summit.Scheduling;

/// <summary>
/// Task dependencies would form a cycle. <see cref="Cycle"/> names it in dependency order: each task depends on the
/// next, and the last depends on the first (e.g. <c>[a, b, c]</c> is a → b → c → a). It starts at the
/// ordinally smallest id, so the same cycle is always named the same way.
/// </summary>
[GenerateSerializer, Alias("summit.dependency-cycle")]
public sealed class DependencyCycleException(IReadOnlyList<string> cycle) : Exception(Describe(cycle))
{
    [Id(0)] public IReadOnlyList<string> Cycle { get; } = cycle;

    /// <summary>"a → b → c → a".</summary>
    public static string Describe(IReadOnlyList<string> cycle) =>
        cycle.Count == 0 ? "Dependency cycle." : $"Dependency cycle: {string.Join(" → ", cycle.Append(cycle[0]))} (each depends on the next).";

    /// <summary>Reports the cycle on <paramref name="field"/> (for the task rules, which collect a grain's findings).</summary>
    public void AddTo(FieldErrors errors, string field = "dependsOn")
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Add(field, $"would create a dependency cycle: {string.Join(" → ", Cycle.Append(Cycle[0]))}.");
    }
}

/// <summary>Cycle detection on finish-to-start dependencies, given as task id → the ids it depends on.</summary>
public static class DependencyGraph
{
    /// <summary>A cycle among <paramref name="tasks"/>' dependencies (see <see cref="DependencyCycleException.Cycle"/> for its form), or null.</summary>
    public static IReadOnlyList<string>? FindCycle(IEnumerable<PreparationTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return FindCycle(tasks.ToDictionary(t => t.Id, t => t.DependsOn, StringComparer.Ordinal));
    }

    public static IReadOnlyList<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlyList<string>> dependsOn)
    {
        ArgumentNullException.ThrowIfNull(dependsOn);
        return FindCycle(dependsOn.Keys, id => dependsOn.TryGetValue(id, out var deps) ? deps : []);
    }

    /// <summary>
    /// A cycle reachable from <paramref name="ids"/>, following <paramref name="dependsOn"/> (ids it does not know may
    /// return an empty list), or null. Iterative depth-first search: O(tasks + dependencies), no recursion limit.
    /// </summary>
    public static IReadOnlyList<string>? FindCycle(IEnumerable<string> ids, Func<string, IEnumerable<string>> dependsOn)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(dependsOn);
        // Absent: unvisited; false: on the current path; true: finished, no cycle through it.
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        var path = new List<string>();
        var stack = new Stack<IEnumerator<string>>();
        foreach (var root in ids)
        {
            if (state.ContainsKey(root)) continue;
            state[root] = false;
            path.Add(root);
            stack.Push(dependsOn(root).GetEnumerator());
            while (stack.Count > 0)
            {
                var next = stack.Peek();
                if (!next.MoveNext())
                {
                    next.Dispose();
                    stack.Pop();
                    state[path[^1]] = true;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                var dep = next.Current;
                if (state.TryGetValue(dep, out var done))
                {
                    if (!done) return Canonical(path.GetRange(path.IndexOf(dep), path.Count - path.IndexOf(dep)));
                    continue;
                }
                state[dep] = false;
                path.Add(dep);
                stack.Push(dependsOn(dep).GetEnumerator());
            }
        }
        return null;
    }

    /// <summary>Rotated to start at the ordinally smallest id.</summary>
    internal static IReadOnlyList<string> Canonical(List<string> cycle)
    {
        var start = 0;
        for (var i = 1; i < cycle.Count; i++)
            if (string.CompareOrdinal(cycle[i], cycle[start]) < 0) start = i;
        return [.. cycle.Skip(start), .. cycle.Take(start)];
    }
}
