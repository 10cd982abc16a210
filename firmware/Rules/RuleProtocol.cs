using Router.Wire;

namespace Router.Rules
{
    /// <summary>Which transport protocols a rule covers: flags, so "both" is TCP | UDP and overlap is a bitwise AND.</summary>
    public static class RuleProtocol
    {
        public const int Tcp = 1;
        public const int Udp = 2;
        public const int Both = Tcp | Udp;

        public static bool IsValid(int rule)
        {
            return rule == Tcp || rule == Udp || rule == Both;
        }

        /// <summary>True when a rule for <paramref name="rule"/> applies to packets of IP protocol <paramref name="ipProtocol"/>.</summary>
        public static bool Covers(int rule, int ipProtocol)
        {
            if (ipProtocol == IpProtocol.Tcp) return (rule & Tcp) != 0;
            if (ipProtocol == IpProtocol.Udp) return (rule & Udp) != 0;
            return false;
        }

        public static string Name(int rule)
        {
            if (rule == Tcp) return "TCP";
            if (rule == Udp) return "UDP";
            return "TCP+UDP";
        }
    }
}
