using CnnParity.Reports.Pipeline;
using Spectre.Console;

namespace CnnParity.Cli;

/// <summary>
/// The progress of long phases on stderr: a live bar on a terminal; when stderr is not a terminal (a pipe, a file,
/// a CI log), one whole line per step, so that no two steps ever share a line and a log reads top to bottom.
/// stdout is left to results.
/// </summary>
public sealed class CliProgress : IPhaseProgress
{
    /// <summary>Runs <paramref name="work"/>, which calls the given step action once per unit of <paramref name="total"/>.</summary>
    public T Phase<T>(string title, int total, Func<Action<string?>, T> work)
    {
        if (Console.IsErrorRedirected || total <= 1)
        {
            int done = 0;
            Console.Error.WriteLine($"{title}...");
            return work(detail =>
            {
                done++;
                Console.Error.WriteLine(StepLine(title, done, total, detail));
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

    /// <summary>The line of one step when stderr is not a terminal: "  title: 3/10  detail".</summary>
    public static string StepLine(string title, int done, int total, string? detail) =>
        $"  {title}: {done}/{total}{(detail is null ? "" : "  " + detail)}";
}
