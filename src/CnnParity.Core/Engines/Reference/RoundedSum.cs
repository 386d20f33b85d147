namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// A sum taken term by term in float64, with what rounding does to the same sum in a lower precision, in units of u²
/// (Higham and Mary's probabilistic model: each operation's relative error is an independent draw of at most u, so errors
/// add in variance). Three parts:
/// <list type="bullet">
/// <item>propagated: the variance each term brings from upstream (for a·b with both carrying error, a²·var(b) + b²·var(a));</item>
/// <item>the products' own rounding: Σ t² (one rounding of each product);</item>
/// <item>the additions' rounding: Σ s_k² over the partial sums. Every implementation sums in its own order (blocked, in
/// SIMD lanes, by threads), so this takes the larger of the sequential order's Σ s_k² (what a plain loop does; blocked
/// orders have smaller partial sums) and its expectation over random orders, (n+1)·(Σt²/6 + y²/3), which does not depend
/// on how the terms happen to be laid out.</item>
/// </list>
/// A rounding's real variance is u²/12 to u²/3 of its value squared; taking u² makes σ an overestimate by 1.7 to 3.5.
/// </summary>
internal struct RoundedSum
{
    private double _sum, _partialSquares, _termSquares, _productSquares, _propagated;
    private int _count;

    /// <summary>Adds the product <paramref name="a"/>·<paramref name="b"/>, each carrying the given variance.</summary>
    public void AddProduct(double a, double b, double varianceA, double varianceB)
    {
        double t = a * b;
        _productSquares += t * t;
        _propagated += a * a * varianceB + b * b * varianceA;
        Add(t);
    }

    /// <summary>Adds an exact product <paramref name="a"/>·<paramref name="b"/> of which only <paramref name="b"/> carries error.</summary>
    public void AddProduct(double a, double b, double varianceB)
    {
        double t = a * b;
        _productSquares += t * t;
        _propagated += a * a * varianceB;
        Add(t);
    }

    /// <summary>Adds a term that is not a product (a bias, a value being pooled) carrying <paramref name="variance"/>.</summary>
    public void AddTerm(double term, double variance)
    {
        _propagated += variance;
        Add(term);
    }

    private void Add(double t)
    {
        _sum += t;
        _partialSquares += _sum * _sum;
        _termSquares += t * t;
        _count++;
    }

    public readonly double Value => _sum;

    public readonly int Count => _count;

    /// <summary>The variance of the sum as a lower precision computes it, in units of u².</summary>
    public readonly double Variance
    {
        get
        {
            if (_count == 0) return 0;
            double randomOrder = (_count + 1) * (_termSquares / 6 + _sum * _sum / 3);
            return _propagated + _productSquares + Math.Max(_partialSquares, randomOrder);
        }
    }
}
