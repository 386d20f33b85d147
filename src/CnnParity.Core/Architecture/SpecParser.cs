using System.Globalization;

namespace CnnParity.Core.Architecture;

/// <summary>
/// Reads the command-line grammar, one layer per token, tokens separated by white space (spaces inside the
/// parentheses are allowed):
/// <code>
/// conv(c=OUT,k=K[,s=STRIDE][,p=PAD][,g=GROUPS][,bias=true|false])   maxpool(k=K[,s=S])   avgpool(k=K[,s=S])   gap
/// tanh   relu   relu6   sigmoid   dropout(p=P)   flatten   dense(N[,bias=true|false])   batchnorm[(eps=E,momentum=M)]
/// </code>
/// Each problem is one <see cref="ArchitectureSpecException"/> naming the token's position and text.
/// </summary>
public static class SpecParser
{
    /// <summary>Upper limits that keep a typo (c=6000) from asking for gigabytes; far above any small CNN.</summary>
    public const int MaxChannels = 1024, MaxUnits = 65536, MaxKernel = 64, MaxStride = 64, MaxPadding = 32, MaxLayers = 64;

    static readonly string[] Keywords = ["conv", "maxpool", "avgpool", "gap", "tanh", "relu", "relu6", "sigmoid", "dropout", "flatten", "dense", "batchnorm"];

    /// <summary>The layers of <paramref name="text"/>, in order, each with the token it came from.</summary>
    public static IReadOnlyList<(LayerSpec Layer, string Token)> Parse(string text)
    {
        var tokens = Tokens(text);
        if (tokens.Count == 0)
            throw new ArchitectureSpecException("the spec has no layers (e.g. \"conv(c=4,k=3) relu flatten dense(10)\", or a preset: ch10, lenet5, lenet5-relu)");
        if (tokens.Count > MaxLayers)
            throw new ArchitectureSpecException($"the spec has {tokens.Count} layers; at most {MaxLayers} are allowed");
        var layers = new List<(LayerSpec, string)>();
        for (int i = 0; i < tokens.Count; i++)
        {
            try
            {
                layers.Add((Layer(tokens[i]), tokens[i]));
            }
            catch (LayerProblem problem)
            {
                throw ArchitectureSpecException.At(i + 1, tokens[i], problem.Message);
            }
        }
        return layers;
    }

