using System;

namespace Router.Hal.Desktop;

/// <summary>Thrown by <see cref="PowerCutFlash"/> for the operation during which (and every operation after which) power was cut.</summary>
public sealed class PowerLossException : Exception
{
    public PowerLossException(long operationNumber, string operation)
        : base($"Power lost during flash operation #{operationNumber} ({operation}).")
    {
        OperationNumber = operationNumber;
        Operation = operation;
    }

    /// <summary>1-based number of the interrupted erase/program operation (counting only erases and programs).</summary>
    public long OperationNumber { get; }

    /// <summary>"erase", "program" or "read".</summary>
    public string Operation { get; }
}
