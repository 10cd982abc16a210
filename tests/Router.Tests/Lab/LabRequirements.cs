using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>
/// When the real-network lab can run: Linux, root, and the tools it drives. Outside CI a missing piece skips the lab
/// tests with the reason; with CI=true nothing is skipped, so a CI machine without them fails loudly.
/// </summary>
public static class LabRequirements
{
    /// <summary>Debian packages providing <see cref="Tools"/>: what CI must install.</summary>
    public const string AptPackages = "iproute2 iputils-ping vsftpd curl lftp udhcpc python3-scapy tshark";

    public static readonly string[] Tools = { "ip", "vsftpd", "curl", "lftp", "ping", "udhcpc", "dumpcap" };

    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    public static string SkipReason()
    {
        if (InCi) return null;
        if (!OperatingSystem.IsLinux()) return "Real-network lab: needs Linux (network namespaces, TAP devices). CI=true forces it to run.";
        if (!Environment.IsPrivilegedProcess) return "Real-network lab: needs root (network namespaces, TAP devices). Run as root; CI=true forces it to run.";
        var missing = new List<string>();
        foreach (string tool in Tools) if (FindTool(tool) == null) missing.Add(tool);
        if (!Directory.Exists("/usr/lib/python3/dist-packages/scapy")) missing.Add("scapy"); // crafted packets
        if (!PureFtpd.Installed) missing.Add($"pure-ftpd in {PureFtpd.Root} (lab/install-pure-ftpd.sh)");
        return missing.Count == 0 ? null : $"Real-network lab: missing {string.Join(", ", missing)} (apt-get install {AptPackages}). CI=true forces it to run.";
    }

    public static string FindTool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        }
        foreach (string dir in new[] { "/usr/sbin", "/sbin" })
        {
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        }
        return null;
    }
}

/// <summary>A fact that needs the real-network lab (see <see cref="LabRequirements"/>).</summary>
public sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute()
    {
        string reason = LabRequirements.SkipReason();
        if (reason != null) Skip = reason;
    }
}

/// <summary>A theory that needs the real-network lab (see <see cref="LabRequirements"/>).</summary>
public sealed class LabTheoryAttribute : TheoryAttribute
{
    public LabTheoryAttribute()
    {
        string reason = LabRequirements.SkipReason();
        if (reason != null) Skip = reason;
    }
}
