using Summit.Data.Accounts;
using Microsoft.Extensions.Logging.Abstractions;
using Summit.Domain;
using Summit.Data;
using Summit.Data.Audit;
using Summit.Data.Storage;
using Summit.Data.Time;

namespace Summit.Gateway.Accounts;

/// <summary>
/// <c>dotnet run --project Gateway -- create-admin &lt;username&gt;</c>: creates an admin account in the
/// PostgreSQL database of <c>ConnectionStrings:Summit</c>, or resets the password of an existing admin
/// and enables it. The password comes from <c>Summit__Admin__Password</c> when set, else from standard
/// input (asked twice, not echoed, on a terminal; the first line when piped). Exit code 0 on success.
/// </summary>
public static class AdminCommand
{
    public const string Name = "create-admin";

    /// <summary>Runs the command and exits the process when <paramref name="args"/> ask for it; otherwise returns.</summary>
    internal static void RunIfRequested(IConfiguration configuration, string[] args)
    {
        if (args.Length == 0 || args[0] != Name) return;
        var interactive = !Console.IsInputRedirected;
        var code = RunAsync(configuration, args, Console.In, Console.Out, Console.Error,
            interactive ? ReadHidden : null).GetAwaiter().GetResult();
        Environment.Exit(code);
    }

    /// <param name="args">The command line after the program: <c>create-admin &lt;username&gt;</c>.</param>
    /// <param name="readHidden">Reads a password from a terminal without echo; null when input is piped.</param>
    public static async Task<int> RunAsync(
        IConfiguration configuration, IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error,
        Func<string, string?>? readHidden = null, CancellationToken cancellationToken = default)
    {
        if (args.Count != 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            await error.WriteLineAsync($"Usage: {Name} <username>   (password from Summit__Admin__Password or standard input)");
            return 2;
        }
        var connectionString = SummitHostingOptions.ConnectionString(configuration);
        if (connectionString is null)
        {
            await error.WriteLineAsync(
                $"{Name} needs ConnectionStrings__{SummitHostingOptions.ConnectionStringName}: without a database accounts live only in the " +
                "running Gateway's memory. Start the Gateway with Summit__Admin__Username and Summit__Admin__Password instead.");
            return 2;
        }

        var password = configuration[$"{Security.AdminBootstrapOptions.Section}:Password"];
        if (string.IsNullOrEmpty(password))
        {
            if (readHidden is not null)
            {
                password = readHidden("Password: ");
                var again = readHidden("Repeat password: ");
                if (password != again)
                {
                    await error.WriteLineAsync("The passwords do not match.");
                    return 1;
                }
            }
            else
            {
                password = await input.ReadLineAsync(cancellationToken);
            }
        }
        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("No password given.");
            return 1;
        }

        try
        {
            await DatabaseMigrator.ApplyAsync(connectionString, NullLogger.Instance, cancellationToken);
            await using var dataSource = SummitDataSource.Create(connectionString);
            var store = new PostgresAccountStore(dataSource);
            var accounts = new AccountService(store, new Security.AccountSessionValidator(store), ClockRegistration.SystemWallClock);
            var created = await accounts.CreateOrResetAdminAsync(args[1], password, $"system:{Name}", cancellationToken);
            await output.WriteLineAsync(created
                ? $"Admin account '{AccountService.Normalize(args[1])}' created."
                : $"Admin account '{AccountService.Normalize(args[1])}' exists: password reset and account enabled.");
            return 0;
        }
        catch (DomainValidationException e)
        {
            await error.WriteLineAsync(string.Join(Environment.NewLine, e.Errors.Select(x => $"{x.Key}: {string.Join(" ", x.Value)}")));
            return 1;
        }
        catch (AccountConflictException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (DatabaseMigrationException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static string? ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; continue; }
            if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
