using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Writers;

/// <summary>Where a plot belongs in the report; only the HTML writer draws it, the Markdown writer skips it.</summary>
internal sealed record PlotSlot(PlotKind Kind) : Block;

internal enum PlotKind { Accuracy, LockstepDrift, ForwardError, Speed, Confusion }
