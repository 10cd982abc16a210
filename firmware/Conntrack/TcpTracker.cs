using Router.Wire;

namespace Router.Conntrack
{
    /// <summary>
    /// The TCP state machine of a connection seen from the middle, after netfilter's nf_conntrack_proto_tcp:
    /// one table lookup per segment, keyed by direction, the segment's flag class and the current state.
    /// Window tracking is not done; a middlebox on a home router accepts what the endpoints accept.
    /// </summary>
    public static class TcpTracker
    {
        private const int FlagClassSyn = 0;
        private const int FlagClassSynAck = 1;
        private const int FlagClassFin = 2;
        private const int FlagClassAck = 3;
        private const int FlagClassRst = 4;
        private const int FlagClassNone = 5;
        private const int FlagClasses = 6;

        private const byte NO = TcpState.None, SS = TcpState.SynSent, SR = TcpState.SynReceived, ES = TcpState.Established;
        private const byte FW = TcpState.FinWait, CW = TcpState.CloseWait, LA = TcpState.LastAck, TW = TcpState.TimeWait;
        private const byte CL = TcpState.Close, IV = TcpState.Invalid, IG = TcpState.Ignore;

        // [direction][flag class][state]; states in the order NO SS SR ES FW CW LA TW CL.
        private static readonly byte[] Transitions =
        {
            // Original direction
            SS, SS, IG, IG, IG, IG, IG, SS, SS, // syn: a new SYN after TIME_WAIT/CLOSE reopens
            IV, IV, IG, IG, IG, IG, IG, IG, IG, // syn-ack from the initiator
            IV, IV, FW, FW, LA, LA, LA, TW, CL, // fin
            IV, IV, ES, ES, CW, CW, TW, TW, CL, // ack (no pick-up of mid-stream flows: NO stays invalid)
            IV, CL, CL, CL, CL, CL, CL, CL, CL, // rst
            IV, IV, IV, IV, IV, IV, IV, IV, IV, // no flags
            // Reply direction
            IV, IG, IV, IV, IV, IV, IV, IG, IV, // syn (simultaneous open is not tracked)
            IV, SR, IG, IG, IG, IG, IG, IG, IG, // syn-ack
            IV, IV, FW, FW, LA, LA, LA, TW, CL, // fin
            IV, IG, SR, ES, CW, CW, TW, TW, CL, // ack
            IV, CL, CL, CL, CL, CL, CL, CL, CL, // rst
            IV, IV, IV, IV, IV, IV, IV, IV, IV, // no flags
        };

        /// <summary>Returns the next state, <see cref="TcpState.Ignore"/> or <see cref="TcpState.Invalid"/>.</summary>
        public static int Next(int state, int direction, int tcpFlags)
        {
            return Transitions[(direction * FlagClasses + FlagClass(tcpFlags)) * TcpState.Count + state];
        }

        /// <summary>True when a segment with these flags may open a new connection (a bare SYN).</summary>
        public static bool OpensConnection(int tcpFlags)
        {
            return FlagClass(tcpFlags) == FlagClassSyn;
        }

        private static int FlagClass(int flags)
        {
            if ((flags & TcpSegment.Rst) != 0) return FlagClassRst;
            if ((flags & TcpSegment.Syn) != 0) return (flags & TcpSegment.Ack) != 0 ? FlagClassSynAck : FlagClassSyn;
            if ((flags & TcpSegment.Fin) != 0) return FlagClassFin;
            if ((flags & TcpSegment.Ack) != 0) return FlagClassAck;
            return FlagClassNone;
        }
    }
}
