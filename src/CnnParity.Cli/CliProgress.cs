using CnnParity.Reports.Pipeline;
using Spectre.Console;

namespace CnnParity.Cli;

/// <summary>
/// The pipeline's progress of long phases on stderr: a live bar on a terminal, plain lines (about every 10%) when stderr is
/// redirected, so logs and CI output stay readable. stdout is left to results.
/// </summary>
public sealed class CliProgress : IPhaseProgress
{
    /// <summary>Runs <paramref name="work"/>, which calls the given step action once per unit of <paramref name="total"/>.</summary>
    public T Phase<T>(string title, int total, Func<Action<string?>, T> work)
    {
        if (Console.IsErrorRedirected || total <= 1)
        {
            int done = 0, every = Math.Max(1, total / 10);
            Console.Error.WriteLine($"{title}...");
            return work(detail =>
            {
                done++;
                if (done % every == 0 || done == total)
                    Console.Error.WriteLine($"  {title}: {done}/{total}{(detail is null ? "" : "  " + detail)}");
            });
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: total);
                return work(detail =>
                {
                    task.Increment(1);
                    if (detail is not null) task.Description = Markup.Escape($"{title}  {detail}");
                });
            });
    }
}
