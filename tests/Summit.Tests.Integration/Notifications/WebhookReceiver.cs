using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Notifications;

/// <summary>
/// A stand-in group robot on a free loopback port: answers the first <c>failFirst</c> posts with 500 (all of them when
/// negative), then DingTalk's <c>{"errcode":0,"errmsg":"ok"}</c>, and records what it got and when.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int _failFirst;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;
    private int _count;

    public WebhookReceiver(int failFirst)
    {
        _failFirst = failFirst;
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/robot/send";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>While true, every post is answered 500.</summary>
    public volatile bool Down;

    /// <summary>With a token in the query string, like a real robot address.</summary>
    public string Url { get; }

    public ConcurrentQueue<(TimeSpan At, string Body, bool Accepted)> Requests { get; } = new();

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Requests.Count < count)
        {
            if (DateTime.UtcNow > until) Assert.Fail($"The receiver got {Requests.Count} of {count} posts within {timeout}.");
            await Task.Delay(25);
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var number = Interlocked.Increment(ref _count);
            var accept = !Down && _failFirst >= 0 && number > _failFirst;
            Requests.Enqueue((_clock.Elapsed, body, accept));
            context.Response.StatusCode = accept ? 200 : 500;
            var answer = Encoding.UTF8.GetBytes(accept ? """{"errcode":0,"errmsg":"ok"}""" : "robot unavailable");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
