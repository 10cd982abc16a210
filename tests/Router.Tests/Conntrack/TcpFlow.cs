using Router.Conntrack;
using Router.Tests.Support;
using Router.Wire;
using Xunit;

namespace Router.Tests.Conntrack;

/// <summary>
/// One TCP connection through a <see cref="RouterRig"/> driven segment by segment, as netfilter's packetdrill scripts
/// drive one through conntrack: the LAN host is the client (the original direction, packetdrill's "&gt;" when the
/// script's host connects out), the remote host is the server. Each step says whether the router passed the segment.
/// </summary>
public sealed class TcpFlow
{
    public const int ClientPort = 50000;
    public const int ServerPort = 8080;

    public readonly RouterRig Rig;
    public int ExternalPort = ClientPort;
    public int TtlFromServer = 64;

    public TcpFlow(RouterRig rig = null) => Rig = rig ?? new RouterRig();

    /// <summary>Window-scale option with shift <paramref name="shift"/>, SACK permitted when asked (padded with NOPs).</summary>
    public static byte[] SynOptions(int shift = -1, bool sackPermitted = false)
    {
        var o = new System.Collections.Generic.List<byte> { 2, 4, 0x05, 0xB4 }; // MSS 1460
        if (sackPermitted) o.AddRange(new byte[] { 1, 1, 4, 2 });
        if (shift >= 0) o.AddRange(new byte[] { 1, 3, 3, (byte)shift });
        while (o.Count % 4 != 0) o.Add(1);
        return o.ToArray();
    }

    /// <summary>A segment from the LAN client. Returns true when the router forwarded it.</summary>
    public bool FromClient(int flags, uint seq, uint ack = 0, int length = 0, int window = 65535, byte[] options = null, int ttl = 64)
    {
        byte[] f = Frames.Tcp(RouterRig.RouterLanMac, RouterRig.HostMac, RouterRig.Host, RouterRig.Remote, ClientPort, ServerPort,
            flags, seq, ack, new byte[length], options, ttl);
        SetWindow(f, window);
        int before = Rig.Wan.Sent.Count;
        Rig.FromLan(f);
        if ((flags & TcpSegment.Syn) != 0 && (flags & TcpSegment.Ack) == 0) LearnExternalPort();
        return Rig.Wan.Sent.Count > before;
    }

    /// <summary>A segment from the remote server to the client's outside port. Returns true when the router forwarded it.</summary>
    public bool FromServer(int flags, uint seq, uint ack = 0, int length = 0, int window = 65535, byte[] options = null, bool corruptChecksum = false)
    {
        byte[] f = Frames.Tcp(RouterRig.RouterWanMac, RouterRig.GatewayMac, RouterRig.Remote, RouterRig.RouterWan, ServerPort, ExternalPort,
            flags, seq, ack, new byte[length], options, TtlFromServer);
        SetWindow(f, window);
        if (corruptChecksum) f[34 + 16] ^= 0x5A;
        int before = Rig.Lan.Sent.Count;
        Rig.FromWan(f);
        return Rig.Lan.Sent.Count > before;
    }

    public int Connection
    {
        get
        {
            int node = Rig.Router.Connections.Find(IpProtocol.Tcp, RouterRig.Host, RouterRig.Remote, ClientPort, ServerPort);
            return node < 0 ? -1 : node >> 1;
        }
    }

    /// <summary>The tracked state, or -1 when the router holds no connection.</summary>
    public int State => Connection < 0 ? -1 : Rig.Router.Connections.State(Connection);

    public bool Assured => Connection >= 0 && Rig.Router.Connections.HasStatus(Connection, ConnectionTable.StatusAssured);

    public long Count(int counter) => Rig.Counters[counter];

    private void LearnExternalPort()
    {
        int node = Rig.Router.Connections.Find(IpProtocol.Tcp, RouterRig.Host, RouterRig.Remote, ClientPort, ServerPort);
        if (node >= 0) ExternalPort = Rig.Router.Connections.DestinationPort((node & ~1) + 1);
    }

    private static void SetWindow(byte[] f, int window)
    {
        NetworkOrder.WriteUInt16(f, 34 + 14, window);
        int ipLength = NetworkOrder.ReadUInt16(f, 14 + 2);
        TcpSegment.FillChecksum(f, 34, NetworkOrder.ReadUInt32(f, 26), NetworkOrder.ReadUInt32(f, 30), ipLength - 20);
    }
}
