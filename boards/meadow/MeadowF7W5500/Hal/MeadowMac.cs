using System;

namespace Router.MeadowF7W5500.Hal
{
    /// <summary>A stable 6-byte base for the ports' MACs from the board's unique ID (Meadow reports it as text).</summary>
    public static class MeadowMac
    {
        /// <summary>FNV-1a over the ID's characters, spread over bytes 1..5 (byte 0 is fixed by RouterBoard.PortMac); null without an ID.</summary>
        public static byte[] FromUniqueId(string uniqueId)
        {
            if (string.IsNullOrEmpty(uniqueId)) return null;
            ulong hash = 14695981039346656037UL;
            foreach (char c in uniqueId)
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }
            byte[] mac = new byte[6];
            for (int i = 1; i < 6; i++) mac[i] = (byte)(hash >> (8 * i));
            return mac;
        }
    }
}
