using System;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>Thrown when a program operation would turn a NOR flash bit from 0 back to 1 without an erase.</summary>
public sealed class FlashProgramException : Exception
{
    public FlashProgramException(int address, byte current, byte requested)
        : base(NorProgramRule.Describe(address, current, requested))
    {
        Address = address;
        CurrentValue = current;
        RequestedValue = requested;
    }

    /// <summary>Absolute flash address of the first offending byte.</summary>
    public int Address { get; }

    public byte CurrentValue { get; }

    public byte RequestedValue { get; }
}
