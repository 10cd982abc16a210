using System;

namespace Router.Emulator;

/// <summary>A mistake on the command line (or a file or port it names): the message is one line saying what to do.</summary>
public sealed class EmulatorUsageException : Exception
{
    public EmulatorUsageException(string message) : base(message) { }
}