    // White space separates tokens only outside parentheses, so "conv(c=4, k=3)" is one token.
    static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        int depth = 0, start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool end = i == text.Length;
            char c = end ? ' ' : text[i];
            if (char.IsWhiteSpace(c) && depth == 0)
            {
                if (start >= 0) tokens.Add(text[start..i]);
                start = -1;
                continue;
            }
            if (start < 0) start = i;
            if (c == '(') depth++;
            else if (c == ')') depth--;
            if (depth < 0)
                throw ArchitectureSpecException.At(tokens.Count + 1, text[start..(i + 1)], "')' without '('");
        }
        if (depth > 0)
        {
            throw ArchitectureSpecException.At(tokens.Count + 1, text[start..].Trim(), "'(' is never closed");
        }
        return tokens;
    }

    static LayerSpec Layer(string token)
    {
        int open = token.IndexOf('(');
        string keyword = (open < 0 ? token : token[..open]).Trim().ToLowerInvariant();
        if (!Keywords.Contains(keyword))
            throw new LayerProblem($"unknown layer '{keyword}' (expected one of {string.Join(", ", Keywords)})");
        if (open >= 0 && !token.EndsWith(')'))
            throw new LayerProblem($"nothing may follow ')' (got '{token[(token.LastIndexOf(')') + 1)..]}')");
        var args = Arguments.Parse(keyword, open < 0 ? null : token[(open + 1)..^1]);
        LayerSpec layer = keyword switch
        {
            "conv" => new Conv2dSpec(
                args.Required("c", 1, MaxChannels), args.Required("k", 1, MaxKernel),
                args.Optional("s", 1, 1, MaxStride), args.Optional("p", 0, 0, MaxPadding), args.Flag("bias", true),
                args.Optional("g", 1, 1, MaxChannels)),
            "maxpool" or "avgpool" => Pool(keyword, args),
            "tanh" => new ActivationSpec(ActivationKind.Tanh),
            "relu" => new ActivationSpec(ActivationKind.ReLU),
            "relu6" => new ActivationSpec(ActivationKind.ReLU6),
            "sigmoid" => new ActivationSpec(ActivationKind.Sigmoid),
            "dropout" => new DropoutSpec(args.Probability("p")),
            "flatten" => new FlattenSpec(),
            "gap" => new GlobalAvgPoolSpec(),
            "batchnorm" => new BatchNormSpec(args.Number("eps", BatchNormSpec.DefaultEps, 0, 1, minOpen: true),
                args.Number("momentum", BatchNormSpec.DefaultMomentum, 0, 1, minOpen: false)),
            _ => new DenseSpec(args.Positional(1, MaxUnits), args.Flag("bias", true)),
        };
        return layer;
    }

    static Pool2dSpec Pool(string keyword, Arguments args)
    {
        int kernel = args.Required("k", 1, MaxKernel);
        return new Pool2dSpec(keyword == "maxpool" ? PoolKind.Max : PoolKind.Average, kernel, args.Optional("s", kernel, 1, MaxStride));
    }

    /// <summary>The key=value list of one layer, its keys checked against what the kind takes.</summary>
    sealed class Arguments
    {
        static readonly Dictionary<string, string[]> Keys = new()
        {
            ["conv"] = ["c", "k", "s", "p", "g", "bias"], ["maxpool"] = ["k", "s"], ["avgpool"] = ["k", "s"],
            ["dropout"] = ["p"], ["dense"] = ["bias"], ["batchnorm"] = ["eps", "momentum"],
        };

        readonly string _keyword;
        readonly Dictionary<string, string> _values = new();
        string? _positional;

        Arguments(string keyword) => _keyword = keyword;

        public static Arguments Parse(string keyword, string? list)
        {
            var args = new Arguments(keyword);
            if (list is null) return args;
            if (!Keys.ContainsKey(keyword))
                throw new LayerProblem($"{keyword} takes no arguments");
            string[] parts = list.Split(',');
            for (int i = 0; i < parts.Length; i++)
            {
                string part = parts[i].Trim();
                if (part.Length == 0)
                    throw new LayerProblem("an empty argument (two commas, or a comma at an end)");
                int eq = part.IndexOf('=');
                if (eq < 0)
                {
                    if (keyword != "dense" || i != 0)
                        throw new LayerProblem($"'{part}' is not key=value ({Expected(keyword)})");
                    args._positional = part;
                    continue;
                }
                string key = part[..eq].Trim().ToLowerInvariant(), value = part[(eq + 1)..].Trim();
                if (!Keys[keyword].Contains(key))
                    throw new LayerProblem($"unknown key '{key}' ({Expected(keyword)})");
                if (!args._values.TryAdd(key, value))
                    throw new LayerProblem($"'{key}' is given twice");
            }
            return args;
        }

        static string Expected(string keyword) => keyword switch
        {
            "conv" => "conv takes c, k, s, p, g, bias: conv(c=OUT,k=K[,s=STRIDE][,p=PAD][,g=GROUPS][,bias=true|false])",
            "dense" => "dense takes its width and bias: dense(N[,bias=true|false])",
            "dropout" => "dropout takes p: dropout(p=P)",
            "batchnorm" => "batchnorm takes eps and momentum: batchnorm(eps=E,momentum=M), PyTorch's 1e-5 and 0.1 by default",
            _ => $"{keyword} takes k and s: {keyword}(k=K[,s=S])",
        };

        public int Required(string key, int min, int max)
        {
            if (!_values.ContainsKey(key))
                throw new LayerProblem($"{_keyword} needs {key}= ({Expected(_keyword)})");
            return Optional(key, 0, min, max);
        }

        public int Optional(string key, int fallback, int min, int max)
        {
            if (!_values.TryGetValue(key, out string? text)) return fallback;
            return Integer(key, text, min, max);
        }

        public int Positional(int min, int max)
        {
            if (_positional is null)
                throw new LayerProblem($"dense needs its width ({Expected(_keyword)})");
            return Integer("the width", _positional, min, max);
        }

        static int Integer(string what, string text, int min, int max)
        {
            string range = min == 0 ? "a non-negative integer" : "a positive integer";
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
                throw new LayerProblem($"{what} must be {range}, got '{text}'");
            if (value < min)
                throw new LayerProblem($"{what} must be {range}, got {value}");
            if (value > max)
                throw new LayerProblem($"{what} must be at most {max}, got {value}");
            return value;
        }

        public bool Flag(string key, bool fallback)
        {
            if (!_values.TryGetValue(key, out string? text)) return fallback;
            return text.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new LayerProblem($"{key} must be true or false, got '{text}'"),
            };
        }

        /// <summary>A number in (min, max] (<paramref name="minOpen"/>) or [min, max], or the fallback when not given.</summary>
        public double Number(string key, double fallback, double min, double max, bool minOpen)
        {
            if (!_values.TryGetValue(key, out string? text)) return fallback;
            string range = minOpen ? $"({min}, {max}]" : $"[{min}, {max}]";
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new LayerProblem($"{key} must be a number in {range}, got '{text}'");
            if (value > max || value < min || (minOpen && value == min))
                throw new LayerProblem($"{key} must be in {range}, got {text}");
            return value;
        }

        public double Probability(string key)
        {
            if (!_values.TryGetValue(key, out string? text))
                throw new LayerProblem($"dropout needs p= ({Expected(_keyword)})");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || !double.IsFinite(p))
                throw new LayerProblem($"p must be a number in [0, 1), got '{text}'");
            if (p is < 0 or >= 1)
                throw new LayerProblem($"p must be in [0, 1), got {text}");
            return p;
        }
    }
}
