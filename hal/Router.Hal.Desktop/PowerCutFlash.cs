using System;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>
/// Simulates a power cut for power-loss tests: wraps an <see cref="IFlash"/>, counts erase and program operations, and once
/// <see cref="CutAfterOperations"/> of them have completed, throws <see cref="PowerLossException"/> on the next one without
/// performing it. With <see cref="TornWriteBytes"/> &gt; 0 an interrupted program first writes that many leading bytes
/// (a torn write). After the cut every operation, reads included, throws until <see cref="RestorePower"/>.
/// Typical use: run the code under test with cut = 0, 1, 2, ... and after each cut reopen the store over the inner flash.
/// </summary>
public sealed class PowerCutFlash : IFlash
{
    /// <summary>Value of <see cref="CutAfterOperations"/> that never cuts (count only).</summary>
    public const long Never = -1;

    private readonly IFlash _inner;

    public PowerCutFlash(IFlash inner, long cutAfterOperations = Never, int tornWriteBytes = 0)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        CutAfterOperations = cutAfterOperations;
        TornWriteBytes = tornWriteBytes;
    }

    public int SectorSize => _inner.SectorSize;

    public int SectorCount => _inner.SectorCount;

    /// <summary>The wrapped flash (holds the state that "survives" the power cut).</summary>
    public IFlash Inner => _inner;

    /// <summary>Erase/program operations allowed to complete before the cut; <see cref="Never"/> disables the cut.</summary>
    public long CutAfterOperations { get; set; }

    /// <summary>Leading bytes an interrupted program still writes (clamped to its length). 0: nothing is written.</summary>
    public int TornWriteBytes { get; set; }

    /// <summary>Completed erase + program operations.</summary>
    public long OperationCount { get; private set; }

    public long EraseCount { get; private set; }

    public long ProgramCount { get; private set; }

    public bool IsPowerLost { get; private set; }

    /// <summary>Powers back on: clears the cut state and counters and sets a new cut point.</summary>
    public void RestorePower(long cutAfterOperations = Never)
    {
        IsPowerLost = false;
        OperationCount = 0;
        EraseCount = 0;
        ProgramCount = 0;
        CutAfterOperations = cutAfterOperations;
    }

    public void EraseSector(int sector)
    {
        CheckPowerFor("erase");
        _inner.EraseSector(sector);
        EraseCount++;
        OperationCount++;
    }

    public void Program(int address, byte[] data, int offset, int count)
    {
        if (IsPowerLost) throw new PowerLossException(OperationCount + 1, "program");
        if (CutAfterOperations != Never && OperationCount >= CutAfterOperations)
        {
            IsPowerLost = true;
            int torn = Math.Min(Math.Max(TornWriteBytes, 0), count);
            if (torn > 0) _inner.Program(address, data, offset, torn);
            throw new PowerLossException(OperationCount + 1, "program");
        }
        _inner.Program(address, data, offset, count);
        ProgramCount++;
        OperationCount++;
    }

    public void Read(int address, byte[] buffer, int offset, int count)
    {
        if (IsPowerLost) throw new PowerLossException(OperationCount + 1, "read");
        _inner.Read(address, buffer, offset, count);
    }

    private void CheckPowerFor(string operation)
    {
        if (IsPowerLost) throw new PowerLossException(OperationCount + 1, operation);
        if (CutAfterOperations != Never && OperationCount >= CutAfterOperations)
        {
            IsPowerLost = true;
            throw new PowerLossException(OperationCount + 1, operation);
        }
    }
}
