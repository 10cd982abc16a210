namespace Router.Hal.Desktop;

/// <summary>Settings of a <see cref="FaultInjector"/>. Probabilities are per frame, in [0, 1].</summary>
public sealed class FaultInjectorOptions
{
    /// <summary>Seed of the <see cref="System.Random"/> deciding every fault; the same seed and traffic give the same faults.</summary>
    public int Seed { get; set; } = 1;

    public double DropProbability { get; set; }

    /// <summary>The frame is delivered twice in a row.</summary>
    public double DuplicateProbability { get; set; }

    /// <summary>The frame is held back and released right after the next frame (so the two swap places).</summary>
    public double ReorderProbability { get; set; }

    /// <summary>One random byte of the frame is XORed with a random non-zero value.</summary>
    public double CorruptProbability { get; set; }

    public FaultDirection Direction { get; set; } = FaultDirection.Both;

    /// <summary>Size of the preallocated hold/duplicate/scratch buffers. Longer frames pass through untouched.</summary>
    public int MaxFrameBytes { get; set; } = 2048;

    /// <summary>
    /// A held (reordered) frame with no successor is released anyway after this many <c>Receive</c> calls that found nothing
    /// to overtake it, so a lone frame is delayed, never lost. Receive calls are the injector's only sense of time.
    /// </summary>
    public int MaxHoldPolls { get; set; } = 8;
}
