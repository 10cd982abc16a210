using Router.Wire;

namespace Router.Conntrack
{
    /// <summary>
    /// The TCP state machine of a connection seen from the middle, after netfilter's nf_conntrack_proto_tcp:
    /// one table lookup per segment, keyed by direction, the segment's flag class and the current state.
    /// Sequence and window checks are <see cref="TcpWindowTracker"/>'s; this class is only the state table.
    /// </summary>
    public static class TcpTracker
    {
        // A segment's flag class (netfilter's conntrack index: TCP_SYN_SET ... TCP_NONE_SET).
        public const int FlagClassSyn = 0;
        public const int FlagClassSynAck = 1;
        public const int FlagClassFin = 2;
        public const int FlagClassAck = 3;
        public const int FlagClassRst = 4;
        public const int FlagClassNone = 5;
        private const int FlagClasses = 6;

        // [direction][flag class][state], one character per state in the order NONE SYN_SENT SYN_RECV ESTABLISHED
        // FIN_WAIT CLOSE_WAIT LAST_ACK TIME_WAIT CLOSE: a digit is the next state, 'x' invalid, '-' ignore.
        // A string rather than an array initializer, which would need compiler-generated types nanoFramework lacks; a
        // static field rather than a const, whose every use would be an ldstr (12 B on nanoCLR each time it runs).
        private static readonly string Transitions =
            // Original direction
            "11-----11" + // syn: a new SYN after TIME_WAIT or CLOSE reopens
            "xx-------" + // syn-ack from the initiator
            "xx4466678" + // fin: the closing side's own FIN again stays put (TcpWindowTracker knows the side)
            "xx3355778" + // ack: no pick-up of mid-stream flows, NONE stays invalid
            "x88888888" + // rst
            "xxxxxxxxx" + // no flags
            // Reply direction
            "x-xxxxx-x" + // syn: simultaneous open is not tracked
            "x2-------" + // syn-ack
            "xx4466678" + // fin
            "x-2355778" + // ack
            "x88888888" + // rst
            "xxxxxxxxx";  // no flags

        /// <summary>Returns the next state, <see cref="TcpState.Ignore"/> or <see cref="TcpState.Invalid"/>.</summary>
        public static int Next(int state, int direction, int tcpFlags)
        {
            char next = Transitions[(direction * FlagClasses + FlagClass(tcpFlags)) * TcpState.Count + state];
            if (next == 'x') return TcpState.Invalid;
            if (next == '-') return TcpState.Ignore;
            return next - '0';
        }

        /// <summary>True when a segment with these flags may open a new connection (a bare SYN).</summary>
        public static bool OpensConnection(int tcpFlags)
        {
            return FlagClass(tcpFlags) == FlagClassSyn;
        }

        /// <summary>The flag class of a segment: RST wins, then SYN (with or without ACK), FIN, ACK.</summary>
        public static int FlagClass(int flags)
        {
            if ((flags & TcpSegment.Rst) != 0) return FlagClassRst;
            if ((flags & TcpSegment.Syn) != 0) return (flags & TcpSegment.Ack) != 0 ? FlagClassSynAck : FlagClassSyn;
            if ((flags & TcpSegment.Fin) != 0) return FlagClassFin;
            if ((flags & TcpSegment.Ack) != 0) return FlagClassAck;
            return FlagClassNone;
        }
    }
}
