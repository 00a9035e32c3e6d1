using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Summit.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server for tests: s3rver (MIT, installed into <c>tests/tools/s3</c> by the integration test
/// project's build) run by Node.js on a free loopback port, keeping its objects in a throwaway folder, with one bucket,
/// <see cref="Bucket"/>. <see cref="StopAsync"/> and <see cref="StartAsync"/> take it down and bring it back on the same
/// port with the same objects (an outage). <see cref="Settings"/> points a Gateway's file store at it.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string Bucket = "summit-files";

    /// <summary>s3rver's fixed credentials.</summary>
    private const string Credential = "S3RVER";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"summit-s3-{Guid.NewGuid():N}");
    private readonly StringBuilder _log = new();
    private Process? _process;
    private AmazonS3Client? _client;

    public int Port { get; } = FreePort.Next();

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The settings that put a file store's content in <see cref="Bucket"/> under <paramref name="prefix"/>.</summary>
    public IReadOnlyDictionary<string, string?> Settings(string prefix = "files/") => new Dictionary<string, string?>
    {
        ["Summit:Files:Store"] = "s3",
        ["Summit:Files:S3:ServiceUrl"] = ServiceUrl,
        ["Summit:Files:S3:Bucket"] = Bucket,
        ["Summit:Files:S3:AccessKey"] = Credential,
        ["Summit:Files:S3:SecretKey"] = Credential,
        ["Summit:Files:S3:ForcePathStyle"] = "true",
        ["Summit:Files:S3:Prefix"] = prefix,
    };

    /// <summary>A client of the server, configured as the file store configures its own.</summary>
    public AmazonS3Client Client => _client ??= new AmazonS3Client(new BasicAWSCredentials(Credential, Credential), new AmazonS3Config
    {
        ServiceURL = ServiceUrl,
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) and waits until it takes connections.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false }) return;
        var script = Path.Combine(RepositoryPaths.Root, "tests", "tools", "s3", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException(
                $"s3rver is not installed ({script} is missing): build tests/Summit.Tests.Integration with Node.js and npm on PATH, or run npm ci in tests/tools/s3.");
        Directory.CreateDirectory(_directory);
        // s3rver encrypts ListObjectsV2's continuation tokens with DES, which Node.js's OpenSSL 3 keeps in its legacy provider.
        var info = new ProcessStartInfo("node",
            ["--openssl-legacy-provider", script, "--directory", _directory, "--address", "127.0.0.1", "--port", Port.ToString(), "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The S3 tests need Node.js (node on PATH) to run s3rver.", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        // Not left running by a test run that ends without disposing its fixtures.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Stopped and disposed already.
            }
        };

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"s3rver exited with code {process.ExitCode}: {Log}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        // The bucket is made as the server starts; it is there once a listing answers.
        try
        {
            await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 });
        }
        catch (AmazonS3Exception e)
        {
            throw new InvalidOperationException($"s3rver does not list its bucket ({e.ErrorCode}): {Log[Math.Max(0, Log.Length - 4000)..]}", e);
        }
    }

    /// <summary>Stops the server (its objects stay in its folder): requests to it are refused until it starts again.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>How many objects the bucket holds under <paramref name="prefix"/>.</summary>
    public async Task<long> CountAsync(string prefix)
    {
        long count = 0;
        string? continuation = null;
        do
        {
            var page = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = continuation });
            count += page.S3Objects?.Count ?? 0;
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
        return count;
    }

    /// <summary>Puts an object (a key of another program's, or a chunk left behind) straight into the bucket.</summary>
    public Task PutAsync(string key, byte[] bytes) => Client.PutObjectAsync(new PutObjectRequest
    {
        BucketName = Bucket,
        Key = key,
        InputStream = new MemoryStream(bytes),
        UseChunkEncoding = false,
    });

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
