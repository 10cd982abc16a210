using System.Collections.Generic;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// What the nanoCLR allocation gate walks and what it may skip: the ONE reviewed list of cold paths. Every entry
    /// names a method (<c>Ns.Type::Name</c> for all overloads, or <c>Ns.Type::Name(int,byte[])</c> for one) and says
    /// why it never runs per frame or per loop tick in steady state. The walk stops there. An entry that names no
    /// method, or that the walk never reaches, fails <see cref="NanoAllocationFirmwareTests"/>: the list stays short and true.
    /// </summary>
    public static class NanoAllocationPolicy
    {
        /// <summary>The assemblies analysed: the project's nano-compatible ones (one list for both gates; add new nano assemblies there).</summary>
        public static IReadOnlyList<string> Assemblies => NanoMetadataGate.ProjectAssemblies;

        /// <summary>Per-tick and per-frame entry points.</summary>
        public static readonly string[] EntryPoints =
        {
            "Router.RouterFirmware::RunOnce()",
            "Router.DataPlane::Poll(int)",
            "Router.DataPlane::Receive(int,byte[],int)",
            // The W5500 driver: its INetworkInterface calls are reached through the interface, so name them here.
            "Router.Drivers.W5500.W5500Driver::Receive(byte[],int,int,ref int)",
            "Router.Drivers.W5500.W5500Driver::Send(byte[],int,int)",
            "Router.Drivers.W5500.W5500Driver::get_FrameReady()",
            "Router.Drivers.W5500.W5500Driver::OnFallingEdge()",
        };

        /// <summary>Cold paths: method → why it is not on the per-frame or per-tick path. Reviewed; keep it short.</summary>
        public static readonly Dictionary<string, string> ColdPaths = new Dictionary<string, string>
        {
            // Reached from RunOnce only through the loop service (ControlChannel.Service) when the web UI posts a new
            // configuration, and at boot: user-triggered, once per save. Validation builds its error messages as strings.
            { "Router.RouterFirmware::Apply", "applying a configuration: at boot and when the user saves settings, never per frame or tick" },
            { "Router.ValidationResult::ToString", "formats a rejected configuration's error for a person: only when a user-submitted configuration is refused" },
        };

        /// <summary>
        /// Methods whose <c>throw</c> blocks (the exception and its message) may allocate: method → why no input, good or
        /// bad, makes them throw on the loop. Everything else in these methods is still checked.
        /// </summary>
        public static readonly Dictionary<string, string> AllowedThrows = new Dictionary<string, string>
        {
        };
    }
}
