using System.IO.Compression;

namespace Summit.Gateway.Documents;

/// <summary>
/// Writes a report's collected submissions as one zip, streaming to any writable stream (a non-seekable response body
/// included; only asynchronous writes are made): a folder per unit, numbered in the report's order ("01 平阳县/"),
/// holding the unit's status and text as a .docx (<see cref="ReportDocx.WriteUnitAsync"/>) and each of its files under a
/// sanitised name, repeated names numbered ("照片 (2).jpg"). Files are copied from their streams, never held whole in
/// memory. Names carry the zip's UTF-8 flag, so Chinese names survive Windows Explorer and unzip.
/// </summary>
public static class ReportZip
{
    // Formats that are compressed already: stored, not deflated again.
    private static readonly HashSet<string> Compressed = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".zip", ".rar", ".7z", ".gz", ".docx", ".xlsx", ".pptx",
        ".mp4", ".mov", ".m4a", ".mp3", ".avi", ".mkv",
    };

    /// <param name="modifiedAt">The time every entry is stamped with (the caller's clock, in the zone readers expect).</param>
    public static async Task WriteAsync(CompiledReport report, Stream output, DateTimeOffset modifiedAt,
        ReportDocxOptions? options = null, CancellationToken cancellationToken = default)
    {
        // ZipArchive writes headers synchronously even through its asynchronous API, which a response body refuses: it
        // writes into a small buffer instead, which is passed on to the output asynchronously after each step.
        var sink = new AsyncSink(output);
        // A null name encoding makes ZipArchive write UTF-8 names and set the language-encoding flag (bit 11) on each
        // entry whose name is not ASCII.
        var archive = new ZipArchive(sink, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null);
        await using (archive)
        {
            var digits = Math.Max(2, report.Units.Count.ToString().Length);
            for (var i = 0; i < report.Units.Count; i++)
            {
                var unit = report.Units[i];
                var folder = $"{(i + 1).ToString().PadLeft(digits, '0')} {FileNames.Sanitize(unit.Name, "unit")}/";
                var directory = archive.CreateEntry(folder);
                directory.LastWriteTime = modifiedAt;
                await (await directory.OpenAsync(cancellationToken)).DisposeAsync();
                await sink.DrainAsync(cancellationToken);

                var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var document = Entry(archive, folder + FileNames.Unique(FileNames.Sanitize(unit.Name + ".docx"), taken), modifiedAt);
                await using (var target = await document.OpenAsync(cancellationToken))
                {
                    await ReportDocx.WriteUnitAsync(unit, target, options, cancellationToken);
                }
                await sink.DrainAsync(cancellationToken);

                foreach (var file in unit.Files)
                {
                    var entry = Entry(archive, folder + FileNames.Unique(FileNames.Sanitize(file.FileName), taken), modifiedAt);
                    await using (var source = await file.Open(cancellationToken))
                    await using (var target = await entry.OpenAsync(cancellationToken))
                    {
                        var chunk = new byte[81920];
                        int read;
                        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
                        {
                            await target.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
                            await sink.DrainAsync(cancellationToken);
                        }
                    }
                    await sink.DrainAsync(cancellationToken);
                }
            }
        }
        await sink.DrainAsync(cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    private static ZipArchiveEntry Entry(ZipArchive archive, string name, DateTimeOffset modifiedAt)
    {
        var level = Compressed.Contains(Path.GetExtension(name)) ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
        var entry = archive.CreateEntry(name, level);
        entry.LastWriteTime = modifiedAt;
        return entry;
    }

    /// <summary>Collects what ZipArchive writes (synchronously or not) until <see cref="DrainAsync"/> passes it on.</summary>
    private sealed class AsyncSink(Stream output) : Stream
    {
        private readonly MemoryStream pending = new();

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            if (pending.Length == 0) return;
            await output.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), cancellationToken);
            pending.SetLength(0);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => pending.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => pending.Write(buffer);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            pending.Write(buffer, offset, count);
            return Task.CompletedTask;
        }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            pending.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
