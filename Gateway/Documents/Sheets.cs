using System.Runtime.CompilerServices;
using CsvHelper;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Summit.Gateway.Documents;

/// <summary>The two spreadsheet forms every list exports to.</summary>
public enum SheetFormat
{
    /// <summary>Excel workbook (MiniExcel): one sheet, a header row, text and numbers.</summary>
    Xlsx,

    /// <summary>CSV (CsvHelper), UTF-8 with a byte-order mark so Excel opens Chinese text correctly; CRLF line ends.</summary>
    Csv,
}

/// <summary>One column of an exported list: its Chinese header and how a row gives its cell.</summary>
/// <param name="Value">A string, a number or null (an empty cell); dates are written as ISO text so a sheet reads the same
/// in every locale and can be read back.</param>
public sealed record SheetColumn<T>(string Header, Func<T, object?> Value);

/// <summary>
/// Writes a list as a spreadsheet into a temporary file first and only then to the response, so a list that fails
/// half-way (the database goes away) is answered with a problem, never with a cut-off file, and neither library writes
/// synchronously to the response. Rows arrive a page at a time; nothing holds the whole list in memory.
/// </summary>
public static class Sheets
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvType = "text/csv; charset=utf-8";

    /// <summary>The format a route's <c>{format}</c> names (<c>xlsx</c> or <c>csv</c>); null for anything else.</summary>
    public static SheetFormat? FormatOf(string? format) => format switch
    {
        "xlsx" => SheetFormat.Xlsx,
        "csv" => SheetFormat.Csv,
        _ => null,
    };

    /// <summary>The route's <c>{format}</c>; an unknown one is added to <paramref name="errors"/> as <c>format</c> (then CSV stands in).</summary>
    public static SheetFormat Format(Summit.Rules.FieldErrors errors, string format)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (FormatOf(format) is { } parsed) return parsed;
        errors.Add("format", $"'{Api.QueryValues.Printable(format)}' is not one of: xlsx, csv.");
        return SheetFormat.Csv;
    }

    /// <summary>Writes <paramref name="rows"/> under <paramref name="columns"/> to <paramref name="output"/>.</summary>
    public static async Task WriteAsync<T>(
        Stream output, SheetFormat format, string sheetName, IReadOnlyList<SheetColumn<T>> columns, IAsyncEnumerable<T> rows,
        CancellationToken cancellationToken)
    {
        if (format == SheetFormat.Csv)
        {
            await using var csv = CsvWriter.Create(output, new CsvWriterOptions
            {
                WriteByteOrderMark = true,
                NewLine = "\r\n",
                // A cell that starts with = + - @ would be run as a formula by a spreadsheet: it is written with a leading '.
                Injection = CsvInjection.Escape,
            }, true);
            await csv.WriteRecordAsync([.. columns.Select(c => c.Header)], cancellationToken);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                await csv.WriteRecordAsync([.. columns.Select(c => Text(c.Value(row)))], cancellationToken);
            }
            await csv.FlushAsync(cancellationToken);
            return;
        }

        var configuration = new OpenXmlConfiguration { AutoFilter = true, FreezeRowCount = 1 };
        await using var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        // MiniExcel takes a sheet's header from its first row; a list with no rows still gets its header row.
        object value = await enumerator.MoveNextAsync()
            ? Dictionaries(columns, enumerator, cancellationToken)
            : HeaderOnly(columns);
        await MiniExcel.SaveAsAsync(output, value, printHeader: true, sheetName: sheetName,
            excelType: ExcelType.XLSX, configuration: configuration, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The response of an export: the sheet written to a temporary file (deleted when closed), then sent with its length.
    /// </summary>
    public static async Task<IResult> DownloadAsync<T>(
        HttpContext http, string title, SheetFormat format, IReadOnlyList<SheetColumn<T>> columns, IAsyncEnumerable<T> rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"summit-sheet-{Guid.NewGuid():N}");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await WriteAsync(file, format, SheetName(title), columns, rows, http.RequestAborted);
            await file.FlushAsync(http.RequestAborted);
            file.Position = 0;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        var extension = format == SheetFormat.Xlsx ? ".xlsx" : ".csv";
        return Results.File(file, format == SheetFormat.Xlsx ? XlsxType : CsvType, FileNames.Sanitize(title + extension));
    }

    /// <summary>A sheet's name: at most 31 characters, none of those Excel forbids.</summary>
    public static string SheetName(string title)
    {
        var cleaned = new string([.. title.Select(c => c is '\\' or '/' or '?' or '*' or '[' or ']' or ':' ? '_' : c)]).Trim('\'', ' ');
        if (cleaned.Length == 0) cleaned = "Sheet1";
        return cleaned.Length <= 31 ? cleaned : cleaned[..31];
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static async IAsyncEnumerable<Dictionary<string, object?>> Dictionaries<T>(
        IReadOnlyList<SheetColumn<T>> columns, IAsyncEnumerator<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cells = new Dictionary<string, object?>(columns.Count);
            foreach (var column in columns) cells[column.Header] = column.Value(rows.Current);
            yield return cells;
        }
        while (await rows.MoveNextAsync());
    }

    private static System.Data.DataTable HeaderOnly<T>(IReadOnlyList<SheetColumn<T>> columns)
    {
        var table = new System.Data.DataTable();
        foreach (var column in columns) table.Columns.Add(column.Header, typeof(string));
        return table;
    }
}
