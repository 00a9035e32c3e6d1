using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Summit.Gateway.Security;

namespace Summit.Tests.Security;

/// <summary>Load shedding: writes beyond the running and waiting slots are refused at once; reads always pass.</summary>
public sealed class WriteAdmissionTests
{
    private static WriteAdmission Admission(int concurrency, int queue) =>
        new(Options.Create(new RateLimitOptions { WriteConcurrency = concurrency, WriteQueue = queue }));

    private static DefaultHttpContext Request(string method, string path = "/api/summits/wyss-2020/tasks/t1")
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;
        http.Response.Body = new MemoryStream();
        http.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return http;
    }

    [Fact]
    public async Task A_write_beyond_the_running_and_waiting_slots_gets_503_with_retry_after_and_the_queue_drains_in_order()
    {
        using var admission = Admission(concurrency: 1, queue: 1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();
        RequestDelegate Hold(string name) => async _ =>
        {
            lock (order) order.Add(name);
            await release.Task;
        };

        var running = admission.InvokeAsync(Request("PATCH"), Hold("first"));
        var waiting = admission.InvokeAsync(Request("POST"), Hold("second"));
        var refusedContext = Request("PUT");
        var nextCalled = false;
        await admission.InvokeAsync(refusedContext, _ => { nextCalled = true; return Task.CompletedTask; }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(nextCalled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, refusedContext.Response.StatusCode);
        Assert.Equal("1", refusedContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal(["first"], order);

        // Reads, sign-in and the hub are never held back, even now.
        foreach (var (method, path) in new[] { ("GET", "/api/summits/wyss-2020/tasks"), ("POST", "/api/auth/token"), ("POST", "/hubs/progress/negotiate") })
        {
            var passed = false;
            await admission.InvokeAsync(Request(method, path), _ => { passed = true; return Task.CompletedTask; }).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(passed, $"{method} {path}");
        }

        release.SetResult();
        await Task.WhenAll(running, waiting).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["first", "second"], order);
    }

    [Fact]
    public async Task Zero_concurrency_switches_shedding_off()
    {
        using var admission = Admission(concurrency: 0, queue: 0);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = 0;
        var contexts = Enumerable.Range(0, 20).Select(_ => Request("PATCH")).ToArray();
        var calls = contexts.Select(http => admission.InvokeAsync(http, _ => { Interlocked.Increment(ref entered); return gate.Task; })).ToArray();

        Assert.Equal(20, Volatile.Read(ref entered));
        gate.SetResult();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(contexts, http => Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode));
    }
}
