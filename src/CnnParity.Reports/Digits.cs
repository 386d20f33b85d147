namespace CnnParity.Reports;

/// <summary>The shape of the task every model here solves: 28x28 grey images of one of ten digits.</summary>
public static class Digits
{
    public const int Classes = 10;
    public const int Pixels = 28 * 28;
}
