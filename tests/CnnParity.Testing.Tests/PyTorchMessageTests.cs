using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

/// <summary>Each failure message begins with exactly what PyTorch's own torch.testing.assert_close says, checked live.</summary>
public class PyTorchMessageTests
{
    // Each case as Python (for PyTorch) and as the same call here.
    static readonly (string Python, Action Check)[] Cases =
    [
        ("t([1.,2.,3.], [1.,2.,3.001])", () => TensorAssert.Close(tensor(new[] { 1f, 2f, 3f }), tensor(new[] { 1f, 2f, 3.001f }))),
        ("t(torch.tensor([[1.,2.],[3.,.5]],dtype=torch.float64), torch.tensor([[1.,2.5],[3.,0.]],dtype=torch.float64))",
            () => TensorAssert.Close(tensor(new[] { 1.0, 2, 3, .5 }).reshape(2, 2), tensor(new[] { 1.0, 2.5, 3, 0 }).reshape(2, 2))),
        ("t([1.,2.,3.], [1.,2.,4.], rtol=0, atol=0)",
            () => TensorAssert.Close(tensor(new[] { 1f, 2f, 3f }), tensor(new[] { 1f, 2f, 4f }), rtol: 0, atol: 0)),
        ("t(torch.tensor(1.), torch.tensor(2.))", () => TensorAssert.Close(tensor(1f), tensor(2f))),
        ("t([1.,float('nan'),3.], [1.,float('nan'),3.])",
            () => TensorAssert.Close(tensor(new[] { 1f, float.NaN, 3f }), tensor(new[] { 1f, float.NaN, 3f }))),
        ("t([1.,2.], torch.tensor([1.,2.]).reshape(2,1))", () => TensorAssert.Close(tensor(new[] { 1f, 2f }), tensor(new[] { 1f, 2f }).reshape(2, 1))),
        ("t([1.,2.], torch.tensor([1.,2.],dtype=torch.float64))", () => TensorAssert.Close(tensor(new[] { 1f, 2f }), tensor(new[] { 1.0, 2.0 }))),
        ("t(torch.tensor([1,2]), torch.tensor([1,3]))", () => TensorAssert.Close(tensor(new long[] { 1, 2 }), tensor(new long[] { 1, 3 }))),
        ("t(torch.arange(24.).reshape(2,3,4), torch.arange(24.).reshape(2,3,4) * 1.0001 + 0.01)",
            () => TensorAssert.Close(arange(24f).reshape(2, 3, 4), arange(24f).reshape(2, 3, 4) * 1.0001f + 0.01f)),
    ];

    [SkippableFact]
    public void MessagesStartWithPyTorchsOwnWords()
    {
        PyTorch.SkipIfMissing();
        string program = """
            import torch
            def t(a, b, **kw):
                a = a if isinstance(a, torch.Tensor) else torch.tensor(a)
                b = b if isinstance(b, torch.Tensor) else torch.tensor(b)
                try:
                    torch.testing.assert_close(a, b, **kw)
                    print("passed")
                except AssertionError as e:
                    print(str(e))
                print("\x1e")

            """ + string.Join("\n", Cases.Select(c => c.Python)) + "\n";
        var expected = PyTorch.Run(program).Split("\n\x1e\n");
        for (int i = 0; i < Cases.Length; i++)
        {
            var e = Assert.Throws<TensorMismatchException>(Cases[i].Check);
            Assert.True(e.Message == expected[i] || e.Message.StartsWith(expected[i] + "\n", StringComparison.Ordinal),
                $"case {Cases[i].Python}\nPyTorch:\n{expected[i]}\nours:\n{e.Message}");
        }
    }
}
