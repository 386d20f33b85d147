using System.Text;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.NumPy;

/// <summary><see cref="PythonFloat"/> against CPython 3.11's repr() and round() (reference/make_numeric_goldens.py).</summary>
public class PythonFloatTests
{
    private static readonly int[] NDigits = [5, 2, 0, -2];

    [Fact]
    public void Listed_values_match_python()
    {
        string[] lines = File.ReadAllLines(Golden.PathOf("numeric", "python_float.tsv"));
        var failures = new List<string>();
        int checkedValues = 0;
        foreach (string line in lines.Where(l => l.Length > 0 && l[0] != '#'))
        {
            string[] f = line.Split('\t');
            double x = BitConverter.Int64BitsToDouble(Convert.ToInt64(f[0], 16));
            Check($"repr({f[1]})", f[1], PythonFloat.Repr(x));
            for (int k = 0; k < NDigits.Length; k++)
            {
                Check($"round({f[1]}, {NDigits[k]})", f[2 + k], PythonFloat.RoundRepr(x, NDigits[k]));
            }
            checkedValues++;
        }
        Assert.True(checkedValues > 11000);
        Assert.True(failures.Count == 0, $"{failures.Count} differences, first: " + string.Join("; ", failures.Take(10)));

        void Check(string what, string python, string csharp)
        {
            if (python != csharp)
            {
                failures.Add($"{what}: Python '{python}', C# '{csharp}'");
            }
        }
    }

    [Fact]
    public void Six_hundred_thousand_drawn_values_match_python()
    {
        Dictionary<string, double[]> drawn = Golden.DrawSets(20240, 200_000, 2.0, 1.0, -30, 30);
        var sets = new Dictionary<string, double[]>
        {
            ["bits"] = drawn["bits"],
            ["unit"] = drawn["narrow"].Select(v => v + 0.5).ToArray(),
            ["log"] = drawn["log"],
        };
        foreach ((string set, int count, string sha) in Golden.ReadSets(Golden.PathOf("numeric", "python_float_sets.txt")))
        {
            var text = new StringBuilder();
            foreach (double v in sets[set])
            {
                text.Append(PythonFloat.Repr(v)).Append('\t').Append(PythonFloat.RoundRepr(v, 5)).Append('\n');
            }
            Assert.Equal(count, sets[set].Length);
            Assert.True(Golden.Sha256(text.ToString()) == sha, $"set '{set}': repr/round text differs from Python's");
        }
    }

    [Theory]
    [InlineData(0.0548, "0.0548")]
    [InlineData(0.076, "0.076")]
    [InlineData(1.0, "1.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Repr_examples(double x, string expected) => Assert.Equal(expected, PythonFloat.Repr(x));

    [Theory]
    [InlineData(0.015625, 5, "0.01562")] // an exact tie goes to even
    [InlineData(0.046875, 5, "0.04688")]
    [InlineData(2.675, 2, "2.67")]       // 2.675 is below the tie in binary
    [InlineData(1 / 12.0, 5, "0.08333")]
    [InlineData(-0.000001, 5, "-0.0")]
    [InlineData(1234.5, -2, "1200.0")]
    public void Round_examples(double x, int n, string expected) => Assert.Equal(expected, PythonFloat.RoundRepr(x, n));
}
