namespace Router.Conntrack
{
    /// <summary>
    /// Where a helper changed payload lengths (netfilter's seqadj extension): window tracking reads acknowledgements in
    /// the sender's own numbering, so it asks how far the other direction's numbers were moved.
    /// </summary>
    public interface ISequenceOffsets
    {
        /// <summary>How much sequence numbers of <paramref name="direction"/> were moved at <paramref name="sequence"/> (0 when none).</summary>
        int OffsetAt(int connection, int direction, uint sequence);
    }
}
