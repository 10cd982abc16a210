namespace Router.Wire
{
    /// <summary>
    /// What a header's <c>Check</c> found (smoltcp's <c>new_checked</c>): each header validates its lengths in one place, so
    /// the accessors after a <see cref="Valid"/> check read inside the buffer and callers never redo the bounds by hand.
    /// An enum, so it sits inline on nanoCLR like an int.
    /// </summary>
    public enum HeaderCheck
    {
        Valid,
        /// <summary>Fewer bytes than the fixed header.</summary>
        Truncated,
        /// <summary>IPv4: a version other than 4.</summary>
        BadVersion,
        /// <summary>A header-length field below the minimum or beyond the bytes present.</summary>
        BadHeaderLength,
        /// <summary>A total/datagram-length field below the header or beyond the bytes present.</summary>
        BadTotalLength,
        /// <summary>IPv4: the header checksum does not verify.</summary>
        BadChecksum,
        /// <summary>ARP: not Ethernet/IPv4, or an operation other than request and reply.</summary>
        Unsupported,
    }
}
