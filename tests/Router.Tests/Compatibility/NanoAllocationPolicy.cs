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
            // Web requests are gated from the first byte: parsing, Host/Origin policy, routing, session lookup, static files,
            // every GET the pages poll or list, and every refusal. Only the handlers below, which change or save the
            // configuration, check a password (PBKDF2) or serialise the whole configuration, are exempt, each for its own reason.
            { "Router.Web.RulesApi::SaveForward", "adds or edits a port forward: parses the body, validates and saves the configuration to flash (applying and saving config)" },
            { "Router.Web.RulesApi::SaveTrigger", "adds or edits a port trigger: parses the body, validates and saves the configuration to flash (applying and saving config)" },
            { "Router.Web.RulesApi::DeleteForward", "deletes a port forward: validates and saves the configuration to flash (applying and saving config)" },
            { "Router.Web.RulesApi::DeleteTrigger", "deletes a port trigger: validates and saves the configuration to flash (applying and saving config)" },
            { "Router.Web.SettingsApi::PutFtp", "changes the FTP helper settings: parses the body, validates and saves the configuration to flash (applying and saving config)" },
            { "Router.Web.SettingsApi::PutNetwork", "changes the LAN/WAN/DHCP settings: parses the body, validates and saves the configuration to flash (applying and saving config)" },
            { "Router.Web.AuthApi::Setup", "sets the first admin password: PBKDF2 and a configuration save, once per device (log in / set password)" },
            { "Router.Web.AuthApi::Login", "checks a password with PBKDF2 and creates a session: once per login (log in / set password)" },
            { "Router.Web.AuthApi::ChangePassword", "checks and replaces the admin password: PBKDF2 and a configuration save (log in / set password)" },
            { "Router.Web.AdminApi::Restore", "restores a backup file: decodes, validates and saves the configuration to flash (restoring a backup)" },
            { "Router.Web.AdminApi::FactoryReset", "puts the factory defaults in force and starts their save (the sliced job that also erases the old slot), once per reset the admin confirms (applying and saving config)" },
            { "Router.Web.AdminApi::Backup", "serialises the whole configuration with the flash codec (ConfigCodec.Encode, the save path) for a download the admin asks for; never polled" },
            { "Router.Web.ConfigEditor::PutInForce", "puts a saved configuration in force: once per change the admin saves (a LAN renumbering runs it from the loop once its reply has left)" },
            // Work sliced across loop ticks (docs/loop.md): waiting costs a tick only checks; what runs once per request
            // or once per failed save when the work is done is exempt like the handlers above.
            { "Router.Web.Pbkdf2::Step", "one slice (64 HMAC iterations) of a password hash while a login or password change waits: per user request, never per frame or idle tick; nanoFramework's only HMAC (HMACSHA256.ComputeHash) returns a new 32-byte array per iteration (60 B), so this allocates by its API" },
            { "Router.Web.AuthApi::Finish", "a password hash is done: answers the login or stores the new password (per user request)" },
            { "Router.Web.AuthApi::Retry", "a login or password request that waited for the hasher gets it: handled again from its request (per user request)" },
            { "Router.Web.ConfigEditor::SaveNewest", "starts storing the configuration changed while the last save ran: encodes it (per user change)" },
            { "Router.Web.ConfigEditor::SaveFailed", "the flash refused a save: puts the stored configuration back in force (per failed save)" },
            { "Router.Web.ConfigEditor::ReplySaveFailed", "answers a request whose change could not be stored (per failed save)" },
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
