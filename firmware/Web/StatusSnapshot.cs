using Router.Config;
using Router.Helpers.Ftp;

namespace Router.Web
{
    /// <summary>
    /// A copy of what the status page shows, taken by the packet loop (which owns the live values) and read by the web
    /// thread from its own copy, so 64-bit counters are never read torn while the loop writes them.
    /// </summary>
    public sealed class StatusSnapshot
    {
        public long UptimeMs;
        public uint LanAddress;
        public int LanPrefixLength;
        public uint WanAddress;
        public int WanPrefixLength;
        public uint WanGateway;
        public uint WanDns1;
        public uint WanDns2;
        public int WanMode;
        public int ConntrackUsed;
        public int ConntrackCapacity;
        public int ForwardCount;
        public int TriggerCount;
        public readonly long[] Counters = new long[Router.Counters.Count];
        public readonly long[] FtpCounters = new long[Router.Helpers.Ftp.FtpCounters.Count];
        /// <summary>Per trigger (in the order in force): the LAN host holding it or 0, and seconds until it is released.</summary>
        public readonly uint[] TriggerHolders;
        public readonly int[] TriggerSecondsLeft;

        public StatusSnapshot(int triggerSlots)
        {
            TriggerHolders = new uint[triggerSlots];
            TriggerSecondsLeft = new int[triggerSlots];
        }

        /// <summary>Reads the live state; call on the packet loop's thread.</summary>
        public void Capture(RouterFirmware firmware)
        {
            long now = firmware.Clock.NowMilliseconds;
            uint seconds = (uint)(now / 1000);
            UptimeMs = now - firmware.BootMilliseconds;
            RouterSettings s = firmware.Settings;
            LanAddress = s.LanAddress;
            LanPrefixLength = s.LanPrefixLength;
            WanAddress = s.WanAddress;
            WanPrefixLength = s.WanPrefixLength;
            WanGateway = s.WanGateway;
            WanDns1 = s.WanDns1;
            WanDns2 = s.WanDns2;
            WanMode = firmware.Config.WanMode;
            ConntrackUsed = firmware.DataPlane.Connections.Count;
            ConntrackCapacity = firmware.DataPlane.Connections.Capacity;
            ForwardCount = firmware.Forwards.Count;
            TriggerCount = firmware.Triggers.Count;
            Counters live = firmware.DataPlane.Counters;
            for (int i = 0; i < Router.Counters.Count; i++) Counters[i] = live[i];
            Router.Helpers.Ftp.FtpCounters ftp = firmware.Ftp.Counters;
            for (int i = 0; i < FtpCounters.Length; i++) FtpCounters[i] = ftp[i];
            for (int i = 0; i < TriggerCount && i < TriggerHolders.Length; i++)
            {
                TriggerHolders[i] = firmware.Triggers.HolderOf(i, seconds);
                TriggerSecondsLeft[i] = firmware.Triggers.SecondsLeft(i, seconds);
            }
        }

        public void CopyFrom(StatusSnapshot other)
        {
            UptimeMs = other.UptimeMs;
            LanAddress = other.LanAddress;
            LanPrefixLength = other.LanPrefixLength;
            WanAddress = other.WanAddress;
            WanPrefixLength = other.WanPrefixLength;
            WanGateway = other.WanGateway;
            WanDns1 = other.WanDns1;
            WanDns2 = other.WanDns2;
            WanMode = other.WanMode;
            ConntrackUsed = other.ConntrackUsed;
            ConntrackCapacity = other.ConntrackCapacity;
            ForwardCount = other.ForwardCount;
            TriggerCount = other.TriggerCount;
            for (int i = 0; i < Counters.Length; i++) Counters[i] = other.Counters[i];
            for (int i = 0; i < FtpCounters.Length; i++) FtpCounters[i] = other.FtpCounters[i];
            for (int i = 0; i < TriggerHolders.Length; i++)
            {
                TriggerHolders[i] = other.TriggerHolders[i];
                TriggerSecondsLeft[i] = other.TriggerSecondsLeft[i];
            }
        }

        public long Dropped
        {
            get
            {
                long sum = 0;
                for (int i = Router.Counters.FirstDrop; i <= Router.Counters.LastDrop; i++) sum += Counters[i];
                return sum;
            }
        }

        /// <summary>The WAN modes' names, indexed by <see cref="WanModeIndex"/> (one literal: see <see cref="TextTable"/>).</summary>
        public static readonly TextTable WanModes = new TextTable("dhcp static", ' ');

        public static int WanModeIndex(int mode)
        {
            return mode == RouterConfig.WanStatic ? 1 : 0;
        }
    }
}
