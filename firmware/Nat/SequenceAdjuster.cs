using Router.Ip;
using Router.Wire;

namespace Router.Nat
{
    /// <summary>
    /// TCP sequence adjustment after a helper changed a payload's length (netfilter's nf_conntrack_seqadj): per
    /// connection slot and direction, the position of the last change and the offsets before and after it. Sequence
    /// numbers are moved in the changed direction, acknowledgements and SACK blocks in the other, for the rest of the
    /// connection. A segment starting at or before the position (a retransmission of the changed segment, or older
    /// data) keeps the old offset, so retransmissions line up with what the receiver already has.
    /// Slots are the owner's (one per inspected connection); the pool is fixed at construction.
    /// </summary>
    public sealed class SequenceAdjuster
    {
        private readonly uint[] _position;
        private readonly int[] _before;
        private readonly int[] _after;

        public SequenceAdjuster(int slots)
        {
            _position = new uint[slots * 2];
            _before = new int[slots * 2];
            _after = new int[slots * 2];
        }

        public void Reset(int slot)
        {
            for (int direction = 0; direction < 2; direction++)
            {
                int node = slot * 2 + direction;
                _position[node] = 0;
                _before[node] = 0;
                _after[node] = 0;
            }
        }

        /// <summary>The offset applied to the sender's sequence number <paramref name="sequence"/> (netfilter's nf_ct_seq_offset).</summary>
        public int OffsetAt(int slot, int direction, uint sequence)
        {
            int node = slot * 2 + direction;
            return After(sequence, _position[node]) ? _after[node] : _before[node];
        }

        /// <summary>The offset applied to sequence numbers after the last change in this direction.</summary>
        public int Offset(int slot, int direction) { return _after[slot * 2 + direction]; }

        /// <summary>
        /// Records that the data at <paramref name="sequence"/> (the sender's numbering) changed length by
        /// <paramref name="delta"/>. Recording again at or before the current position (a retransmission) changes nothing.
        /// </summary>
        public void Record(int slot, int direction, uint sequence, int delta)
        {
            int node = slot * 2 + direction;
            if (_before[node] != _after[node] && !After(sequence, _position[node])) return;
            _position[node] = sequence;
            _before[node] = _after[node];
            _after[node] += delta;
        }

        /// <summary>Rewrites the segment's sequence, acknowledgement and SACK numbers, keeping the TCP checksum valid.</summary>
        public void Adjust(ParsedPacket p, int slot, int direction)
        {
            int node = slot * 2 + direction, other = node ^ 1;
            byte[] b = p.Buffer;
            int t = p.TransportOffset;
            if (IsActive(node))
            {
                uint seq = TcpSegment.SequenceNumber(b, t);
                int offset = After(seq, _position[node]) ? _after[node] : _before[node];
                if (offset != 0) Write(b, t, t + 4, seq + (uint)offset);
            }
            if (!IsActive(other) || (p.TcpFlags & TcpSegment.Ack) == 0) return;
            Write(b, t, t + 8, Unadjust(other, TcpSegment.AcknowledgmentNumber(b, t)));
            AdjustSack(b, t, other);
        }

        private bool IsActive(int node) { return _before[node] != 0 || _after[node] != 0; }

        /// <summary>Maps a number of the other direction (as its receiver saw it) back to its sender's numbering.</summary>
        private uint Unadjust(int node, uint value)
        {
            return After(value - (uint)_before[node], _position[node]) ? value - (uint)_after[node] : value - (uint)_before[node];
        }

        private void AdjustSack(byte[] b, int t, int node)
        {
            for (int i = TcpOptions.First(b, t); i != TcpOptions.None; i = TcpOptions.Next(b, t, i))
            {
                if (TcpOptions.Kind(b, i) != TcpOptions.Sack) continue;
                for (int edge = TcpOptions.ValueOffset(i); edge + 4 <= i + TcpOptions.Length(b, i); edge += 4)
                {
                    Write(b, t, edge, Unadjust(node, NetworkOrder.ReadUInt32(b, edge)));
                }
            }
        }

        /// <summary>Writes a 32-bit field and updates the TCP checksum over the 16-bit words it touches (any alignment).</summary>
        private static void Write(byte[] b, int tcpOffset, int at, uint value)
        {
            if (NetworkOrder.ReadUInt32(b, at) == value) return;
            Checksum.WriteField(b, tcpOffset, tcpOffset + TcpSegment.ChecksumField, at, 4, value);
        }

        /// <summary>a is after b in sequence space (RFC 9293 modular comparison).</summary>
        private static bool After(uint a, uint b)
        {
            return (int)(a - b) > 0;
        }
    }
}
